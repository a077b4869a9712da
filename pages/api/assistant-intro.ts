import { defineRoute } from '@/lib/http';
import { buildAssistantIntro } from '@/lib/docs/site/intro';
import type { TAssistantIntroView } from '@/lib/shared/site';

// What the assistant's empty state says: its name, the site's introduction and suggested questions (the
// environment, DOCS_DIR's site.config.json or index page, else the indexed site: lib/docs/site/intro.ts), and where a reader's
// messages go on this server (Slack, a model provider), so that its privacy note is true.
export default defineRoute({
  async GET({ app, log }) {
    const intro = await buildAssistantIntro({ deps: app, onProblem: (message) => log.warn(message) });
    const destinations = { isSharedInSlack: app.config.slack.mode === 'enabled', isSentToModelProvider: app.model.name !== 'offline' };
    return { body: { data: { ...intro, destinations } satisfies TAssistantIntroView } };
  },
}, { isRateLimited: false });

import { defineRoute } from '@/lib/http';
import { readAssistantIntro } from '@/lib/docs/site-config';
import type { TAssistantIntroView } from '@/lib/shared/site';

// What the assistant's empty state says: the site's introduction and suggested questions, from DOCS_DIR
// (site.config.json or the docs index page's front matter; lib/docs/site-config.ts), and where a reader's
// messages go on this server (Slack, a model provider), so that its privacy note is true.
export default defineRoute({
  async GET({ app, log }) {
    const intro = readAssistantIntro({ docsDir: app.config.docsDir, onProblem: (message) => log.warn(message) });
    const destinations = { isSharedInSlack: app.config.slack.mode === 'enabled', isSentToModelProvider: app.model.name !== 'offline' };
    return { body: { data: { ...intro, destinations } satisfies TAssistantIntroView } };
  },
}, { isRateLimited: false });

import { defineRoute } from '@/lib/http';
import { buildAssistantIntro } from '@/lib/docs/site/intro';
import type { TAssistantIntroView } from '@/lib/shared/site';

// What the assistant's empty state says: its name, the site's introduction and suggested questions (the
// environment, DOCS_DIR's site.config.json or index page, else the indexed site: lib/docs/site/intro.ts), and where a reader's
// messages go on this server (Slack, a model provider) and whether anyone reads readers' votes, so that its privacy
// note and its thanks for a vote are true.
export default defineRoute({
  async GET({ app, log }) {
    const intro = await buildAssistantIntro({ deps: app, onProblem: (message) => log.warn(message) });
    const isSharedInSlack = app.config.reviewChannel.mode === 'enabled';
    const destinations = { isSharedInSlack, isSentToModelProvider: app.model.name !== 'offline', isFeedbackRead: isSharedInSlack || app.config.maintainers.token !== undefined };
    return { body: { data: { ...intro, destinations } satisfies TAssistantIntroView } };
  },
}, { isRateLimited: false });

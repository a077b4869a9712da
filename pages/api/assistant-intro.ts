import { defineRoute } from '@/lib/http';
import { readAssistantIntro } from '@/lib/docs/site-config';

// What the assistant's empty state says: the site's introduction and suggested questions, from DOCS_DIR
// (site.config.json or the docs index page's front matter; lib/docs/site-config.ts).
export default defineRoute({
  async GET({ app, log }) {
    return { body: { data: readAssistantIntro({ docsDir: app.config.docsDir, onProblem: (message) => log.warn(message) }) } };
  },
}, { isRateLimited: false });

import type { TApp } from './app';
import { getDocsIndexStats } from './db/docs';
import { docsSearchMode } from './docs/search';

/** Which mode each concern runs in, and the size of the docs index. No secrets, no URLs with credentials. */
export async function getHealth(app: TApp) {
  const { config } = app;
  const stats = await getDocsIndexStats({ db: app.db });
  return {
    status: 'ok' as const,
    modes: {
      store: config.store.mode,
      model: app.model.mode,
      docsSearch: docsSearchMode(app),
      slack: config.slack.mode,
      session: config.session.mode,
    },
    model: app.model.name,
    docs: { pages: stats.pages, sections: stats.sections, failed: app.docsIndex.lastReport?.failed.length ?? 0 },
  };
}

// `npm run docs:crawl`: crawls DOCS_CRAWL_URL now into the configured database's docs index (incrementally:
// unchanged pages cost a conditional request), unless another instance is crawling it (the lease). Pages of sites
// no longer configured leave the index first, as at the server's start.
// Exits 1 when a page or a site failed (those keep their previous index).
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@/lib/config';
import { getDocsCrawlStatus } from '@/lib/db/docs-crawl';
import { createDocsCrawlLoop } from '@/lib/docs/sources/single-kinds';
import { pruneUnconfiguredSources } from '@/lib/docs/sources/prune';
import { getEmbedder } from '@/lib/docs/index/embeddings';
import { createLogger } from '@/lib/log';
import { openConfiguredDb } from './lib/open-db';
import { loadProjectEnv } from './lib/load-env.mjs';

async function main() {
  loadProjectEnv();
  const config = loadConfig();
  const crawl = config.docsSources.crawl;
  if (!crawl) {
    console.error('DOCS_CRAWL_URL is not set: there is no site to crawl.');
    process.exit(2);
  }
  const db = await openConfiguredDb(config);
  try {
    // As the server does at start: pages of sites no longer configured (and DOCS_DIR's without DOCS_DIR) leave.
    const pruned = await pruneUnconfiguredSources({ db, config });
    const crawled = pruned.removed.crawl ?? 0;
    const local = pruned.removed.folder ?? 0;
    if (crawled + local > 0) {
      console.log(`removed ${crawled + local} pages of sources no longer configured (${crawled} of sites not in DOCS_CRAWL_URL, ${local} of DOCS_DIR, which is not set)`);
    }
    const loop = createDocsCrawlLoop({
      deps: { db, log: createLogger({ level: 'warn' }), embedder: getEmbedder(config) },
      options: crawl,
      workerId: `cli_${randomUUID()}`,
    });
    const report = await loop.runOnce({ isForced: true });
    if (!report) {
      console.log('Another instance is crawling right now; nothing done.');
      return;
    }
    console.log(`crawled ${crawl.urls.join(', ')}`);
    console.log(
      `${report.pages} pages: ${report.indexed.length} indexed, ${report.unchanged} unchanged (${report.notModified} answered 304, ` +
        `${report.skippedByLastmod} skipped by sitemap lastmod), ${report.removed.length} removed, ${report.failed.length} failed; ` +
        `${report.requests} requests in ${report.ms} ms`,
    );
    for (const notice of report.notices) console.log(`NOTE ${notice.message}`);
    for (const failure of report.failed) console.error(`FAILED ${failure.url} (${failure.kind}): ${failure.reason}`);
    const status = await getDocsCrawlStatus({ db });
    console.log(`next crawl due at ${status.nextRun ?? 'the next start'}`);
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

// `npm run sources:sync`: syncs every configured kind of docs source now, into the configured database's index,
// whether or not it is due: DOCS_DIR's folder (loaded), the crawl of DOCS_CRAWL_URL, GitHub's GITHUB_REPOS. A kind
// with a background sync takes its lease as the server's job does, so it is skipped (and said so) while another
// instance is syncing it; its summary is recorded for /api/health. Pages of sources no longer configured leave the
// index first, as at the server's start. Prints one line per kind; exits 1 when a kind failed (its index is kept).
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@/lib/config';
import { recordDocsSourceSync } from '@/lib/db/docs-sources';
import { getEmbedder } from '@/lib/docs/index/embeddings';
import { embedMissingSections } from '@/lib/docs/index/embeddings';
import { createDocsSources, createSourceSyncJob, type TDocsSource } from '@/lib/docs/sources';
import { pruneUnconfiguredSources } from '@/lib/docs/sources/prune';
import { createLogger } from '@/lib/log';
import { openConfiguredDb } from './lib/open-db';
import { loadProjectEnv } from './lib/load-env.mjs';

/** A summary as one line: numbers and words as they are, lists by their length. */
function describe(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .map(([key, value]) => {
      if (Array.isArray(value)) return `${key} ${value.length}`;
      if (value !== null && typeof value === 'object') return `${key} ${describe(value as Record<string, unknown>).replace(/, /g, ' ')}`;
      return `${key} ${String(value)}`;
    })
    .join(', ');
}

async function main() {
  loadProjectEnv();
  const config = loadConfig();
  const db = await openConfiguredDb(config, { script: 'sources:sync' });
  const log = createLogger({ level: 'warn' });
  const deps = { db, log, embedder: getEmbedder(config) };
  try {
    const pruned = await pruneUnconfiguredSources({ db, config });
    for (const [kind, pages] of Object.entries(pruned.removed)) console.log(`${kind}: ${pages} pages of sources no longer configured left the index`);
    const sources: TDocsSource[] = createDocsSources(config);
    if (sources.length === 0) console.log('No docs source is configured.');
    const workerId = `cli_${randomUUID()}`;
    for (const source of sources) {
      try {
        if (source.sync) {
          const job = createSourceSyncJob({ source: { ...source, sync: source.sync }, deps, workerId });
          const result = await job.runOnce({ isForced: true });
          console.log(result === null ? `${source.kind}: another instance is syncing it right now; nothing done` : `${source.kind}: ${describe(source.summarise({ result }))}`);
        } else {
          const result = await source.load(deps);
          const summary = source.summarise({ result });
          await recordDocsSourceSync({ db, kind: source.kind, report: summary });
          console.log(`${source.kind}: ${describe(summary)}`);
        }
      } catch (error) {
        console.error(`FAILED ${source.kind}: ${error instanceof Error ? error.message : String(error)} (its index is kept)`);
        process.exitCode = 1;
      }
    }
    if (deps.embedder) console.log(`embeddings (${deps.embedder.model}): ${await embedMissingSections({ db, embedder: deps.embedder })} new`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

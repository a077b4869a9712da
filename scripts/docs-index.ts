// `npm run docs:index [-- DIR]`: brings the docs index of the configured database (DATA_DIR or Supabase) in
// line with DOCS_DIR (or DIR): changed pages are re-indexed, deleted ones removed, failures reported.
// Exits 1 when a page failed to parse (it keeps its previous sections).
import path from 'node:path';
import { loadConfig } from '@/lib/config';
import { getDocsIndexStats } from '@/lib/db/docs-index';
import { getEmbedder } from '@/lib/docs/index/embeddings';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { openConfiguredDb } from './lib/open-db';
import { loadProjectEnv } from './lib/load-env.mjs';

async function main() {
  loadProjectEnv();
  const config = loadConfig();
  const docsDir = process.argv[2] ? path.resolve(process.argv[2]) : config.docsDir;
  const db = await openConfiguredDb(config);
  try {
    const embedder = getEmbedder(config);
    const report = await indexDocs({ db, docsDir, embedder, published: config.docsSources.published, currentVersion: config.docsSources.versions?.current ?? null });
    const stats = await getDocsIndexStats({ db });
    console.log(`docs: ${docsDir}${config.docsSources.published ? ` (published at ${config.docsSources.published.baseUrl})` : ''}`);
    console.log(
      `${report.pages} pages: ${report.indexed.length} indexed (${report.sections} sections), ${report.unchanged} unchanged, ` +
        `${report.removed.length} removed, ${report.failed.length} failed, in ${report.ms} ms ` +
        `(parse ${report.timings.parseMs} ms, write ${report.timings.writeMs} ms)`,
    );
    console.log(`index: ${stats.pages} pages, ${stats.sections} sections, ${stats.embedded} with embeddings`);
    if (embedder) console.log(`embeddings (${embedder.model}): ${report.embedded} new${report.embeddingError ? `; failed: ${report.embeddingError}` : ''}`);
    if (report.versions.names.length > 0) console.log(`versions: ${report.versions.names.join(', ')} (current: ${report.versions.current ?? 'none'})`);
    for (const problem of report.versions.problems) console.log(`versions: ${problem}`);
    for (const page of report.warnings) for (const warning of page.warnings) console.log(`repaired ${page.path}: ${warning}`);
    for (const failure of report.failed) {
      console.error(`FAILED ${failure.path}: ${failure.reason} (kept ${failure.keptSections} previous sections)`);
    }
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

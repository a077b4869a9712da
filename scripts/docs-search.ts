// `npm run docs:search -- "how do I make a primary button"`: indexes DOCS_DIR first (only what changed), then
// prints the ranked sections the search returns, as the assistant's tool would get them. For versioned docs,
// `npm run docs:search -- --version 1.x "…"` searches that version (default: the current one).
import { loadConfig } from '@/lib/config';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { getEmbedder } from '@/lib/docs/index/embeddings';
import { searchDocs } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { openConfiguredDb } from './lib/open-db';
import { loadProjectEnv } from './lib/load-env.mjs';
import { PUBLIC_ACCESS } from '@/lib/audiences';

async function main() {
  const args = process.argv.slice(2);
  const versionAt = args.indexOf('--version');
  const version = versionAt >= 0 ? args.splice(versionAt, 2)[1] : undefined;
  const query = args.join(' ').trim();
  if (!query) {
    console.error('usage: npm run docs:search -- "your question"');
    process.exit(2);
  }
  loadProjectEnv();
  const config = loadConfig();
  const db = await openConfiguredDb(config, { script: 'docs:search' });
  try {
    const report = await indexDocs({
      db,
      docsDir: config.docsDir,
      embedder: getEmbedder(config),
      published: config.docsSources.published,
      currentVersion: config.docsSources.versions?.current ?? null,
    });
    if (report.indexed.length > 0) console.log(`(indexed ${report.indexed.length} changed pages from ${config.docsDir})`);
    const started = performance.now();
    // The operator trying the search: not a reader's query, so not in the report's top queries (TSearchActivity).
    const deps = { db, log: createLogger({ level: 'warn' }), embedder: getEmbedder(config), config, activity: 'operator' as const };
    // What a reader who is not signed in finds.
    const results = await searchDocs({ access: PUBLIC_ACCESS, deps, prompt: query, limit: 8, source: 'site', version });
    const ms = performance.now() - started;
    console.log(`${results.length} results for "${query}" in ${ms.toFixed(1)} ms\n`);
    results.forEach((result, index) => {
      const where = result.heading ? `${result.title} › ${result.heading}` : result.title;
      const snippet = result.content.replace(/\s+/g, ' ').slice(0, 160);
      console.log(`${index + 1}. ${where}  (${result.similarity})${result.version ? ` [version ${result.version}]` : ''}\n   ${result.url}  [${result.path}]\n   ${snippet}${result.content.length > 160 ? '…' : ''}\n`);
    });
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

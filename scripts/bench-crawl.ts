// `npm run bench:crawl [-- --docs DIR] [--every N]`: the crawler on a real site. Builds the Paste corpus
// (../shared/corpora/paste-docs) into a static site with VitePress (each page's Markdown twin, lib/docs/agents/markdown.ts;
// cached in the temp folder), serves it on 127.0.0.1, crawls it into an empty index (time for ~370 pages), crawls
// again (nothing changed: conditional requests only), and compares retrieval (evals/ question sets for the corpus,
// recall@1, recall@5, MRR) against indexing the same corpus from its MDX folder. Prints its figures.
// `--every N` (what `npm run bench -- --quick` passes): the same steps on every Nth page of the corpus only (the
// MDX side indexes a copy of those pages; a question counts with its pages among them), a smoke test of the whole
// path whose figures are not the corpus's.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPgliteDb } from '@/lib/db/pglite';
import { crawlDocs } from '@/lib/docs/sources/single-kinds';
import { listDocFiles } from '@/lib/docs/folder/load';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { createLogger } from '@/lib/log';
import { docsSearch, evaluate, indexIntoMemory, listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { writeMarkdownTwins } from './lib/markdown-site';
import { serveStaticSite } from './lib/static-site';
import { makeTempDir, removeTempDir } from './lib/temp-dir';
import { buildVitepressSite } from './lib/vitepress-site';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '../shared/corpora/paste-docs' }, every: { type: 'string', default: '1' } } });
const docsDir = path.resolve(values.docs ?? '../shared/corpora/paste-docs');
const every = Math.max(1, Number(values.every));
/** The pages crawled and indexed: all of them, or every Nth (`--every`). */
const pages = listDocFiles(docsDir).filter((_, index) => index % every === 0);

/** The MDX folder the crawl is compared with: the corpus, or a copy of the pages a slice crawls. */
function mdxFolder(): { dir: string; remove(): void } {
  if (every === 1) return { dir: docsDir, remove: () => {} };
  const dir = makeTempDir('paste-crawl-slice-');
  for (const relativePath of pages) {
    mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
    copyFileSync(path.join(docsDir, relativePath), path.join(dir, relativePath));
  }
  return { dir, remove: () => removeTempDir(dir) };
}

async function main() {
  const log = createLogger({ level: 'silent' });
  if (every > 1) console.log(`QUICK (smoke test): every ${every}th page of the corpus only, ${pages.length} of ${listDocFiles(docsDir).length}; figures are not the corpus's`);
  const { dir, pageOf } = writeMarkdownTwins(docsDir, pages);
  let started = performance.now();
  const out = await buildVitepressSite({ pages: dir, label: 'paste', config: { title: 'Paste', markdown: { html: false } } });
  const buildMs = performance.now() - started;
  removeTempDir(dir);
  const site = await serveStaticSite(out);
  // Both databases (the crawl's, the MDX folder's) start from one migration: applying them takes seconds each.
  const db = await createPgliteDb({ dataDir: 'memory://' });
  const migrated = await db.pg.dumpDataDir('none');
  try {
    const options = { urls: [`${site.origin}/`], intervalMinutes: 60, contentSelector: null, maxPages: 5000, concurrency: 4, timeoutMs: 15_000, maxPageBytes: 5_000_000 };
    started = performance.now();
    const cold = await crawlDocs({ deps: { db, log }, options });
    const coldMs = performance.now() - started;
    site.log.length = 0;
    started = performance.now();
    const warm = await crawlDocs({ deps: { db, log }, options });
    const warmMs = performance.now() - started;
    const conditional = site.log.filter((entry) => entry.status === 304).length;

    const folder = mdxFolder();
    const mdx = await indexIntoMemory(folder.dir, { loadDataDir: migrated });
    folder.remove();
    const isCrawled = new Set(pages);
    const crawledSearch = async (query: string) =>
      (await rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit: 10 })).map((hit) => pageOf.get(new URL(hit.path).pathname) ?? hit.path);
    console.log(`site: VitePress build of ${pageOf.size} pages in ${(buildMs / 1000).toFixed(1)} s (0 when cached)`);
    console.log(
      `crawl, empty index: ${cold.pages} pages, ${cold.indexed.length} indexed, ${cold.failed.length} failed, ${cold.requests} requests in ${(coldMs / 1000).toFixed(1)} s ` +
        `(${(coldMs / Math.max(1, cold.pages)).toFixed(0)} ms a page)`,
    );
    console.log(`crawl again, nothing changed: ${warm.indexed.length} re-indexed, ${conditional} answered 304, in ${(warmMs / 1000).toFixed(1)} s`);
    for (const file of listQuestionSetFiles()) {
      const set = loadQuestionSet(file);
      if (set.corpus !== 'paste-docs' || set.questions.every((question) => question.pages.length === 0)) continue;
      // A question counts when a page that answers it was crawled (all of them in a full run).
      const questions = every === 1 ? set.questions : set.questions.map((question) => ({ ...question, pages: question.pages.filter((page) => isCrawled.has(page)) }));
      const answerable = { ...set, questions: questions.filter((question) => question.pages.length > 0) };
      const fromFolder = await evaluate(answerable, docsSearch(mdx.db));
      const fromCrawl = await evaluate(answerable, crawledSearch);
      const within = (a: number, b: number) => (b === 0 ? 'n/a' : `${(((a - b) / b) * 100).toFixed(1)}%`);
      console.log(
        `${path.basename(file)} (${answerable.questions.length} questions): ` +
          `MDX folder R@1 ${fromFolder.recallAt1.toFixed(3)} R@5 ${fromFolder.recallAt5.toFixed(3)} MRR ${fromFolder.mrr.toFixed(3)} | ` +
          `crawled R@1 ${fromCrawl.recallAt1.toFixed(3)} R@5 ${fromCrawl.recallAt5.toFixed(3)} MRR ${fromCrawl.mrr.toFixed(3)} | ` +
          `difference R@1 ${within(fromCrawl.recallAt1, fromFolder.recallAt1)}, R@5 ${within(fromCrawl.recallAt5, fromFolder.recallAt5)}, MRR ${within(fromCrawl.mrr, fromFolder.mrr)}`,
      );
    }
    await mdx.db.close();
  } finally {
    await db.close();
    await site.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});

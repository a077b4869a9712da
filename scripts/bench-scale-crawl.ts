import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listDocFiles } from '@/lib/docs/folder/load';
import { search, timeRequests, treeRssMb, untilSearchAnswers } from './bench-scale-copies';
import { SERVER_ENV, warmUpQuestions } from './bench-search';
import { writeMarkdownTwins } from './lib/markdown-site';
import { createCookieClient, percentile, startNextServer, type TNextServer } from './lib/next-server';
import { preparePasteBuild } from './lib/paste-build';
import { makeScaledCorpus } from './lib/scaled-corpus';
import { listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { serveStaticSite } from './lib/static-site';
import { makeTempDir, removeTempDir } from './lib/temp-dir';
import { buildVitepressSite } from './lib/vitepress-site';

// `npm run bench:scale -- --crawl [--copies 10]`: a crawled site at ×1 and ×N the Paste corpus (issue 54, 3.3). For each
// scale: the corpus N times over (scripts/lib/scaled-corpus.ts) as Markdown, built into a static site by VitePress
// (cached in the temp folder: the ×10 build takes minutes the first time), served on 127.0.0.1; `next start` of a
// crawl-only server (DOCS_CRAWL_URL, no DOCS_DIR) on a new DATA_DIR crawls it at start, in the background. Measured:
//   - the crawl: from the server's start to the crawl recorded in /api/health, its pages;
//   - the server's resident memory (its process tree) at the end of the crawl, its peak sampled during the crawl,
//     and after searching (the ranking index built from the crawled pages, search p50/p95 one at a time);
//   - a restart on the same DATA_DIR (the crawl not due again): spawn → first search, and its memory after searching.
// Budget (issue 54, at ×10): server RSS ≤ 800 MB at the end of the crawl and after a restart. Prints; asserts nothing.

const PASTE_DOCS = path.resolve('../shared/corpora/paste-docs');
const CONCURRENCY = 8;
/** How often the crawl's end is asked for (/api/health, as a load balancer's check would) and the memory sampled. */
const RSS_SAMPLE_MS = 250;
const PROGRESS_MS = 15_000;

type TCrawlRow = {
  copies: number;
  sitePages: number;
  crawledPages: number;
  crawlMs: number;
  crawlPeakRssMb: number;
  crawlEndRssMb: number;
  sequential: number[];
  searchedRssMb: number;
  restartReadyMs: number;
  restartRssMb: number;
};

type THealth = { docs?: { crawl?: { pages?: number; failed?: number; lastRun?: string | null } } };

/** Waits for the server's first crawl to be recorded, sampling its memory meanwhile; its pages and peak RSS. */
async function untilCrawled(server: TNextServer): Promise<{ pages: number; peakRssMb: number }> {
  let peakRssMb = 0;
  let lastLog = 0;
  for (;;) {
    peakRssMb = Math.max(peakRssMb, treeRssMb(server.process.pid!));
    // The memory as the crawl goes (minutes at ×10), on stderr: whether it grows with the pages crawled.
    if (performance.now() - lastLog > PROGRESS_MS) {
      lastLog = performance.now();
      process.stderr.write(`    server RSS ${treeRssMb(server.process.pid!).toFixed(0)} MB, ${((lastLog - server.startedAt) / 1000).toFixed(0)} s after its start\n`);
    }
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as THealth;
    if (health.docs?.crawl?.lastRun) return { pages: health.docs.crawl.pages ?? 0, peakRssMb };
    if (server.process.exitCode !== null) throw new Error(`next start exited during the crawl:\n${server.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
  }
}

async function measureCrawl(copies: number, rounds: number): Promise<TCrawlRow> {
  const log = (text: string) => process.stderr.write(`  crawl ×${copies}: ${text}\n`);
  const corpus = makeScaledCorpus(PASTE_DOCS, copies);
  const twins = writeMarkdownTwins(corpus, listDocFiles(corpus));
  removeTempDir(corpus);
  log(`building the static site of ${twins.pageOf.size} pages with VitePress (reused from the temp folder when built before)…`);
  const out = await buildVitepressSite({ pages: twins.dir, label: `paste-x${copies}`, config: { title: 'Paste', markdown: { html: false } } });
  removeTempDir(twins.dir);
  const site = await serveStaticSite(out);
  // A crawl-only server: no DOCS_DIR, so the build is of this project's own docs, which it then does not index.
  const build = preparePasteBuild({ docsDir: path.resolve('content/docs'), routes: ['pages/api/docs-search.ts', 'pages/api/health.ts'], name: 'scale-crawl' });
  const dataDir = makeTempDir(`bench-scale-crawl-x${copies}-`);
  const env = { ...SERVER_ENV, DOCS_DIR: '', DOCS_CRAWL_URL: `${site.origin}/`, DOCS_CRAWL_MAX_PAGES: '100000' };
  const start = (isMigrated: boolean) => startNextServer({ cwd: build.dir, dataDir, env, readyTimeoutMs: 600_000, isMigrated });
  const questions = listQuestionSetFiles()
    .map((file) => loadQuestionSet(file))
    .filter((set) => set.corpus === 'paste-docs')
    .flatMap((set) => set.questions.map((question) => question.q));
  const queries = Array.from({ length: rounds }, () => questions).flat();
  try {
    log('first start, crawling…');
    let server = await start(true);
    let row: Omit<TCrawlRow, 'restartReadyMs' | 'restartRssMb'>;
    try {
      const crawled = await untilCrawled(server);
      const crawlMs = performance.now() - server.startedAt;
      const crawlEndRssMb = treeRssMb(server.process.pid!);
      log(`crawled ${crawled.pages} pages in ${(crawlMs / 1000).toFixed(0)} s; searching…`);
      const clients = Array.from({ length: CONCURRENCY }, () => createCookieClient(server.url));
      await timeRequests(clients, warmUpQuestions(questions));
      const sequential = await timeRequests(clients.slice(0, 1), queries);
      row = { copies, sitePages: twins.pageOf.size, crawledPages: crawled.pages, crawlMs, crawlPeakRssMb: crawled.peakRssMb, crawlEndRssMb, sequential, searchedRssMb: treeRssMb(server.process.pid!) };
    } finally {
      await server.stop();
    }
    log('restart…');
    server = await start(false);
    try {
      const restartReadyMs = await untilSearchAnswers(server.url, server.startedAt);
      const clients = Array.from({ length: CONCURRENCY }, () => createCookieClient(server.url));
      await timeRequests(clients, warmUpQuestions([]));
      // A search that finds a crawled page: the restarted server searches the crawl's index, not an empty one.
      if ((await search(clients[0]!, 'button variants')).length === 0) throw new Error('the restarted server finds nothing: the crawl was not kept');
      return { ...row, restartReadyMs, restartRssMb: treeRssMb(server.process.pid!) };
    } finally {
      await server.stop();
    }
  } finally {
    await site.close();
    removeTempDir(dataDir);
  }
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} ms` : '–');
const mb = (value: number) => `${Math.round(value)} MB`;

function table(rows: TCrawlRow[]): string {
  const lines: [string, (row: TCrawlRow) => string][] = [
    ['site pages / crawled', (row) => `${row.sitePages.toLocaleString('en')} / ${row.crawledPages.toLocaleString('en')}`],
    ['start → crawl recorded', (row) => `${(row.crawlMs / 1000).toFixed(1)} s`],
    ['server RSS, peak during the crawl', (row) => mb(row.crawlPeakRssMb)],
    ['server RSS at the end of the crawl (budget ≤ 800 MB)', (row) => mb(row.crawlEndRssMb)],
    ['search p50 / p95, 1 at a time', (row) => `${ms(percentile(row.sequential, 50))} / ${ms(percentile(row.sequential, 95))}`],
    ['server RSS after searching, first start', (row) => mb(row.searchedRssMb)],
    ['restart: spawn → first search answered', (row) => `${(row.restartReadyMs / 1000).toFixed(1)} s`],
    ['server RSS after searching, restarted (budget ≤ 800 MB)', (row) => mb(row.restartRssMb)],
  ];
  const header = `| figure | ${rows.map((row) => `×${row.copies}`).join(' | ')} |`;
  return [header, `|---|${rows.map(() => '---|').join('')}`, ...lines.map(([label, value]) => `| ${label} | ${rows.map(value).join(' | ')} |`)].join('\n');
}

/** The crawled variant's figures at ×1 and ×`copies` (×1 alone for 1), as a table. */
export async function benchScaleCrawl({ copies, rounds = 1 }: { copies: number; rounds?: number }): Promise<string> {
  if (!existsSync(PASTE_DOCS)) return `bench:scale --crawl: ${PASTE_DOCS} does not exist. Skipped.`;
  const rows: TCrawlRow[] = [];
  for (const scale of copies === 1 ? [1] : [1, copies]) rows.push(await measureCrawl(scale, rounds));
  return [`bench:scale --crawl: a crawled VitePress site at ×1 and ×${copies} the Paste corpus (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`, '', table(rows)].join('\n');
}

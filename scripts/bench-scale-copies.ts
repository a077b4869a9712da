import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { execFileSync } from 'node:child_process';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { createPgliteDb } from '@/lib/db/pglite';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { deserializeRankIndex, RANK_INDEX_FILE, serializeRankIndex } from '@/lib/docs/search/ranking/persist';
import { SERVER_ENV, warmUpQuestions } from './bench-search';
import { createCookieClient, percentile, startNextServer, type TNextServer } from './lib/next-server';
import { preparePasteBuild } from './lib/paste-build';
import { makeScaledCorpus } from './lib/scaled-corpus';
import { listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { makeTempDir } from './lib/temp-dir';

// `npm run bench:scale -- --copies 10|100`: docs search at ten or a hundred times the Paste corpus, beside ×1
// (issue 39). For each scale, on a copy of the corpus made in a temp folder (scripts/lib/scaled-corpus.ts):
//   - docs indexing (in process, into the PGlite of a new DATA_DIR) and the ranking index build (in process: CPU
//     time, and the index's memory: heap and typed arrays after a full GC), its file's size and load time;
//   - `next start` of a build of that corpus on that DATA_DIR: the first start (the index built and written to
//     DATA_DIR/search), search p50/p95 over HTTP one request at a time and 8 at once (the eval questions, after a
//     warm-up with other questions), the server's resident memory (its process tree);
//   - a restart: from spawning `next start` to the first search answered, and from its health answering to that;
//   - re-indexing one changed page: a page edited with a new word, POST /api/docs/reindex, until a search finds it.
// Budgets (issue 39, at ×10): p95 ≤ 30 ms one at a time and ≤ 100 ms with 8 at once, ready ≤ 2 s after a
// restart, index memory ≤ 150 MB, server RSS ≤ 800 MB. Prints figures; asserts nothing.

const PASTE_DOCS = path.resolve('../shared/corpora/paste-docs');
const CONCURRENCY = 8;
const REINDEX_TOKEN = 'bench-scale-reindex-token-0123456789';
/** The word the edited page gains: in no page of the corpus. */
const NEW_WORD = 'quokkafrobnicator';

type TScaleRow = {
  copies: number;
  pages: number;
  sections: number;
  indexDocsMs: number;
  rankBuildCpuMs: number;
  indexHeapMb: number;
  indexArraysMb: number;
  fileMb: number;
  fileLoadCpuMs: number;
  firstReadyMs: number;
  sequential: number[];
  concurrent: number[];
  rssMb: number;
  restartRssMb: number;
  restartReadyMs: number;
  restartAfterHealthMs: number;
  reindexOneMs: number;
};

/** A full collection, made callable without starting node with --expose-gc. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Resident memory of a process and its children (next start runs the server in a child), in MB. */
export function treeRssMb(pid: number): number {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const tree = [pid];
  for (let at = 0; at < tree.length; at += 1) for (const [child, parent] of all) if (parent === tree[at]) tree.push(child);
  return all.filter(([id]) => tree.includes(id)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024;
}

export async function search(client: ReturnType<typeof createCookieClient>, prompt: string): Promise<{ path: string }[]> {
  return (await client.call('/api/docs-search', { json: { prompt } })).body.data as { path: string }[];
}

/** Each query through `clients` (one request per client at a time); the milliseconds of each. */
export async function timeRequests(clients: ReturnType<typeof createCookieClient>[], queries: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < queries.length) {
        const prompt = queries[next]!;
        next += 1;
        const started = performance.now();
        await search(client, prompt);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

/** Milliseconds from `since` until a search answers (the server may answer 5xx or time out while it starts). */
export async function untilSearchAnswers(url: string, since: number): Promise<number> {
  const client = createCookieClient(url);
  for (;;) {
    try {
      await search(client, 'button');
      return performance.now() - since;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The first .mdx page of the corpus (depth first, sorted), to edit. */
function firstPage(dir: string): string {
  for (const entry of readdirSync(dir).sort()) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) {
      const found = firstPage(file);
      if (found) return found;
    } else if (entry.endsWith('.mdx')) return file;
  }
  return '';
}

async function measureScale(copies: number, rounds: number): Promise<TScaleRow> {
  const gc = collector();
  const corpus = makeScaledCorpus(PASTE_DOCS, copies);
  const dataDir = makeTempDir(`bench-scale-x${copies}-`);
  const log = (text: string) => process.stderr.write(`  ×${copies}: ${text}\n`);

  log('indexing the docs (in process)…');
  const db = await createPgliteDb({ dataDir });
  const indexed = await indexDocs({ db, docsDir: corpus });
  const sections = await listDocsSectionsForRanking({ db });
  gc();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  let index: ReturnType<typeof buildRankIndex> | null = buildRankIndex(sections);
  const built = process.cpuUsage(cpu);
  gc();
  const after = process.memoryUsage();
  const bytes = serializeRankIndex(index, 'bench');
  // The index's heap (the rows just read were counted before the build; the index keeps only their heads), and its
  // typed arrays (outside the heap), counted from the arrays themselves.
  const indexHeapMb = (after.heapUsed - before.heapUsed) / 1e6;
  const typed = [...Object.values(index.compact).filter((value) => ArrayBuffer.isView(value)), index.showsHow, index.fieldLengths, index.sectionWords.offsets, index.sectionWords.ids] as ArrayBufferView[];
  const indexArraysMb = typed.reduce((sum, array) => sum + array.byteLength, 0) / 1e6;
  index = null;
  const loadCpu = process.cpuUsage();
  deserializeRankIndex(bytes, 'bench');
  const loaded = process.cpuUsage(loadCpu);
  await db.close();

  log('building next start for this corpus (reused from .bench/ when unchanged)…');
  const build = preparePasteBuild({
    docsDir: corpus,
    routes: ['pages/api/docs-search.ts', 'pages/api/health.ts', 'pages/api/docs/reindex.ts'],
    name: `scale-x${copies}`,
  });
  const env = { ...SERVER_ENV, DOCS_DIR: corpus, DOCS_REINDEX_TOKEN: REINDEX_TOKEN };
  const start = () => startNextServer({ cwd: build.dir, dataDir, env, readyTimeoutMs: 3_600_000 });

  log('first start…');
  let server: TNextServer = await start();
  const firstReadyMs = await untilSearchAnswers(server.url, server.startedAt);
  let sequential: number[] = [];
  let concurrent: number[] = [];
  let rssMb = 0;
  try {
    const questions = listQuestionSetFiles()
      .map((file) => loadQuestionSet(file))
      .filter((set) => set.corpus === 'paste-docs')
      .flatMap((set) => set.questions.map((question) => question.q));
    const queries = Array.from({ length: rounds }, () => questions).flat();
    const clients = Array.from({ length: CONCURRENCY }, () => createCookieClient(server.url));
    await timeRequests(clients, warmUpQuestions(questions));
    sequential = await timeRequests(clients.slice(0, 1), queries);
    concurrent = await timeRequests(clients, queries);
    rssMb = treeRssMb(server.process.pid!);
    // The index written by this start, for the restart to load.
    const file = path.join(dataDir, 'search', RANK_INDEX_FILE);
    for (let waited = 0; !existsSync(file) && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await server.stop();
  }

  log('restart…');
  server = await start();
  const healthyAt = performance.now();
  let restartReadyMs: number;
  let restartAfterHealthMs: number;
  let restartRssMb: number;
  let reindexOneMs = NaN;
  try {
    restartReadyMs = await untilSearchAnswers(server.url, server.startedAt);
    restartAfterHealthMs = performance.now() - healthyAt;
    // What a restarted server holds once it has searched a while (the index loaded, not built from every section).
    const clients = Array.from({ length: CONCURRENCY }, () => createCookieClient(server.url));
    await timeRequests(clients, warmUpQuestions([]));
    restartRssMb = treeRssMb(server.process.pid!);

    log('re-indexing one changed page…');
    const page = firstPage(corpus);
    appendFileSync(page, `\n\nThe ${NEW_WORD} appears on this page only.\n`);
    const client = createCookieClient(server.url);
    const started = performance.now();
    const response = await fetch(`${server.url}/api/docs/reindex`, { method: 'POST', headers: { authorization: `Bearer ${REINDEX_TOKEN}` } });
    if (!response.ok) throw new Error(`reindex: ${response.status} ${await response.text()}`);
    const relative = path.relative(corpus, page);
    for (let tries = 0; tries < 100_000; tries += 1) {
      const results = await search(client, NEW_WORD);
      if (results.some((result) => result.path === relative)) {
        reindexOneMs = performance.now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await server.stop();
  }
  return {
    copies,
    pages: indexed.pages,
    sections: sections.length,
    indexDocsMs: indexed.ms,
    rankBuildCpuMs: (built.user + built.system) / 1000,
    indexHeapMb,
    indexArraysMb,
    fileMb: bytes.length / 1e6,
    fileLoadCpuMs: (loaded.user + loaded.system) / 1000,
    firstReadyMs,
    sequential,
    concurrent,
    rssMb,
    restartReadyMs,
    restartAfterHealthMs,
    restartRssMb,
    reindexOneMs,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en')} ms` : '–');
const s = (value: number) => `${(value / 1000).toFixed(1)} s`;
const mb = (value: number) => `${Math.round(value)} MB`;

function table(rows: TScaleRow[]): string {
  const lines: [string, (row: TScaleRow) => string][] = [
    ['pages / sections', (row) => `${row.pages.toLocaleString('en')} / ${row.sections.toLocaleString('en')}`],
    ['docs indexing, cold (in process)', (row) => s(row.indexDocsMs)],
    ['ranking index build (CPU, in process)', (row) => ms(row.rankBuildCpuMs)],
    ['index memory: heap + typed arrays (budget ≤ 150 MB at ×10)', (row) => `${mb(row.indexHeapMb + row.indexArraysMb)} (${mb(row.indexHeapMb)} + ${mb(row.indexArraysMb)})`],
    ['index file (DATA_DIR/search), load CPU', (row) => `${mb(row.fileMb)}, ${ms(row.fileLoadCpuMs)}`],
    ['first start → first search answered', (row) => s(row.firstReadyMs)],
    ['search p50 / p95, 1 at a time (budget p95 ≤ 30 ms)', (row) => `${ms(percentile(row.sequential, 50))} / ${ms(percentile(row.sequential, 95))}`],
    [`search p50 / p95, ${CONCURRENCY} at once (budget p95 ≤ 100 ms)`, (row) => `${ms(percentile(row.concurrent, 50))} / ${ms(percentile(row.concurrent, 95))}`],
    ['server RSS after searching, first start (budget ≤ 800 MB)', (row) => mb(row.rssMb)],
    ['restart: spawn → first search answered', (row) => s(row.restartReadyMs)],
    ['restart: health answering → first search (budget ≤ 2 s)', (row) => ms(row.restartAfterHealthMs)],
    ['server RSS after searching, restarted (budget ≤ 800 MB)', (row) => mb(row.restartRssMb)],
    ['re-index one changed page → searchable', (row) => ms(row.reindexOneMs)],
  ];
  const header = `| figure | ${rows.map((row) => `×${row.copies}`).join(' | ')} |`;
  return [header, `|---|${rows.map(() => '---|').join('')}`, ...lines.map(([label, value]) => `| ${label} | ${rows.map(value).join(' | ')} |`)].join('\n');
}

/** The figures at ×1 and ×`copies`, as a table. `rounds`: how many times each eval question is asked. */
export async function benchScaleCopies({ copies, rounds = 2 }: { copies: number; rounds?: number }): Promise<string> {
  if (!existsSync(PASTE_DOCS)) return `bench:scale --copies: ${PASTE_DOCS} does not exist. Skipped.`;
  const rows: TScaleRow[] = [];
  for (const scale of copies === 1 ? [1] : [1, copies]) rows.push(await measureScale(scale, rounds));
  return [`bench:scale --copies ${copies}: docs search at ×1 and ×${copies} the Paste corpus (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`, '', table(rows)].join('\n');
}

// `npm run bench:code [-- --quick]`: the code source (issue 70) on the Paste source (../shared/corpora/paste-source,
// 816 files, or PASTE_SOURCE_CORPUS_DIR) beside the Paste docs, in a fresh process of its own (started again with
// --expose-gc when it was not, so that memory is measured after a collection), into an embedded database (PGlite, in
// process, no embeddings), as a server with DOCS_CODE_DIR beside DOCS_DIR:
// - the docs indexed first; then the process's RSS and heap; then the code indexed (time; goal ≤ 15 s), and the RSS
//   and heap again (memory added; goal ≤ 150 MB). PGlite is in this process, so its memory is counted too;
// - the whole search path the route calls (searchDocsForReader) over the docs sets' questions and the blind set of
//   code questions: p50 and p95 before the code is indexed and after (goal: p95 unchanged within noise);
// - a re-index with nothing changed (what the hook and the schedule cost when no file did).
// Prints its figures; asserts no threshold (the numbers depend on the machine and its load).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { createPgliteDb } from '@/lib/db/pglite';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { createCodeSource, indexDocs } from '@/lib/docs/sources/single-kinds';
import { createLogger } from '@/lib/log';
import { pasteSourceConfig } from './lib/search-code-eval';
import { listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { makeTempDir, removeTempDir } from './lib/temp-dir';

const SOURCE_DIR = path.resolve(process.env.PASTE_SOURCE_CORPUS_DIR ?? '../shared/corpora/paste-source');
const PASTE_DOCS = path.resolve(process.env.PASTE_CORPUS_DIR ?? '../shared/corpora/paste-docs');
const SAMPLES = { full: { questions: 120, rounds: 3 }, quick: { questions: 30, rounds: 1 } };
const GOALS = { indexSeconds: 15, addedMb: 150 };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const spread = <T>(items: T[], count: number): T[] => {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, index) => index % step === 0).slice(0, count);
};

/** The process's memory after a full collection (twice: what the first frees can free more). */
function settledMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external: external + arrayBuffers };
}

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const samples = values.quick ? SAMPLES.quick : SAMPLES.full;
  if (!existsSync(SOURCE_DIR) || !existsSync(PASTE_DOCS)) {
    console.log(`code bench: not run (${existsSync(SOURCE_DIR) ? PASTE_DOCS : SOURCE_DIR} is not there)`);
    return;
  }
  const log = createLogger({ level: 'silent' });
  const dataDir = makeTempDir('bench-code-');
  const db = await createPgliteDb({ dataDir });
  try {
    const deps = { db, log, embedder: null };
    const docs = await indexDocs({ db, docsDir: PASTE_DOCS });
    const docsQuestions = spread(
      [...new Set(listQuestionSetFiles().map((file) => loadQuestionSet(file)).filter((set) => set.corpus === 'paste-docs').flatMap((set) => set.questions.map((question) => question.q)))],
      samples.questions,
    );
    const codeSet = JSON.parse(readFileSync('evals/code/paste-source.json', 'utf8')) as { questions: { question: string }[] };
    const codeQuestions = spread(codeSet.questions.map((question) => question.question), samples.questions);
    const questions = [...docsQuestions, ...codeQuestions];
    const time = async () => {
      // Warm-up (plan cache, JIT, the ranker's in-memory index), as a running server would be.
      for (const prompt of questions.slice(0, 10)) await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt, limit: 8 });
      const latencies: number[] = [];
      let codeFirst = 0;
      for (let round = 0; round < samples.rounds; round += 1) {
        for (const prompt of questions) {
          const at = performance.now();
          const { data } = await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt, limit: 8 });
          latencies.push(performance.now() - at);
          if (round === 0 && data[0]?.kind === 'code') codeFirst += 1;
        }
      }
      return { latencies, codeFirst };
    };
    const without = await time();
    const before = settledMemory();
    const source = createCodeSource(pasteSourceConfig(SOURCE_DIR));
    const startedAt = performance.now();
    const cpuAt = process.cpuUsage();
    const report = await source.load(deps);
    const indexMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuAt);
    const indexCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const afterIndex = settledMemory();
    const withCode = await time();
    // The server's steady state with the code: indexed, and searched (the ranker's in-memory index holds its sections).
    const after = settledMemory();
    const againAt = performance.now();
    const again = await source.load(deps);
    const againMs = performance.now() - againAt;

    const latencyLine = ({ latencies }: { latencies: number[] }) => `p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(Math.max(...latencies))}  (${latencies.length} searches)`;
    const added = after.rss - before.rss;
    console.log(`code bench${values.quick ? ' [quick]' : ''} (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`);
    console.log(`  docs: ${docs.pages} pages, ${docs.sections} sections of ${PASTE_DOCS}`);
    console.log(`  code: ${report.files} files, ${report.symbols} sections of ${SOURCE_DIR} (failed ${report.failed.length})`);
    console.log(`  indexing the code: ${(indexMs / 1000).toFixed(1)} s wall, ${indexCpuSeconds.toFixed(1)} CPU-s of this process (goal ≤ ${GOALS.indexSeconds} s)${indexMs / 1000 <= GOALS.indexSeconds ? '' : '  OVER THE GOAL (wall; see the CPU time and the load)'}`);
    console.log(`  memory added (RSS after a collection; docs indexed and searched → code indexed and searched): ${mb(before.rss)} → ${mb(after.rss)}, +${mb(added)} (goal ≤ ${GOALS.addedMb} MB)${added / 1024 / 1024 <= GOALS.addedMb ? '' : '  OVER THE GOAL'}`);
    console.log(`    JS heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (${mb(afterIndex.heapUsed)} just after indexing); external + array buffers ${mb(before.external)} → ${mb(after.external)}`);
    console.log(`  re-index with nothing changed: ${(againMs / 1000).toFixed(2)} s (${again.unchanged} unchanged, ${again.indexed} indexed)`);
    console.log(`  search without code  ${latencyLine(without)}`);
    console.log(`  search with code     ${latencyLine(withCode)}; code first for ${withCode.codeFirst} of ${questions.length}`);
    console.log(`  questions: ${docsQuestions.length} docs questions (paste-docs sets) and ${codeQuestions.length} code questions (evals/code/paste-source.json), ${samples.rounds} round(s)`);
  } finally {
    await db.close();
    removeTempDir(dataDir);
  }
}

// Memory is compared after collections: without --expose-gc, this script runs itself again with it.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function' && !process.env.BENCH_CODE_CHILD) {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CODE_CHILD: '1' },
  });
  process.exit(result.status ?? 1);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

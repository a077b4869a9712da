// `npm run bench:docs [-- --docs ../shared/corpora/paste-docs]` (the lead's `npm run bench` calls it): index
// time of the corpus into an on-disk PGlite (cold, then re-run with nothing changed, in-process and as a new
// process would: open + migrate + check), and in-process query latency p50/p95 and CPU time per query over the eval questions: the
// ranking alone (rankDocsSections: the in-memory ranker and its version check) and the whole search path the route calls (searchDocsForReader: masking,
// typo check, ranking, recording the query). The difference is overhead outside the ranking; the same search
// over HTTP on `next start` is `npm run bench:search`. Prints figures; asserts nothing.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { createPgliteDb } from '@/lib/db/pglite';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { createLogger } from '@/lib/log';
import { warmUpQuestions } from './bench-search';
import { listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { makeTempDir, removeTempDir } from './lib/temp-dir';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

// CPU time per query beside the latencies: on a loaded machine a query waits for a core, which its latency
// shows and its CPU time (this process's, the embedded database included) much less.
const latencyLine = ({ latencies, cpuMs }: TTimed) =>
  `p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(Math.max(...latencies))}  CPU ${ms(cpuMs / latencies.length)}/query`;

type TTimed = { latencies: number[]; cpuMs: number };

/** Each query `rounds` times, one at a time; the milliseconds of each call, and the CPU time of them all. */
async function timeQueries(queries: string[], rounds: number, search: (query: string) => Promise<unknown>): Promise<TTimed> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) {
    for (const query of queries) {
      const at = performance.now();
      await search(query);
      latencies.push(performance.now() - at);
    }
  }
  const used = process.cpuUsage(cpu);
  return { latencies, cpuMs: (used.user + used.system) / 1000 };
}

async function main() {
  const { values } = parseArgs({ options: { docs: { type: 'string', default: '../shared/corpora/paste-docs' }, set: { type: 'string', default: 'paste-docs' }, rounds: { type: 'string', default: '3' } } });
  const docsDir = path.resolve(values.docs ?? '');
  if (!existsSync(docsDir)) {
    console.log(`bench:docs: ${docsDir} does not exist; pass --docs DIR. Skipped.`);
    return;
  }
  const dataDir = makeTempDir('bench-docs-');
  try {
    let started = performance.now();
    let db = await createPgliteDb({ dataDir });
    const openMs = performance.now() - started;
    const cold = await indexDocs({ db, docsDir });
    const warm = await indexDocs({ db, docsDir });
    await db.close();

    started = performance.now();
    db = await createPgliteDb({ dataDir });
    const reopened = await indexDocs({ db, docsDir });
    const rerunProcessMs = performance.now() - started;

    const questions = listQuestionSetFiles()
      .map((file) => loadQuestionSet(file))
      .filter((set) => (values.set ? set.corpus === values.set : true))
      .flatMap((set) => set.questions.map((question) => question.q));
    // Warm up the plan cache and the JIT, as a running server would be, with other questions than the measured ones.
    const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
    for (const query of warmUpQuestions(questions)) {
      await rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit: 8 });
      await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt: query, limit: 8 });
    }
    const ranking = await timeQueries(questions, Number(values.rounds), (query) => rankDocsSections({ access: MAINTAINER_ACCESS, db, query, limit: 8 }));
    const searchPath = await timeQueries(questions, Number(values.rounds), (prompt) => searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt, limit: 8 }));
    await db.close();

    console.log(`docs bench: ${docsDir} (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`);
    console.log(`  pages ${cold.pages}, sections ${cold.sections}, failed ${cold.failed.length}, repaired ${cold.warnings.length}`);
    console.log(`  open + migrate PGlite (new data dir)    ${ms(openMs)}`);
    console.log(
      `  cold index                              ${ms(cold.ms)}  (parse ${cold.timings.parseMs} ms, write ${cold.timings.writeMs} ms)`,
    );
    console.log(`  re-run, nothing changed (in process)    ${ms(warm.ms)}  (${warm.unchanged} unchanged)`);
    console.log(`  re-run, nothing changed (open + index)  ${ms(rerunProcessMs)}  (${reopened.unchanged} unchanged)`);
    console.log(`  ranking alone, ${ranking.latencies.length} queries       ${latencyLine(ranking)}`);
    console.log(`  whole search path, ${searchPath.latencies.length} queries   ${latencyLine(searchPath)}  (mask, typo check, rank, record)`);
  } finally {
    removeTempDir(dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

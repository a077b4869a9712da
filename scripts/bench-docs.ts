// `npm run bench:docs [-- --docs ../shared/corpora/paste-docs]` (the lead's `npm run bench` calls it): index
// time of the corpus into an on-disk PGlite (cold, then re-run with nothing changed, in-process and as a new
// process would: open + migrate + check), and query latency p50/p95 over the eval questions. Prints figures;
// asserts nothing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { searchDocsSections } from '@/lib/db/docs';
import { createPgliteDb } from '@/lib/db/pglite';
import { indexDocs } from '@/lib/docs/indexer';
import { loadQuestionSet } from './lib/search-eval';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main() {
  const { values } = parseArgs({ options: { docs: { type: 'string', default: '../shared/corpora/paste-docs' }, set: { type: 'string', default: 'paste-docs' }, rounds: { type: 'string', default: '3' } } });
  const docsDir = path.resolve(values.docs ?? '');
  if (!existsSync(docsDir)) {
    console.log(`bench:docs: ${docsDir} does not exist; pass --docs DIR. Skipped.`);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
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

    const questions = readdirSync('evals')
      .filter((file) => file.endsWith('.json'))
      .map((file) => loadQuestionSet(path.join('evals', file)))
      .filter((set) => (values.set ? set.corpus === values.set : true))
      .flatMap((set) => set.questions.map((question) => question.q));
    // Warm up the plan cache and the JIT, as a running server would be.
    for (const query of questions.slice(0, 5)) await searchDocsSections({ db, query, limit: 8 });
    const latencies: number[] = [];
    for (let round = 0; round < Number(values.rounds); round += 1) {
      for (const query of questions) {
        const at = performance.now();
        await searchDocsSections({ db, query, limit: 8 });
        latencies.push(performance.now() - at);
      }
    }
    await db.close();

    console.log(`docs bench: ${docsDir} (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`);
    console.log(`  pages ${cold.pages}, sections ${cold.sections}, failed ${cold.failed.length}, repaired ${cold.warnings.length}`);
    console.log(`  open + migrate PGlite (new data dir)    ${ms(openMs)}`);
    console.log(
      `  cold index                              ${ms(cold.ms)}  (parse ${cold.timings.parseMs} ms, write ${cold.timings.writeMs} ms, vocabulary ${cold.timings.termsMs} ms)`,
    );
    console.log(`  re-run, nothing changed (in process)    ${ms(warm.ms)}  (${warm.unchanged} unchanged)`);
    console.log(`  re-run, nothing changed (open + index)  ${ms(rerunProcessMs)}  (${reopened.unchanged} unchanged)`);
    console.log(
      `  query latency over ${latencies.length} queries  p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(Math.max(...latencies))}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

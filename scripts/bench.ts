import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchAnswer } from './bench-answer';
import { processCpuSeconds } from './lib/proc-cpu';
import { benchBundles } from './bench-bundle';
import { benchEmbed } from './bench-embed';
import { benchIdleStreams } from './bench-idle-streams';
import { benchPageLoad } from './bench-page-load';
import { benchReference } from './bench-reference';
import { benchResearch } from './bench-research';
import { benchSearch } from './bench-search';
import { benchStart } from './bench-start';
import { benchStreaming } from './bench-streaming';
import { benchTelemetry } from './bench-telemetry';

// `npm run bench [-- --quick]`: every performance figure of the project, printed as tables, each section with
// the wall time it took. Needs `npm run build`. Exits 1 when a section fails (an error, or a budget a section
// enforces). `--quick` (or BENCH_QUICK=1), what CI runs: every section end to end with fewer samples (the
// counts below); its figures are named as quick ones and are noisier, never compared with a full run's.

/** The samples each section takes, in a full run and in a quick one. */
const SAMPLES = {
  full: { telemetryQuestions: 30, turns: 20, docsRounds: 3, crawlEvery: 1, searchRounds: 2, conversations: 20, answerSizesKb: [32, 125, 500, 1000], pageLoads: 3, embedLoads: 5, isSourcesQuick: false, isReferenceQuick: false, researchQuestions: 5 },
  // The crawl in quick mode: every 4th page of the corpus (bench-crawl.ts --every), ~17 CPU-s less.
  quick: { telemetryQuestions: 8, turns: 5, docsRounds: 1, crawlEvery: 4, searchRounds: 1, conversations: 5, answerSizesKb: [32, 500], pageLoads: 1, embedLoads: 3, isSourcesQuick: true, isReferenceQuick: true, researchQuestions: 3 },
};
type TSamples = (typeof SAMPLES)['full'];

// A section returns its figures, or the text a standalone bench script printed.
type TSection = { name: string; run: (samples: TSamples) => Promise<Record<string, string> | string> };

/** Runs a bench script that is also usable on its own (`npm run bench:docs`) and passes its output through. */
async function runScript(script: string, args: string[] = []): Promise<string> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr.trim().split('\n').pop()}`);
  return result.stdout.trimEnd();
}

const PASTE_DOCS = '../shared/corpora/paste-docs';

const sections: TSection[] = [
  { name: 'Start-up and offline conversation', run: ({ turns }) => benchStart({ turns }) },
  {
    name: 'Docs index and search (Paste corpus)',
    run: ({ docsRounds }) => runScript('scripts/bench-docs.ts', ['--docs', PASTE_DOCS, '--rounds', String(docsRounds)]),
  },
  {
    name: 'Crawling the Paste corpus built by VitePress (time for ~370 pages; retrieval vs the MDX folder)',
    run: ({ crawlEvery }) => runScript('scripts/bench-crawl.ts', ['--docs', PASTE_DOCS, '--every', String(crawlEvery)]),
  },
  {
    name: 'GitHub threads (fake GitHub serving the Paste threads): sync throughput, and search p95 with every source on',
    run: ({ isSourcesQuick }) => runScript('scripts/bench-sources.ts', isSourcesQuick ? ['--quick'] : []),
  },
  {
    name: 'Code source (the Paste source beside the Paste docs): indexing time, memory added, search p95 with and without code',
    run: ({ isSourcesQuick }) => runScript('scripts/bench-code.ts', isSourcesQuick ? ['--quick'] : []),
  },
  {
    name: 'Research runs offline beside quick answers (next start of this site\'s docs: send → completed, several-part questions)',
    run: ({ researchQuestions }) => benchResearch({ questions: researchQuestions }),
  },
  { name: 'Docs search over HTTP (next start of a Paste corpus build, PGlite, offline)', run: ({ searchRounds }) => benchSearch({ rounds: searchRounds }) },
  {
    name: 'Run pipeline overhead over a streaming model (send → text visible, minus the model\'s own time)',
    run: ({ conversations }) => benchStreaming({ conversations }),
  },
  {
    name: 'Tracing overhead (OpenTelemetry off vs on, exporting OTLP to a receiver on 127.0.0.1; send → answered, p50 difference)',
    run: ({ telemetryQuestions }) => benchTelemetry({ questions: telemetryQuestions }),
  },
  { name: 'Long answers (send → stored, at MAX_ANSWER_CHARS=1,000,000; /api/health probed meanwhile)', run: ({ answerSizesKb }) => benchAnswer({ sizesKb: answerSizesKb }) },
  {
    name: 'Idle event streams (1,500 stream requests on 30 runs in progress: 300 open, 1,200 refused by the per-session cap; the server\'s CPU while they wait)',
    run: () => benchIdleStreams(),
  },
  { name: 'Client bundles (first-load JS from the build output)', run: () => benchBundles() },
  { name: 'A docs page in Chromium (JS with the assistant closed, main-thread blocking at 4× CPU)', run: ({ pageLoads }) => benchPageLoad({ runs: pageLoads }) },
  {
    name: 'Docs and API reference pages, with this site\'s docs and the Paste docs (first request of each kind after a cold start, HTML size, the slowest first request, DOM nodes and first paint in Chromium)',
    // The quick run (CI's smoke test) measures this site's build only: the Paste docs' build of every docs route is a
    // further 5–7 minutes on CI's two cores; `npm run bench` and `npm run bench:reference` measure both.
    run: ({ isReferenceQuick }) => benchReference({ isQuick: isReferenceQuick, isDocsOnly: isReferenceQuick }),
  },
  { name: 'The embed on another site (widget.js: bytes before opening, main-thread cost at 4× CPU)', run: ({ embedLoads }) => benchEmbed({ runs: embedLoads }) },
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU seconds of the bench and of the child processes it has waited for (scripts/lib/proc-cpu.ts). */
const cpuSeconds = () => processCpuSeconds('self', { hasChildren: true });

const cpuText = (cpu: number | undefined) => (cpu === undefined ? '' : `, CPU ${cpu.toFixed(1)} s`);

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const isQuick = values.quick || process.env.BENCH_QUICK === '1';
  const samples = isQuick ? SAMPLES.quick : SAMPLES.full;
  const load = () => os.loadavg()[0]?.toFixed(1);
  process.stdout.write(
    `# npm run bench${isQuick ? ' --quick: QUICK mode, fewer samples per section (figures noisier than a full run)' : ': full run'}` +
      ` — ${os.cpus().length} CPUs, load ${load()}\n`,
  );
  let hasFailed = false;
  const took: [string, number, number | undefined, boolean][] = [];
  const startedAll = performance.now();
  const cpuAtStart = cpuSeconds();
  for (const section of sections) {
    process.stdout.write(`\n## ${section.name}${isQuick ? ' [quick]' : ''}\n`);
    const started = performance.now();
    const cpuBefore = cpuSeconds();
    let isOk = true;
    try {
      const figures = await section.run(samples);
      if (typeof figures === 'string') process.stdout.write(`${figures.replace(/^/gm, '  ')}\n`);
      else {
        const width = Math.max(...Object.keys(figures).map((key) => key.length));
        for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
      }
    } catch (error) {
      hasFailed = true;
      isOk = false;
      process.stdout.write(`  failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    const ms = performance.now() - started;
    const cpuAfter = cpuSeconds();
    const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
    took.push([section.name, ms, cpu, isOk]);
    process.stdout.write(`  (section took ${seconds(ms)}${cpuText(cpu)}, load ${load()})\n`);
  }
  process.stdout.write(`\n## Wall and CPU time per section${isQuick ? ' [quick]' : ''}\n`);
  for (const [name, ms, cpu, isOk] of took) {
    process.stdout.write(`  ${seconds(ms).padStart(8)}${cpu === undefined ? '' : `  CPU ${cpu.toFixed(1).padStart(6)} s`}  ${isOk ? '' : 'FAILED  '}${name}\n`);
  }
  const cpuAtEnd = cpuSeconds();
  const cpuAll = cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : cpuAtEnd - cpuAtStart;
  process.stdout.write(`  ${seconds(performance.now() - startedAll).padStart(8)}  total${cpuText(cpuAll)} (load ${load()})\n`);
  process.exit(hasFailed ? 1 : 0);
}

void main();

import { spawnSync } from 'node:child_process';
import { benchAnswer } from './bench-answer';
import { benchBundles } from './bench-bundle';
import { benchEmbed } from './bench-embed';
import { benchPageLoad } from './bench-page-load';
import { benchSearch } from './bench-search';
import { benchStart } from './bench-start';
import { benchStreaming } from './bench-streaming';

// `npm run bench`: every performance figure of the project, printed as tables. Needs `npm run build`.

// A section returns its figures, or the text a standalone bench script printed.
type TSection = { name: string; run: () => Promise<Record<string, string> | string> };

/** Runs a bench script that is also usable on its own (`npm run bench:docs`) and passes its output through. */
async function runScript(script: string, args: string[] = []): Promise<string> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr.trim().split('\n').pop()}`);
  return result.stdout.trimEnd();
}

const sections: TSection[] = [
  { name: 'Start-up and offline conversation', run: benchStart },
  { name: 'Docs index and search (Paste corpus)', run: () => runScript('scripts/bench-docs.ts', ['--docs', '../shared/corpora/paste-docs']) },
  { name: 'Crawling the Paste corpus built by VitePress (time for ~370 pages; retrieval vs the MDX folder)', run: () => runScript('scripts/bench-crawl.ts', ['--docs', '../shared/corpora/paste-docs']) },
  { name: 'Docs search over HTTP (next start of a Paste corpus build, PGlite, offline)', run: () => benchSearch() },
  { name: 'Run pipeline overhead over a streaming model (send → text visible, minus the model\'s own time)', run: benchStreaming },
  { name: 'Long answers (send → stored, at MAX_ANSWER_CHARS=1,000,000; /api/health probed meanwhile)', run: benchAnswer },
  { name: 'Client bundles (first-load JS from the build output)', run: benchBundles },
  { name: 'A docs page in Chromium (JS with the assistant closed, main-thread blocking at 4× CPU)', run: benchPageLoad },
  { name: 'The embed on another site (widget.js: bytes before opening, main-thread cost at 4× CPU)', run: benchEmbed },
];

async function main() {
  let hasFailed = false;
  for (const section of sections) {
    process.stdout.write(`\n## ${section.name}\n`);
    try {
      const figures = await section.run();
      if (typeof figures === 'string') {
        process.stdout.write(`${figures.replace(/^/gm, '  ')}\n`);
        continue;
      }
      const width = Math.max(...Object.keys(figures).map((key) => key.length));
      for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
    } catch (error) {
      hasFailed = true;
      process.stdout.write(`  failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  process.exit(hasFailed ? 1 : 0);
}

void main();

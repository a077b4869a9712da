import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The OCR makes no network request (issue 71 item 3): the app's reader (lib/assistant/ocr.ts) reads the screenshot
// fixture in a child process whose every thread refuses and records any connection that leaves 127.0.0.1
// (tests/helpers/no-network-preload.cjs: sockets, DNS, fetch), and whose loads of tesseract are recorded: the worker's
// script, the WebAssembly core and the English model all come from this checkout's node_modules.

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE_MODULES = `${path.join(ROOT, 'node_modules')}${path.sep}`;
const PRELOAD = path.join(ROOT, 'tests/helpers/no-network-preload.cjs');
const FIXTURE = path.join(ROOT, 'tests/fixtures/screenshots/missing-scope.png');
// Inside the checkout, so that the bundle resolves tesseract.js and its model from node_modules as the app does.
const CHILD = path.join(ROOT, 'node_modules/.cache/ocr-offline/child.mjs');

type TEntry = { kind: string; thread: number; isMain?: boolean; target?: string; request?: string; file?: string };

const logDir = mkdtempSync(path.join(tmpdir(), 'ocr-offline-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

beforeAll(async () => {
  await build({
    entryPoints: [path.join(ROOT, 'tests/helpers/ocr-offline-child.mts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: CHILD,
    logLevel: 'silent',
  });
}, 60_000);

async function underPreload(script: string, args: string[], name: string) {
  const log = path.join(logDir, `${name}.jsonl`);
  writeFileSync(log, '');
  const { stdout } = await run(process.execPath, ['--require', PRELOAD, script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', NO_NETWORK_LOG: log },
    timeout: 120_000,
  });
  const entries = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as TEntry);
  return { stdout, entries };
}

describe('reading a screenshot', () => {
  it('reads the fixture\'s words with every connection off this machine refused: no attempt is made', async () => {
    const { stdout, entries } = await underPreload(CHILD, [FIXTURE], 'ocr');
    const { text } = JSON.parse(stdout) as { text: string | null };
    expect(text?.replace(/\s+/g, ' ').trim()).toBe(
      'Error: missing_scope Your bot token lacks the chat:write scope needed to post to the channel. Signed in as jane.doe@example.com',
    );
    // The guard ran in the OCR's worker thread too, not only in the main thread.
    expect(entries.filter((entry) => entry.kind === 'thread' && entry.isMain === false).length).toBeGreaterThan(0);
    expect(entries.filter((entry) => ['connect', 'lookup', 'fetch'].includes(entry.kind))).toEqual([]);
  }, 150_000);

  it('takes the worker\'s script, its core and the English model from node_modules', async () => {
    const { entries } = await underPreload(CHILD, [FIXTURE], 'paths');
    const worker = entries.filter((entry) => entry.kind === 'worker').map((entry) => entry.file);
    const core = entries.filter((entry) => entry.kind === 'require' && /^tesseract\.js-core\//.test(entry.request ?? '')).map((entry) => entry.file);
    const model = entries.filter((entry) => entry.kind === 'read').map((entry) => entry.file);
    expect(worker).toEqual([path.join(NODE_MODULES, 'tesseract.js/src/worker-script/node/index.js')]);
    expect(core).toHaveLength(1);
    expect(core[0]).toMatch(new RegExp(`^${NODE_MODULES.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}tesseract\\.js-core/tesseract-core[\\w-]*\\.js$`));
    expect(model).toEqual([path.join(NODE_MODULES, '@tesseract.js-data/eng/4.0.0/eng.traineddata.gz')]);
  }, 150_000);

  it('(the guard itself) refuses and records a download from a worker thread, as tesseract would make one', async () => {
    const script = path.join(logDir, 'download.mjs');
    writeFileSync(
      script,
      `import { Worker } from 'node:worker_threads';
       const source = "fetch('https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0/eng.traineddata.gz').then(() => 'fetched', (e) => String(e)).then((r) => require('node:worker_threads').parentPort.postMessage(r));";
       const worker = new Worker(source, { eval: true });
       worker.on('message', (result) => { process.stdout.write(result); worker.terminate(); });`,
    );
    const { stdout, entries } = await underPreload(script, [], 'download');
    expect(stdout).toContain('refused');
    expect(entries.filter((entry) => entry.kind === 'fetch')).toEqual([
      { kind: 'fetch', target: 'https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0/eng.traineddata.gz', thread: 1 },
    ]);
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { waitUntil } from '../helpers/models';

// The temporary folders of tests and benches (scripts/lib/temp-dir.ts) are gone once the process that made them
// has ended, however it ended: normally, on an uncaught error, or on a signal (vitest ends its workers with
// SIGTERM, and Node runs no 'exit' listener then; Ctrl-C on `npm run bench` reaches a process under the tsx CLI).
// Folders the helper did not make are left alone. Each process below runs with TMPDIR set to a folder of this
// test's own, so that what it leaves there is all it left.

const HELPER = path.resolve(import.meta.dirname, '../../scripts/lib/temp-dir.ts');
const TSX_CLI = path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs');

type TEnding = 'return' | 'throw' | 'wait' | 'wait, with a SIGTERM listener of its own' | 'remove early';
type TChild = {
  ending: TEnding;
  /** Also through a CommonJS copy of the helper, as tsx may load a module both ways. */
  isLoadedTwice?: boolean;
  /** Files in the folder: thousands make its removal take a while, as a database folder's does. */
  files?: number;
};

/** The child: makes a folder with the helper (with files in it) and one without, says where, then ends as told. */
function childScript({ ending, isLoadedTwice = false, files = 1 }: TChild): string {
  return `
    import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import os from 'node:os';
    import path from 'node:path';
    import { makeTempDir, removeTempDir } from ${JSON.stringify(HELPER)};
    const ending = ${JSON.stringify(ending)};
    // A graceful shutdown of its own: it says so and ends a moment later.
    if (ending.includes('listener')) process.on('SIGTERM', () => (console.log('OWN SIGTERM'), setTimeout(() => process.exit(3), 200)));
    const dir = makeTempDir('pa-temp-dir-test-');
    mkdirSync(path.join(dir, 'nested'));
    for (let index = 0; index < ${files}; index += 1) writeFileSync(path.join(dir, 'nested', 'file' + index), 'x'.repeat(1000));
    if (${isLoadedTwice}) createRequire(import.meta.url)(${JSON.stringify(HELPER)}).makeTempDir('pa-temp-dir-test-');
    mkdtempSync(path.join(os.tmpdir(), 'not-ours-'));
    if (ending === 'remove early') {
      removeTempDir(dir);
      console.log('REMOVED ' + !existsSync(dir));
    }
    console.log('MADE ' + dir);
    if (ending === 'throw') throw new Error('boom');
    if (ending.startsWith('wait')) setInterval(() => {}, 1000);
  `;
}

type TRun = { tmp: string; made: string; seenWhileRunning: string[]; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; left: () => string[] };

/**
 * Runs the child in a temp dir of its own; `signal` is sent once it has made its folders: to the child, or
 * (`isCtrlC`) to its whole process group under the tsx CLI, as a terminal's Ctrl-C reaches `npm run bench`.
 */
function runChild(options: TChild, { signal, isCtrlC = false }: { signal?: NodeJS.Signals; isCtrlC?: boolean } = {}): Promise<TRun> {
  const tmp = makeTempDir('pa-temp-dir-parent-');
  // A file (tsx does not load TypeScript imported from `node -e`), outside the child's TMPDIR.
  const script = path.join(makeTempDir('pa-temp-dir-script-'), 'child.mts');
  writeFileSync(script, childScript(options));
  const child = spawn(process.execPath, isCtrlC ? [TSX_CLI, script] : ['--import', 'tsx', script], {
    // tsx would keep its compile cache in TMPDIR: a folder of tsx's, not one of ours, and not what is looked at.
    env: { ...process.env, TMPDIR: tmp, TSX_DISABLE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: isCtrlC,
  });
  // A child that does not end is killed, and the test says so (its exit signal is SIGKILL).
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let stdout = '';
  let stderr = '';
  let made = '';
  let seenWhileRunning: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (made || !signal) return;
    made = /^MADE (.+)$/m.exec(stdout)?.[1] ?? '';
    if (!made) return;
    seenWhileRunning = readdirSync(made);
    if (isCtrlC) process.kill(-child.pid!, signal);
    else child.kill(signal);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code, exitSignal) => {
      clearTimeout(deadline);
      made ||= /^MADE (.+)$/m.exec(stdout)?.[1] ?? '';
      resolve({ tmp, made, seenWhileRunning, code, signal: exitSignal, stdout, stderr, left: () => readdirSync(tmp) });
    });
  });
}

const leftOnlyTheOtherFolder = (run: TRun) => {
  expect(path.dirname(run.made), run.stderr).toBe(run.tmp);
  expect(path.basename(run.made)).toMatch(/^pa-temp-dir-test-/);
  // The tsx CLI keeps its own folder there (tsx-<uid>, for the pipe to its child) whatever its cache setting.
  expect(run.left().filter((name) => !/^tsx-\d+$/.test(name)), run.stderr).toEqual([expect.stringMatching(/^not-ours-/)]);
};

describe('makeTempDir', () => {
  it('makes the folder in the OS temp folder, and it is gone when the process ends normally', async () => {
    const run = await runChild({ ending: 'return' });
    expect(run.code, run.stderr).toBe(0);
    leftOnlyTheOtherFolder(run);
  });

  it('is gone when the process ends on an uncaught error, which still fails the process', async () => {
    const run = await runChild({ ending: 'throw' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('boom');
    leftOnlyTheOtherFolder(run);
  });

  it('is gone when a signal ends the process, which still ends by that signal', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const run = await runChild({ ending: 'wait' }, { signal });
      expect(run.seenWhileRunning).toEqual(['nested']);
      expect(run.signal, run.stderr).toBe(signal);
      leftOnlyTheOtherFolder(run);
    }
  });

  it('lets a signal end the process when the helper is loaded twice (an ES module and a CommonJS copy)', async () => {
    const run = await runChild({ ending: 'wait', isLoadedTwice: true }, { signal: 'SIGTERM' });
    expect(run.signal, run.stderr).toBe('SIGTERM');
    leftOnlyTheOtherFolder(run);
  });

  it('leaves a signal to the process when it listens for it itself, and the folder is gone all the same', async () => {
    const run = await runChild({ ending: 'wait, with a SIGTERM listener of its own' }, { signal: 'SIGTERM' });
    expect(run.seenWhileRunning).toEqual(['nested']);
    expect(run.code, run.stderr).toBe(3);
    // Its listener ran once: the signal was neither raised again nor taken over.
    expect(run.stdout.match(/OWN SIGTERM/g)).toHaveLength(1);
    leftOnlyTheOtherFolder(run);
  });

  it('is gone after Ctrl-C under the tsx CLI, which kills its child if it has not answered within 60 ms', async () => {
    // 10,000 files: removing them takes longer than tsx waits (~150 ms), as a bench's database folders do.
    const run = await runChild({ ending: 'wait', files: 10_000 }, { signal: 'SIGINT', isCtrlC: true });
    expect(run.seenWhileRunning).toEqual(['nested']);
    // The process that finishes the removal may outlive the child by a moment.
    await waitUntil(() => !existsSync(run.made), 10_000);
    leftOnlyTheOtherFolder(run);
  });

  it('removeTempDir removes the folder at once', async () => {
    const run = await runChild({ ending: 'remove early' });
    expect(run.stdout).toContain('REMOVED true');
    expect(run.code, run.stderr).toBe(0);
    leftOnlyTheOtherFolder(run);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Temporary folders of the tests and benches: made in the OS's temp folder and removed, at the latest, when the
// process that made them ends — normally, on an uncaught error, or on a signal. Without this every test file
// and bench run left its folders behind (10,065 `paste-assistant-test-*` folders in one developer's /tmp).
// A signal needs its own hook: Node runs no 'exit' listener when a signal ends the process, and vitest ends its
// worker processes with SIGTERM once their files have run. Test files also remove theirs when each file ends
// (tests/helpers/setup.ts), since files share worker processes that may live for a whole run.

type TRegistry = { made: Set<string>; isHooked: boolean };

// One registry and one set of hooks per process, even when this module is loaded twice (an ES module and a
// CommonJS copy of it under tsx): two signal hooks would each see the other as a listener that handles the signal
// itself, and neither would let it end the process.
const REGISTRY_KEY = Symbol.for('paste-assistant.temp-dirs');
const registry: TRegistry = ((globalThis as Record<symbol, TRegistry | undefined>)[REGISTRY_KEY] ??= { made: new Set(), isHooked: false });

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Removes every folder this process made with makeTempDir and has not removed yet. */
export function removeTempDirs(): void {
  for (const dir of registry.made) removeTempDir(dir);
}

/** Removes a folder made with makeTempDir now, rather than when the process ends. */
export function removeTempDir(dir: string): void {
  registry.made.delete(dir);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    // Another process (the detached remover below) may be removing the same tree: what it took is gone all the same.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

// Removes the folders named in argv from a process of its own, which outlives the one that started it.
const REMOVER = "for (const dir of process.argv.slice(1)) require('node:fs').rmSync(dir, { recursive: true, force: true });";

function onSignal(signal: NodeJS.Signals): void {
  // A process may be killed outright soon after a signal: `tsx` (npm run bench) kills its child 60 ms after relaying
  // Ctrl-C unless the child has answered, which it cannot do while removing ~100 MB synchronously here. So a
  // detached process of its own (not in the terminal's process group) removes the folders too, whatever becomes
  // of this one; the synchronous removal below is what makes them gone by the time this process has ended.
  if (registry.made.size > 0) {
    try {
      spawn(process.execPath, ['-e', REMOVER, ...registry.made], { detached: true, stdio: 'ignore' }).unref();
    } catch {
      // The synchronous removal below still runs.
    }
  }
  removeTempDirs();
  // Another listener (a server's graceful shutdown) means the process handles the signal itself: left to it.
  // Otherwise the signal, raised again without this hook, ends the process as it would have without it.
  if (process.listenerCount(signal) > 1) return;
  process.off(signal, onSignal);
  process.kill(process.pid, signal);
}

function hookProcessEnd(): void {
  if (registry.isHooked) return;
  registry.isHooked = true;
  process.once('exit', removeTempDirs);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** A new empty folder `<os temp dir>/<prefix>XXXXXX`, removed when this process ends if not before. */
export function makeTempDir(prefix: string): string {
  hookProcessEnd();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  registry.made.add(dir);
  return dir;
}

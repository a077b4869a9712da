import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isConfigError } from '@/lib/config';
import { lockDataDir } from '@/lib/db/data-dir-lock';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// One process at a time on the embedded database's folder: another live process's lock refuses, naming it; a
// lock left by a process that is gone is taken over; releasing removes only this process's lock.

const dirs: string[] = [];
const folder = () => {
  const dir = makeTempDir('pa-lock-');
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database folder lock', () => {
  it('is taken and released by this process, and taken again afterwards', () => {
    const dir = folder();
    const release = lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    lockDataDir(dir)();
  });

  it('holds any number of folders with one exit listener, removed with the last lock (no MaxListenersExceededWarning)', () => {
    const before = process.listenerCount('exit');
    const releases = Array.from({ length: 12 }, () => lockDataDir(folder()));
    expect(process.listenerCount('exit')).toBe(before + 1);
    for (const release of releases) release();
    expect(process.listenerCount('exit')).toBe(before);
  });

  it('refuses while another live process holds it, naming the folder and the process', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, 'pglite.lock'), String(other.pid));
      let thrown: unknown;
      try {
        lockDataDir(dir);
      } catch (error) {
        thrown = error;
      }
      expect(isConfigError(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        `DATA_DIR ${dir} is in use by another process (pid ${other.pid}): the embedded database can be opened by one ` +
          'process at a time. Stop that process first, or give this one its own DATA_DIR.',
      );
      // Left as it was: the other process still holds it.
      expect(readFileSync(path.join(dir, 'pglite.lock'), 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, 'pglite.lock'), gone.stdout);
    const release = lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});

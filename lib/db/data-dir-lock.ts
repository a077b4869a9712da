import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../settings';

// The embedded database is files in DATA_DIR that one process at a time may open: PGlite takes no lock of its
// own, so a second process (another `npm start`, or `npm run api-key` beside a running server) would write the
// same files and corrupt them. A lock file holding the owner's pid keeps the second one out, with one line
// saying why. A lock left by a process that is gone (killed, crashed) is taken over.

const LOCK_FILE = 'pglite.lock';

/** Whether a process with this pid runs (signal 0 checks without signalling; EPERM: it runs as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// The locks this process holds, released on exit by one listener: a process may hold many (a test file opens a
// database per configuration), and a listener each would pass Node's limit of ten and warn of a leak.
const heldLocks = new Set<() => void>();
function releaseHeldLocks() {
  for (const release of [...heldLocks]) release();
}

/** The pid of another live process that holds the data folder's lock (a running server), or null. */
export function dataDirHolder(dataDir: string): number | null {
  let text: string;
  try {
    text = readFileSync(/* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ dataDir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  const owner = Number.parseInt(text.trim(), 10);
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner) ? owner : null;
}

/** Takes the data folder's lock for this process, or throws a ConfigError naming the process that holds it. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(/* turbopackIgnore: true */ dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(/* turbopackIgnore: true */ file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        heldLocks.delete(release);
        if (heldLocks.size === 0) process.off('exit', releaseHeldLocks);
        try {
          if (readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim() === String(process.pid)) unlinkSync(/* turbopackIgnore: true */ file);
        } catch {
          // Already gone.
        }
      };
      if (heldLocks.size === 0) process.on('exit', releaseHeldLocks);
      heldLocks.add(release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim(), 10);
    // This process already holds it (the app rebuilt in the same process, as `next dev` may do).
    if (owner === process.pid) return () => {};
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new ConfigError(
        `DATA_DIR ${dataDir} is in use by another process (pid ${owner}): the embedded database can be opened by one ` +
          'process at a time. Stop that process first, or give this one its own DATA_DIR.',
      );
    }
    // Left by a process that is gone: taken over.
    unlinkSync(/* turbopackIgnore: true */ file);
  }
  throw new ConfigError(`DATA_DIR ${dataDir}: could not take the embedded database's lock (${file}).`);
}

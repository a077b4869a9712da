import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isRunning } from './db/data-dir-lock';

// Where the running server can be reached, for the scripts beside it (issue 67, friction 3.9). `PORT=8080 npm start`
// sets the port for the server alone: a script run later in another shell (`npm run api-key -- create`, `npm run
// report -- --link`) reads no PORT and would assume http://localhost:3000. So the server writes the address it builds
// links with, and the one it listens on, to DATA_DIR/server.json once it is up (lib/boot.ts), with its pid; the file
// goes when the process exits (Ctrl-C and SIGTERM included: Next exits through process.exit), and a file left by a
// process that is gone (killed) is ignored. Scripts read it through scripts/lib/server-address.ts; SITE_URL, set for
// the script, still wins there.

export const SERVER_RECORD_FILE = 'server.json';

const ZHttpUrl = z.string().regex(/^https?:\/\/[^\s]+$/);

export const ZServerRecord = z.object({
  pid: z.number().int().positive(),
  /** The address the server builds links with: SITE_URL, else where it listens. */
  siteUrl: ZHttpUrl,
  /** Where it listens (PORT and HOST as it was started with them). */
  listenUrl: ZHttpUrl,
  startedAt: z.string(),
});
export type TServerRecord = z.infer<typeof ZServerRecord>;

/**
 * Records this process as the server of `dataDir`, and removes the record when the process exits (only if it is still
 * this process's: another server on the same DATA_DIR, with Postgres, may have written its own since). Returns the
 * removal, for a caller that stops serving before it exits.
 */
export function recordServerAddress({ dataDir, siteUrl, listenUrl }: { dataDir: string; siteUrl: string; listenUrl: string }): () => void {
  const file = path.join(/* turbopackIgnore: true */ dataDir, SERVER_RECORD_FILE);
  const record: TServerRecord = { pid: process.pid, siteUrl, listenUrl, startedAt: new Date().toISOString() };
  mkdirSync(/* turbopackIgnore: true */ dataDir, { recursive: true });
  // Written whole, then renamed into place: a script never reads half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(/* turbopackIgnore: true */ temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(/* turbopackIgnore: true */ temporary, file);
  const remove = () => {
    process.off('exit', remove);
    if (readRecordFile(file)?.pid !== process.pid) return;
    try {
      unlinkSync(/* turbopackIgnore: true */ file);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', remove);
  return remove;
}

/** The record of a server that runs now on `dataDir` (not this process), or null: none, unreadable, or its process is gone. */
export function readServerRecord(dataDir: string): TServerRecord | null {
  const record = readRecordFile(path.join(/* turbopackIgnore: true */ dataDir, SERVER_RECORD_FILE));
  if (record === null || record.pid === process.pid || !isRunning(record.pid)) return null;
  return record;
}

function readRecordFile(file: string): TServerRecord | null {
  try {
    const parsed = ZServerRecord.safeParse(JSON.parse(readFileSync(/* turbopackIgnore: true */ file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

import { statSync } from 'node:fs';

// What this process last read of each docs file: its size, times and inode, and the checksum its text had then. A
// re-index (POST /api/docs/reindex, a folder load) reads and hashes only the files whose stat differs from what was
// read, as git's index does: at a hundred times the Paste docs, reading and hashing every file (365 MB) was most of
// re-indexing one page. A file whose stat is unchanged has its remembered checksum, compared with the database's as
// before; where they differ (another instance indexed other text, another database), the file is read again.
//
// A file modified within RACY_MS of being read is not remembered (git's "racily clean" entries): a second write in
// the same tick of the file system's clock, of the same size, would leave its stat unchanged. Kept on globalThis:
// Next bundles the start-up load and each route separately, and they must share what was read.

/** A file read less than this after it was modified is read again next time (its stat may not show a later write). */
export const RACY_MS = 2000;

type TStamp = { size: bigint; mtimeNs: bigint; ctimeNs: bigint; ino: bigint };
/** A file the page's text was made from besides its own (a partial it imports: lib/docs/folder/partials.ts), with its stat. */
export type TPartStamp = { file: string; stamp: TStamp | null };
type TRemembered = TStamp & { checksum: string; publishedAt: string; parts: TPartStamp[] };

const HOLDER = Symbol.for('paste-assistant.docs-file-checksums');

function remembered(): Map<string, TRemembered> {
  const scope = globalThis as { [HOLDER]?: Map<string, TRemembered> };
  return (scope[HOLDER] ??= new Map());
}

/** A file's stat, or null when it cannot be read (the caller reads it, and reports what fails). */
export function stampOf(file: string): TStamp | null {
  try {
    const stat = statSync(file, { bigint: true });
    return { size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino };
  } catch {
    return null;
  }
}

const sameStamp = (a: TStamp, b: TStamp) => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;

/**
 * The checksum `file` had when read with the same stat and `publishedAt` (the rest of what a checksum covers), or null;
 * null too when a file its text was made from (`parts`) has another stat now: an edited partial changes its pages.
 */
export function rememberedChecksum(file: string, stamp: TStamp | null, publishedAt: string): string | null {
  const entry = remembered().get(file);
  if (!entry || !stamp || entry.publishedAt !== publishedAt || !sameStamp(entry, stamp)) return null;
  for (const part of entry.parts) {
    const now = stampOf(part.file);
    if (!now || !part.stamp || !sameStamp(now, part.stamp)) return null;
  }
  return entry.checksum;
}

const isRacy = (stamp: TStamp, readAt: number) => BigInt(readAt) * 1_000_000n - stamp.mtimeNs < BigInt(RACY_MS) * 1_000_000n;

/**
 * Remembers the checksum of `file`'s text as read after `stamp` was taken (`readAt`: ms since the epoch), unless racy.
 * `parts`: the partials read into it, each stat taken right after the read; racy or unreadable, none is remembered.
 */
export function rememberChecksum(file: string, stamp: TStamp | null, publishedAt: string, checksum: string, readAt = Date.now(), parts: TPartStamp[] = []): void {
  if (!stamp || isRacy(stamp, readAt) || parts.some((part) => !part.stamp || isRacy(part.stamp, readAt))) {
    remembered().delete(file);
    return;
  }
  remembered().set(file, { ...stamp, checksum, publishedAt, parts });
}

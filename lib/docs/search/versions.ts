import { z } from 'zod';
import type { TDb } from '../../db/types';
import { AppError } from '../../errors';
import { compareVersionsNewestFirst, DOCUSAURUS_CURRENT, MAX_VERSION_CHARS, pickCurrentVersion, versionFromUrl } from '../sources/versions';
import { isLiveSection, type TRankIndex } from './ranking/build';
import { getRankIndex } from './ranking/store';

// The versions a search may ask for (issue 38): the ones the index holds (docs_page.meta.version, whatever source
// gave them), newest first, and the current one, which a search that asks for none gets. Read from the ranking
// index in memory, so they follow the index as it changes. A search asks for one version, gets that version's
// sections and those of no version, and never another version's: an answer cannot mix them. An unknown version
// is refused (400), naming the known ones.

/** What configures the versions: DOCS_CURRENT_VERSION and DOCS_VERSION_PATTERN (lib/config.ts, docsSources.versions). */
export type TVersionsConfig = { current: string | null; pattern: string | null } | undefined;

export type TDocsVersions = {
  /** Newest first (lib/docs/sources/versions.ts); empty when the docs have no versions. */
  versions: string[];
  /** What a search with no version asks for; null when the docs have no versions. */
  current: string | null;
};

/** A `version` a request asks for (the name as results carry it: `1.x`, `current`). */
export const ZDocsVersion = z.string().trim().min(1, 'version must not be empty').max(MAX_VERSION_CHARS, `version must be at most ${MAX_VERSION_CHARS} characters`);

const namesByIndex = new WeakMap<TRankIndex, string[]>();

/** The versions of the sections of an index, newest first (computed once per index). */
function versionsOf(index: TRankIndex): string[] {
  let names = namesByIndex.get(index);
  if (!names) {
    const found = new Set<string>();
    for (const [position, section] of index.sections.entries()) {
      if (!isLiveSection(index, position)) continue;
      const version = section.meta?.version;
      if (typeof version === 'string' && version !== '') found.add(version);
    }
    namesByIndex.set(index, (names = [...found].sort(compareVersionsNewestFirst)));
  }
  return names;
}

/** The versions the index holds and the current one. */
export async function getDocsVersions({ db, config }: { db: TDb; config?: TVersionsConfig }): Promise<TDocsVersions> {
  const { index } = await getRankIndex(db);
  const versions = versionsOf(index);
  return { versions, current: pickCurrentVersion(versions, config?.current ?? null) };
}

/** The known version `asked` names: exactly, else ignoring case; Docusaurus's `next` is its `current`. */
function findVersion(known: readonly string[], asked: string): string | undefined {
  if (known.includes(asked)) return asked;
  const lower = asked.toLowerCase();
  const found = known.find((name) => name.toLowerCase() === lower);
  if (found) return found;
  return lower === 'next' && known.includes(DOCUSAURUS_CURRENT) ? DOCUSAURUS_CURRENT : undefined;
}

export function unknownVersionMessage(asked: string, known: readonly string[]): string {
  const name = JSON.stringify(asked.slice(0, MAX_VERSION_CHARS));
  return known.length === 0 ? `unknown version ${name}: these docs have no versions` : `unknown version ${name}; the versions are ${known.join(', ')}`;
}

/**
 * The version a search is for: the one asked (an unknown one is a 400 naming the known ones), else the current
 * one. Undefined when the docs have no versions and none was asked: the search filters nothing.
 */
export async function resolveSearchVersion({ db, config, asked }: { db: TDb; config?: TVersionsConfig; asked?: string | null }): Promise<string | undefined> {
  const { versions, current } = await getDocsVersions({ db, config });
  if (asked === undefined || asked === null) return current ?? undefined;
  const found = findVersion(versions, asked);
  if (found === undefined) throw new AppError('bad_request', unknownVersionMessage(asked, versions), { param: 'version' });
  return found;
}

/**
 * The version a conversation takes from where it starts: the one named (an unknown one is a 400 naming the known
 * ones), else the one the page's URL carries (DOCS_VERSION_PATTERN, else a path segment that is a known version's
 * name: `/docs/1.x/intro`), when known. Null: none, and its searches use the current version.
 */
export async function resolveConversationVersion({
  db,
  config,
  asked,
  pageUrl,
}: {
  db: TDb;
  config?: TVersionsConfig;
  asked?: string | null;
  pageUrl?: string | null;
}): Promise<string | null> {
  const { versions } = await getDocsVersions({ db, config });
  if (asked !== undefined && asked !== null) {
    const found = findVersion(versions, asked);
    if (found === undefined) throw new AppError('bad_request', unknownVersionMessage(asked, versions), { param: 'version' });
    return found;
  }
  if (!pageUrl || versions.length === 0) return null;
  const fromPattern = versionFromUrl(config?.pattern ?? null, pageUrl);
  if (fromPattern !== null) return findVersion(versions, fromPattern) ?? null;
  let segments: string[];
  try {
    segments = new URL(pageUrl).pathname.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
  for (const segment of segments) {
    if (segment !== '' && segment !== DOCUSAURUS_CURRENT && versions.includes(segment)) return segment;
    // Docusaurus serves `docs/` under `next/` when another version is the default one.
    if (segment === 'next' && versions.includes(DOCUSAURUS_CURRENT)) return DOCUSAURUS_CURRENT;
  }
  return null;
}

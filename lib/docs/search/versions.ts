import { z } from 'zod';
import type { TDb } from '../../db/types';
import { AppError } from '../../errors';
import { compareVersionsNewestFirst, DOCUSAURUS_CURRENT, MAX_VERSION_CHARS, pickCurrentVersion, versionFromUrl } from '../parse/versions';
import { accessKey, type TReaderAccess } from '../../audiences';
import { readVisibleIndex, type TVisibleIndex } from '../gate';
import type { TRankIndex } from './ranking/build';

// The versions a search may ask for (issue 38): the ones the index holds (docs_page.meta.version, whatever source
// gave them), newest first, and the current one, which a search that asks for none gets. Read from the ranking
// index in memory, so they follow the index as it changes. A search asks for one version, gets that version's
// sections and those of no version, and never another version's: an answer cannot mix them. An unknown version
// is refused (400), naming the known ones.

/** What configures the versions: DOCS_CURRENT_VERSION and DOCS_VERSION_PATTERN (lib/config.ts, docsSources.versions). */
export type TVersionsConfig = { current: string | null; pattern: string | null } | undefined;

export type TDocsVersions = {
  /** Newest first (lib/docs/parse/versions.ts); empty when the docs have no versions. */
  versions: string[];
  /** What a search with no version asks for; null when the docs have no versions. */
  current: string | null;
};

/** A `version` a request asks for (the name as results carry it: `1.x`, `current`). */
export const ZDocsVersion = z.string().trim().min(1, 'version must not be empty').max(MAX_VERSION_CHARS, `version must be at most ${MAX_VERSION_CHARS} characters`);

const namesByIndex = new WeakMap<TRankIndex, Map<string, string[]>>();

/** The versions of the sections a reader may read, newest first (computed once per index and access). */
function versionsOf(visible: TVisibleIndex, access: TReaderAccess): string[] {
  const { index } = visible;
  let byAccess = namesByIndex.get(index);
  if (!byAccess) namesByIndex.set(index, (byAccess = new Map()));
  const key = accessKey(access);
  let names = byAccess.get(key);
  if (!names) {
    const found = new Set<string>();
    for (const [position, section] of index.sections.entries()) {
      if (!visible.isVisible(position)) continue;
      const version = section.meta?.version;
      if (typeof version === 'string' && version !== '') found.add(version);
    }
    names = [...found].sort(compareVersionsNewestFirst);
    // Bounded: readers' sets of audiences come from requests.
    if (byAccess.size >= 64) byAccess.clear();
    byAccess.set(key, names);
  }
  return names;
}

/** The versions of the pages the reader may read, and the current one (a version only hidden pages have is not theirs). */
export async function getDocsVersions({ db, config, access }: { db: TDb; config?: TVersionsConfig; access: TReaderAccess }): Promise<TDocsVersions> {
  const versions = versionsOf(await readVisibleIndex({ db, access }), access);
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
export async function resolveSearchVersion({
  db,
  config,
  asked,
  access,
}: {
  db: TDb;
  config?: TVersionsConfig;
  asked?: string | null;
  access: TReaderAccess;
}): Promise<string | undefined> {
  const { versions, current } = await getDocsVersions({ db, config, access });
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
  access,
}: {
  db: TDb;
  config?: TVersionsConfig;
  asked?: string | null;
  pageUrl?: string | null;
  access: TReaderAccess;
}): Promise<string | null> {
  const { versions } = await getDocsVersions({ db, config, access });
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

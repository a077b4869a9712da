// The docs' version names (issue 38): a page of versioned docs carries its version in
// docs_page.meta.version (TPageMeta, lib/shared/docs.ts); a page without one belongs to every version. The rules
// every source shares live here, pure: which folder names are versions, how versions are ordered (the highest is
// the current one unless DOCS_CURRENT_VERSION says otherwise), and a version read from a URL with
// DOCS_VERSION_PATTERN. Where each kind finds its versions: lib/docs/folder/versions.ts (Docusaurus's versioned folders,
// folders named by version) and lib/docs/sources/crawl/crawler.ts (the page's URL).

/** Docusaurus's name for the version in `docs/` (its "current" version, labelled "Next" unless configured). */
export const DOCUSAURUS_CURRENT = 'current';

/** A folder named by version: `1.x`, `v2`, `2.0`, `1.2.3`, `v1.x`. */
export const VERSION_FOLDER = /^v?\d+(\.(\d+|x))*$/i;

/** The longest version name a page or a request may carry. */
export const MAX_VERSION_CHARS = 100;

/** A version name's parts for ordering: `v1.2.x` → [1, 2, Infinity] (`x` is above every number). */
function versionParts(name: string): number[] | null {
  const match = /^v?(\d+(?:\.(?:\d+|x))*)$/i.exec(name.trim());
  if (!match) return null;
  return match[1]!.split('.').map((part) => (part.toLowerCase() === 'x' ? Number.POSITIVE_INFINITY : Number(part)));
}

/**
 * Orders versions newest first: Docusaurus's `current` leads, numbered versions by their numbers (`v2` before `2.0`
 * before `1.x` before `1.2`), and names that are neither (`next`, `legacy`) after them, alphabetically.
 */
export function compareVersionsNewestFirst(a: string, b: string): number {
  if (a === b) return 0;
  if (a === DOCUSAURUS_CURRENT) return -1;
  if (b === DOCUSAURUS_CURRENT) return 1;
  const partsA = versionParts(a);
  const partsB = versionParts(b);
  if (partsA && !partsB) return -1;
  if (!partsA && partsB) return 1;
  if (partsA && partsB) {
    for (let at = 0; at < Math.max(partsA.length, partsB.length); at += 1) {
      // A shorter name is a whole line of releases (`v2` holds `2.0.1`): its missing parts count as `x`.
      const left = partsA[at] ?? Number.POSITIVE_INFINITY;
      const right = partsB[at] ?? Number.POSITIVE_INFINITY;
      if (left !== right) return right > left ? 1 : -1;
    }
  }
  return a.localeCompare(b);
}

/**
 * The current version among `names`: `configured` (DOCS_CURRENT_VERSION) when it is one of them, else the first
 * newest-first (Docusaurus's `current`, else the highest number). Null when there are none.
 */
export function pickCurrentVersion(names: readonly string[], configured: string | null): string | null {
  if (configured !== null && names.includes(configured)) return configured;
  return [...names].sort(compareVersionsNewestFirst)[0] ?? null;
}

/** How many capture groups a pattern has (named ones included): DOCS_VERSION_PATTERN must have exactly one. */
export function captureGroupCount(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`, pattern.flags).exec('')?.length ?? 1) - 1;
}

/**
 * The version a URL carries by DOCS_VERSION_PATTERN (its one capture group), or null when it does not match or the
 * group is empty. Matched against the whole URL as written: `/docs/(\d+\.x)/` finds `1.x` in
 * `https://a.site/docs/1.x/intro`.
 */
export function versionFromUrl(pattern: string | null, url: string): string | null {
  if (pattern === null) return null;
  let match: RegExpExecArray | null;
  try {
    match = new RegExp(pattern).exec(url);
  } catch {
    return null;
  }
  const version = match?.[1]?.trim();
  return version && version.length <= MAX_VERSION_CHARS ? version : null;
}

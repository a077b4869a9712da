import { audiencesOfPath, type TAudienceRule } from '../../audiences';
import type { TPageInput } from '../../db/docs-index';

// DOCS_AUDIENCES for every kind (issue 57): each kind says its pages' audiences as it builds them, here, by the page's
// index path, and the seam carries them (docs_page.meta.audiences) to the one filter (lib/audiences canSee); nothing
// downstream guesses. A page's audiences are the kind's own (a docs folder's front matter, a private repository's
// threads) and those the rules give its index path. They are part of the page's checksum, so a changed rule re-indexes
// the pages it changes, and a kind that skips unchanged pages before building them stamps what it compares alike.
//
// The index paths the rules match, by kind: a docs folder's file (`internal/runbook.mdx`), a crawled page's URL or its
// path (`https://docs.example.com/internal/x`, `internal/x`), an OpenAPI spec's pages (`openapi/<spec>`,
// `openapi/<spec>/<tag>`), a GitHub thread (`github:owner/repo#12`), a maintainers' answer (`answer:12`).

/** The audiences the rules give a page known by these index paths (any of them matching), in rule order. */
export function audiencesOfIndexPaths(rules: readonly TAudienceRule[] | undefined, indexPaths: readonly string[]): string[] {
  if (!rules || rules.length === 0) return [];
  return [...new Set(indexPaths.flatMap((indexPath) => audiencesOfPath(rules, indexPath)))];
}

/** A checksum that also says the page's audiences (unchanged for a page without any). */
export function checksumWithAudiences(checksum: string, audiences: readonly string[]): string {
  return audiences.length === 0 ? checksum : `${checksum}:audiences:${[...audiences].sort().join(',')}`;
}

/** Whether a checksum made by checksumWithAudiences says exactly these audiences (a kind that skips unchanged pages asks). */
export function hasSameAudiences(checksum: string, audiences: readonly string[]): boolean {
  const at = checksum.indexOf(':audiences:');
  const stamped = at === -1 ? '' : checksum.slice(at + ':audiences:'.length);
  return stamped === [...audiences].sort().join(',');
}

/** A fingerprint of the rules themselves, for a kind whose pages are all rebuilt together (an OpenAPI spec's). */
export function audienceRulesStamp(rules: readonly TAudienceRule[] | undefined): string[] {
  return (rules ?? []).map((rule) => `${rule.audience}=${rule.globs.join('|')}`);
}

/**
 * The page with its audiences: the kind's own (`ownAudiences`) and the rules' for its index path (and `alsoPaths`), in
 * meta.audiences, and its checksum stamped with them (`stamp`: what to stamp instead, for kinds that stamp the rules).
 */
export function withPageAudiences<TPage extends TPageInput>({
  page,
  rules,
  ownAudiences = [],
  alsoPaths = [],
  stamp,
}: {
  page: TPage;
  rules: readonly TAudienceRule[] | undefined;
  ownAudiences?: readonly string[];
  alsoPaths?: readonly string[];
  stamp?: readonly string[];
}): TPage {
  const audiences = [...new Set([...ownAudiences, ...audiencesOfIndexPaths(rules, [page.path, ...alsoPaths])])];
  const checksum = checksumWithAudiences(page.checksum, stamp ?? audiences);
  if (audiences.length === 0) return checksum === page.checksum ? page : { ...page, checksum };
  return { ...page, checksum, meta: { ...page.meta, audiences } };
}

/** A crawled page's index paths for the rules: its URL, and its URL's path without the leading slash. */
export function crawledPagePaths(url: string): string[] {
  try {
    const path = new URL(url).pathname.replace(/^\/+/, '');
    return path === '' ? [url] : [url, decodeURIComponent(path)];
  } catch {
    return [url];
  }
}

import { AUDIENCE_NAME } from './paths';

// Who may read a page (issue 57). A page may have audiences (docs_page.meta.audiences, set by its source kind:
// front matter `audience:`, DOCS_AUDIENCES by index path, a private repository's threads); a page without one is
// public. A reader's access says which audiences they hold, or that they are a maintainer, who sees everything.
// `canSee` is the one test: the ranker's section filter (lib/docs/search/ranking/rank.ts sectionFilter) applies it,
// and every surface reaches pages through that filter. Pure: no I/O, safe for any module to import.

/** What a reader may see: the audiences they hold (verified: lib/audiences/access.ts), or everything (a maintainer). */
export type TReaderAccess = { audiences: readonly string[]; isMaintainer: boolean };

/** A reader with no identity: public pages only. */
export const PUBLIC_ACCESS: TReaderAccess = Object.freeze({ audiences: Object.freeze([]) as readonly string[], isMaintainer: false });

/** A maintainer (the dashboard's token, link or cookie; the digest; the review channel): every page. */
export const MAINTAINER_ACCESS: TReaderAccess = Object.freeze({ audiences: Object.freeze([]) as readonly string[], isMaintainer: true });

/**
 * The audience of a private repository's threads when GITHUB_PRIVATE_AUDIENCE is unset: maintainers only. Not a
 * valid audience name (AUDIENCE_NAME), so no token, sign-in or key can be granted it.
 */
export const MAINTAINERS_ONLY = '@maintainers';


/** A page's audiences as its meta carries them; [] (public) when it has none. */
export function pageAudiencesOf(meta: { audiences?: unknown; isPrivate?: unknown } | null | undefined): readonly string[] {
  const audiences = meta?.audiences;
  if (Array.isArray(audiences) && audiences.length > 0) return audiences.filter((audience): audience is string => typeof audience === 'string');
  // A private repository's thread indexed before threads carried audiences: maintainers only, until its next sync.
  return meta?.isPrivate === true ? MAINTAINERS_ONLY_LIST : NO_AUDIENCES;
}
const MAINTAINERS_ONLY_LIST: readonly string[] = Object.freeze([MAINTAINERS_ONLY]);
const NO_AUDIENCES: readonly string[] = Object.freeze([]);

/** True when a reader with `access` may see a page of `pageAudiences`: it has none, or the reader holds one of them. */
export function canSee(pageAudiences: readonly string[], access: TReaderAccess): boolean {
  if (pageAudiences.length === 0 || access.isMaintainer) return true;
  for (const audience of pageAudiences) if (access.audiences.includes(audience)) return true;
  return false;
}

/** True when the access sees more than public pages (a filter that keeps everything is then not the public one). */
export function isPublicAccess(access: TReaderAccess): boolean {
  return !access.isMaintainer && access.audiences.length === 0;
}

/** A stable key of an access, for caches of what it may see (sorted audience names, or `*` for a maintainer). */
export function accessKey(access: TReaderAccess): string {
  return access.isMaintainer ? '*' : [...new Set(access.audiences)].sort().join('\n');
}

/**
 * An access as a run stores it (assistant_run.reader_audiences, supabase/migrations/20261202000200_reader_audiences.sql):
 * its audiences, `*` for a maintainer; null for public. `accessOfStored` reads it back.
 */
export function storedAudiencesOf(access: TReaderAccess): string[] | null {
  if (access.isMaintainer) return ['*'];
  return access.audiences.length > 0 ? [...new Set(access.audiences)].sort() : null;
}

/** An identity's audiences (a key's, a reader's) as what it may read: none is the public pages. */
export function accessOfAudiences(audiences: Iterable<string>): TReaderAccess {
  const names = [...new Set(audiences)].sort();
  return names.length === 0 ? PUBLIC_ACCESS : { audiences: names, isMaintainer: false };
}

/**
 * What a place whose members a setting names may read (SLACK_REVIEW_AUDIENCES): `*`, every page; audience names
 * separated by `|` or `,`, theirs; unset or empty, the public pages only.
 */
export function accessOfSetting(value: string | undefined): TReaderAccess {
  const trimmed = (value ?? '').trim();
  if (trimmed === '*') return MAINTAINER_ACCESS;
  return accessOfAudiences(audienceNamesOf(trimmed.replace(/\|/g, ',')));
}

export function accessOfStored(stored: readonly string[] | null | undefined): TReaderAccess {
  if (!stored || stored.length === 0) return PUBLIC_ACCESS;
  if (stored.includes('*')) return MAINTAINER_ACCESS;
  return { audiences: stored, isMaintainer: false };
}

/** Audience names from front matter or a token: a name or a list of names, each checked; the rest are dropped. */
export function audienceNamesOf(value: unknown): string[] {
  const names = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  return [...new Set(names.filter((name): name is string => typeof name === 'string').map((name) => name.trim()).filter((name) => AUDIENCE_NAME.test(name)))];
}

export { AUDIENCE_NAME, audiencesOfPath, parseAudienceRules, type TAudienceRule } from './paths';

import type { TRepoRef } from './thread';

// The links GitHub keeps between threads, as a thread's page states them: a merged pull request whose body uses a
// closing keyword ("Fixes #12", "closes acme/widgets#12", or the issue's URL) fixed that issue; an issue closed by a
// commit (its `closed` event carries the commit) was fixed by that commit; the first release whose notes mention a
// pull request is the release it shipped in. Pure: ./sync.ts reads the listings, the events and the releases.

/** A merged pull request that closes threads (index paths), as the issue's page names it. */
export type TCloser = { path: string; number: number; title: string; mergedAt: string; closes: string[] };

/** What a thread's page says of its links; every field optional (most threads have none). */
export type TThreadLinks = {
  /** An issue: the merged pull request that closed it. */
  fixedBy?: { ref: string; path: string; title: string; mergedAt: string };
  /** An issue closed by a commit (no pull request known): its short hash and when it was closed. */
  fixedByCommit?: { sha: string; closedAt: string };
  /** A pull request: the threads it closes, with their titles when they are indexed. */
  fixes?: { ref: string; title: string | null }[];
  /** The release the fix shipped in (a pull request's own, or the fixing pull request's, for an issue). */
  releasedIn?: string;
};

/** A release as `GET /repos/{owner}/{repo}/releases` returns it (the fields read here). */
export type TGithubRelease = { tag_name: string; name?: string | null; body?: string | null; published_at?: string | null; draft?: boolean };

// GitHub's closing keywords (docs: "Linking a pull request to an issue using a keyword"), each followed by one
// reference: #12, owner/name#12, or the issue's URL.
const CLOSING =
  /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:(?:([A-Za-z0-9][\w.-]*)\/([\w.-]+))?#(\d+)|https?:\/\/github\.com\/([A-Za-z0-9][\w.-]*)\/([\w.-]+)\/issues\/(\d+))(?![\w/])/gi;

/** The index paths of the threads a pull request's body closes (its own repository's when no repository is named). */
export function closingReferences(body: string | null | undefined, repo: TRepoRef): string[] {
  const found = new Set<string>();
  for (const match of (body ?? '').matchAll(CLOSING)) {
    const owner = match[1] ?? match[4] ?? repo.owner;
    const name = match[2] ?? match[5] ?? repo.name;
    const number = Number(match[3] ?? match[6]);
    if (Number.isInteger(number) && number > 0) found.add(`github:${owner}/${name}#${number}`.toLowerCase());
  }
  return [...found];
}

/** How a thread is named from another thread's page: `#12` in the same repository, `owner/name#12` across them. */
export function threadRef(path: string, from: TRepoRef): string {
  const match = /^github:([^#]+)#(\d+)$/.exec(path);
  if (!match) return path;
  return match[1] === `${from.owner}/${from.name}`.toLowerCase() ? `#${match[2]}` : `${match[1]}#${match[2]}`;
}

/**
 * The release each pull request shipped in: the first published (not draft) release whose notes mention it, as
 * `#123` or a link to `/pull/123`. By pull request number.
 */
export function releasesByPullRequest(releases: TGithubRelease[]): Map<number, string> {
  const published = releases
    .filter((release) => !release.draft && release.tag_name)
    .sort((a, b) => (a.published_at ?? '').localeCompare(b.published_at ?? ''));
  const byNumber = new Map<number, string>();
  for (const release of published) {
    for (const match of (release.body ?? '').matchAll(/(?<![\w&])#(\d+)\b|\/pull\/(\d+)\b/g)) {
      const number = Number(match[1] ?? match[2]);
      if (!byNumber.has(number)) byNumber.set(number, release.tag_name);
    }
  }
  return byNumber;
}

/** The lines a thread's question section ends with: how it was fixed, what it fixes, where it shipped. */
export function linksText(links: TThreadLinks, day: (iso: string) => string): string[] {
  const lines: string[] = [];
  if (links.fixedBy) lines.push(`Fixed by ${links.fixedBy.ref}: ${links.fixedBy.title} (merged ${day(links.fixedBy.mergedAt)}).`);
  else if (links.fixedByCommit) lines.push(`Fixed by commit ${links.fixedByCommit.sha} (closed ${day(links.fixedByCommit.closedAt)}).`);
  for (const fix of links.fixes ?? []) lines.push(fix.title ? `Fixes ${fix.ref}: ${fix.title}.` : `Fixes ${fix.ref}.`);
  if (links.releasedIn) lines.push(`Released in ${links.releasedIn}.`);
  return lines;
}

/** What the page's checksum keeps of its links: a release or a fixing pull request found later rebuilds the page. */
export function linksDigest(links: TThreadLinks): string {
  return JSON.stringify([links.fixedBy ?? null, (links.fixes ?? []).map((fix) => [fix.ref, fix.title]), links.releasedIn ?? null]);
}

/** The short form of a commit's hash GitHub shows (seven characters: never taken for a secret by the masking). */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

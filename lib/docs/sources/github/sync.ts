import type { TGithubConfig } from './settings';
import { MAINTAINERS_ONLY } from '../../../audiences';
import { listDocsPagesMetaByKind } from '../../../db/docs-sources';
import type { TPrivacy } from '../../../privacy/mask';
import { statusOf, type TGithubClient, type TGithubRequestStats } from '../../../github/client';
import type { TDocumentsContext, TDocumentStream } from '../../index/documents';
import { listDiscussions } from './discussions';
import { closingReferences, releasesByPullRequest, shortSha, threadRef, type TCloser, type TGithubRelease, type TThreadLinks } from './links';
import {
  discussionChecksum,
  discussionPage,
  issueChecksum,
  issuePage,
  maskThreadText,
  repoOfPath,
  threadPath,
  threadState,
  type TGithubComment,
  type TGithubDiscussion,
  type TGithubIssue,
  type TPageContext,
  type TRepoRef,
} from './thread';

// One sync of the configured repositories, as documents for the index under the kind 'github'.
// - Full (the first sync of a process, and then once a day): every issue and pull request (`state=all`, Link
//   pagination) and every discussion. A thread whose page checksum (its updated_at, comment count and state) is the
//   one indexed costs nothing more; a changed one is read with its comments (conditional: a 304 reuses the
//   comments read before) and indexed again. Indexed threads the listings no longer have are asked for one by one:
//   deleted (404/410) or transferred (301) leave the index; one that still answers stays (a listing race).
// - Incremental (every other sync): only what changed since the last sync (`since`, a few minutes earlier for
//   clocks that differ), the same way.
// Links between threads (./links.ts) are worked out after every repository was listed: the merged pull requests
// with closing keywords (this sync's listings, then what earlier syncs indexed: their pages' meta), the releases
// (the newest RELEASE_PAGES pages, conditional), and for an issue closed without a known pull request, its events
// (the commit its `closed` event names), read only when its page is rebuilt. A link found later changes the page's
// checksum, so the page is rebuilt then.
// A repository that is (or became) private without GITHUB_INCLUDE_PRIVATE, or that no longer answers (404), leaves
// the index whole; a private one read with it on marks its pages private (meta.isPrivate) and gives them its
// audience (GITHUB_PRIVATE_AUDIENCE, else maintainers only). Any other failure throws: the job records it and the
// index keeps what it had (pages written before the failure stay: each is whole). What leaves is yielded gone, with
// GitHub's reason: a thread missing from a listing is never taken for gone on that alone.

export const GITHUB_KIND = 'github';

/** Clocks differ, and GitHub's `since` compares with second precision: each incremental sync looks this far back. */
const SINCE_OVERLAP_MS = 5 * 60_000;
/** Releases are read newest first, this many pages of 100: a fix ships in a recent one. */
const RELEASE_PAGES = 3;

export type TGithubSyncReport = {
  isFull: boolean;
  repos: number;
  /** Threads the listings returned (all of them on a full sync, the changed ones otherwise). */
  threads: number;
  discussions: number;
  indexed: string[];
  unchanged: number;
  removed: { path: string; reason: 'deleted' | 'transferred' | 'not-found' | 'private' | 'repository-gone' }[];
  requests: TGithubRequestStats;
  ms: number;
};

type TRemoval = TGithubSyncReport['removed'][number];

/** What a sync found besides its documents: the report without what the write pipeline did. */
export type TGithubFindings = Omit<TGithubSyncReport, 'indexed' | 'unchanged' | 'removed'>;

type TListedRepo = { repo: TRepoRef; isPrivate: boolean; issues: TGithubIssue[]; discussions: TGithubDiscussion[]; releases: Map<number, string> };

export async function* githubDocuments(
  context: TDocumentsContext,
  {
    config,
    client,
    privacy,
    since,
  }: {
    config: Pick<TGithubConfig, 'repos' | 'isPrivateIncluded' | 'privateAudience'>;
    client: TGithubClient;
    privacy: TPrivacy;
    /** null: a full sync. */
    since: Date | null;
  },
): TDocumentStream<TGithubFindings> {
  const started = performance.now();
  client.resetStats();
  const { db, log } = context;
  const report: TGithubFindings = { isFull: since === null, repos: config.repos.length, threads: 0, discussions: 0, requests: client.stats, ms: 0 };
  const indexedMeta = await listDocsPagesMetaByKind({ db, kind: GITHUB_KIND });
  const indexed = new Set(context.indexedPaths);
  const after = since ? new Date(since.getTime() - SINCE_OVERLAP_MS) : null;
  // A private repository's threads are its audience's (lib/audiences); DOCS_AUDIENCES' are the pipeline's to add. Their
  // checksum says the repository's visibility (threadChecksum), so a thread made private is built again.
  const privateAudiences = [config.privateAudience ?? MAINTAINERS_ONLY];
  const ownAudiences = (isPrivate: boolean) => (isPrivate ? privateAudiences : []);
  const removal = (entry: TRemoval) => {
    log.info({ path: entry.path, reason: entry.reason }, 'github thread left the index');
    return { path: entry.path, status: 'gone', reason: entry.reason } as const;
  };
  const repoPathsOf = (repo: TRepoRef) => context.indexedPaths.filter((path) => repoOfPath(path) === `${repo.owner}/${repo.name}`.toLowerCase());

  // Every repository's listings first: a pull request in one may close a thread listed in another.
  const listed: TListedRepo[] = [];
  for (const repo of config.repos) {
    const visibility = await repositoryVisibility(client, repo);
    if (visibility === 'gone' || (visibility === 'private' && !config.isPrivateIncluded)) {
      log.warn({ repo: `${repo.owner}/${repo.name}`.toLowerCase(), visibility }, 'github: the repository is not readable as configured; its threads leave the index');
      for (const path of repoPathsOf(repo)) yield removal({ path, reason: visibility === 'gone' ? 'repository-gone' : 'private' });
      continue;
    }
    const issues = await client.list<TGithubIssue>('GET /repos/{owner}/{repo}/issues', {
      owner: repo.owner,
      repo: repo.name,
      state: 'all',
      per_page: 100,
      ...(after ? { since: after.toISOString(), sort: 'updated', direction: 'desc' } : {}),
    });
    const discussions = await listDiscussions({ client, repo, since: after });
    const releases = releasesByPullRequest(await listReleases(client, repo));
    report.threads += issues.length;
    report.discussions += discussions.length;
    listed.push({ repo, isPrivate: visibility === 'private', issues, discussions, releases });
  }
  const links = linkIndex({ listed, indexedMeta, privacy });

  for (const { repo, isPrivate, issues, discussions, releases } of listed) {
    const seen = new Set<string>();
    const audiences = ownAudiences(isPrivate);
    for (const issue of issues) {
      const path = threadPath(repo, issue.number);
      seen.add(path);
      const pageContext: TPageContext = { isPrivate, links: links.of(repo, issue, releases), ...links.closesOf(path) };
      if (context.isIndexed(path, issueChecksum(issue, privacy, pageContext))) {
        yield { path, status: 'unchanged' };
        continue;
      }
      const comments = await readComments(client, repo, issue);
      if (comments === 'gone') {
        if (indexed.has(path)) yield removal({ path, reason: 'deleted' });
        continue;
      }
      if (isFixedWithoutPullRequest(issue, pageContext.links)) {
        const commit = await closingCommit(client, repo, issue);
        if (commit) pageContext.links = { ...pageContext.links, fixedByCommit: commit };
      }
      yield { ...issuePage({ repo, issue, comments, privacy, context: pageContext }), audiences };
    }

    for (const discussion of discussions) {
      const path = threadPath(repo, discussion.number);
      seen.add(path);
      if (context.isIndexed(path, discussionChecksum(discussion, privacy, { isPrivate }))) {
        yield { path, status: 'unchanged' };
        continue;
      }
      yield { ...discussionPage({ repo, discussion, privacy, context: { isPrivate } }), audiences };
    }

    if (!after) {
      // A full listing: an indexed thread it no longer has was deleted, transferred, or is a race; GitHub says which.
      for (const path of repoPathsOf(repo)) {
        if (seen.has(path)) continue;
        const number = Number(path.slice(path.lastIndexOf('#') + 1));
        const found = await client.probe({ owner: repo.owner, repo: repo.name, number });
        if (found !== 'exists') yield removal({ path, reason: found });
      }
    }
  }
  report.requests = { ...client.stats };
  report.ms = Math.round(performance.now() - started);
  return report;
}

type TIndexedMeta = Awaited<ReturnType<typeof listDocsPagesMetaByKind>>;

/**
 * Which merged pull request closes which thread, and the titles pages name each other by: this sync's listings
 * first, then what earlier syncs indexed (a pull request not listed this time still closes what it closed).
 */
function linkIndex({ listed, indexedMeta, privacy }: { listed: TListedRepo[]; indexedMeta: TIndexedMeta; privacy: TPrivacy }) {
  const titles = new Map<string, string>();
  const closers = new Map<string, TCloser>();
  for (const [path, page] of Object.entries(indexedMeta)) {
    titles.set(path, page.title);
    const { meta } = page;
    const fixes = Array.isArray(meta.fixes) ? meta.fixes.filter((entry): entry is string => typeof entry === 'string') : [];
    if (meta.state === 'merged' && fixes.length > 0 && typeof meta.number === 'number') {
      closers.set(path, { path, number: meta.number, title: page.title, mergedAt: typeof meta.mergedAt === 'string' ? meta.mergedAt : '', closes: fixes });
    }
  }
  for (const { repo, issues } of listed) {
    for (const issue of issues) {
      const path = threadPath(repo, issue.number);
      const title = maskThreadText(privacy, issue.title).trim() || `#${issue.number}`;
      titles.set(path, title);
      closers.delete(path);
      const mergedAt = issue.pull_request?.merged_at;
      if (issue.pull_request && threadState(issue) === 'merged') {
        const closes = closingReferences(issue.body, repo).filter((target) => target !== path);
        if (closes.length > 0) closers.set(path, { path, number: issue.number, title, mergedAt: mergedAt ?? issue.closed_at ?? issue.updated_at, closes });
      }
    }
  }
  const closerOf = new Map<string, TCloser>();
  // The first merged pull request to close a thread is the one that fixed it.
  for (const closer of [...closers.values()].sort((a, b) => a.mergedAt.localeCompare(b.mergedAt))) {
    for (const target of closer.closes) if (!closerOf.has(target)) closerOf.set(target, closer);
  }
  return {
    /** A thread's links: the pull request that fixed an issue, the threads a pull request fixes, the release. */
    of(repo: TRepoRef, issue: TGithubIssue, releases: Map<number, string>): TThreadLinks {
      const path = threadPath(repo, issue.number);
      const result: TThreadLinks = {};
      if (issue.pull_request) {
        const closer = closers.get(path);
        if (closer) result.fixes = closer.closes.map((target) => ({ ref: threadRef(target, repo), title: titles.get(target) ?? null }));
        const release = threadState(issue) === 'merged' ? releases.get(issue.number) : undefined;
        if (release) result.releasedIn = release;
        return result;
      }
      const closer = issue.state === 'closed' ? closerOf.get(path) : undefined;
      if (closer) {
        result.fixedBy = { ref: threadRef(closer.path, repo), path: closer.path, title: closer.title, mergedAt: closer.mergedAt };
        // The release is the fixing pull request's repository's; a pull request of this repository is in `releases`.
        const release = repoOfPath(closer.path) === `${repo.owner}/${repo.name}`.toLowerCase() ? releases.get(closer.number) : undefined;
        if (release) result.releasedIn = release;
      }
      return result;
    },
    /** A merged pull request's page keeps what it closes (its meta), for the syncs after this one. */
    closesOf(path: string): Pick<TPageContext, 'closes'> {
      const closer = closers.get(path);
      return closer ? { closes: { paths: closer.closes, mergedAt: closer.mergedAt } } : {};
    },
  };
}

/** An issue closed as completed whose fixing pull request is not known: its events may name the closing commit. */
function isFixedWithoutPullRequest(issue: TGithubIssue, links: TThreadLinks | undefined): boolean {
  if (issue.pull_request || issue.state !== 'closed' || links?.fixedBy) return false;
  return issue.state_reason === 'completed' || issue.state_reason == null;
}

/** The commit the issue's last `closed` event names (`GET …/issues/{n}/events`), or null (none, or no events API). */
async function closingCommit(client: TGithubClient, repo: TRepoRef, issue: TGithubIssue): Promise<TThreadLinks['fixedByCommit'] | null> {
  try {
    const events = await client.list<{ event?: string; commit_id?: string | null; created_at?: string | null }>(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/events',
      { owner: repo.owner, repo: repo.name, issue_number: issue.number, per_page: 100 },
    );
    const closed = events.filter((event) => event.event === 'closed').at(-1);
    if (!closed?.commit_id || !/^[0-9a-f]{7,64}$/i.test(closed.commit_id)) return null;
    return { sha: shortSha(closed.commit_id), closedAt: closed.created_at ?? issue.closed_at ?? issue.updated_at };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410 || status === 403) return null;
    throw error;
  }
}

/** The repository's newest releases (none when it has no releases, or the API answers 404). */
async function listReleases(client: TGithubClient, repo: TRepoRef): Promise<TGithubRelease[]> {
  try {
    return await client.list<TGithubRelease>('GET /repos/{owner}/{repo}/releases', { owner: repo.owner, repo: repo.name, per_page: 100 }, { maxPages: RELEASE_PAGES });
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}

async function repositoryVisibility(client: TGithubClient, repo: TRepoRef): Promise<'public' | 'private' | 'gone'> {
  try {
    const { data } = await client.get<{ private?: boolean; visibility?: string }>('GET /repos/{owner}/{repo}', { owner: repo.owner, repo: repo.name });
    return data.private === true || (data.visibility !== undefined && data.visibility !== 'public') ? 'private' : 'public';
  } catch (error) {
    if (statusOf(error) === 404) return 'gone';
    throw error;
  }
}

/** A thread's comments (none asked for when it has none), or 'gone' when the thread no longer answers. */
async function readComments(client: TGithubClient, repo: TRepoRef, issue: TGithubIssue): Promise<TGithubComment[] | 'gone'> {
  if ((issue.comments ?? 0) === 0) return [];
  try {
    return await client.list<TGithubComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: repo.owner,
      repo: repo.name,
      issue_number: issue.number,
      per_page: 100,
    });
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410) return 'gone';
    throw error;
  }
}

/** The index paths of every thread the repositories have now (a full listing of issues, PRs and discussions). */
export async function listGithubThreadPaths({
  client,
  repos,
  isPrivateIncluded,
}: {
  client: TGithubClient;
  repos: TRepoRef[];
  isPrivateIncluded: boolean;
}): Promise<string[]> {
  const paths: string[] = [];
  for (const repo of repos) {
    const visibility = await repositoryVisibility(client, repo);
    if (visibility === 'gone' || (visibility === 'private' && !isPrivateIncluded)) continue;
    const issues = await client.list<TGithubIssue>('GET /repos/{owner}/{repo}/issues', { owner: repo.owner, repo: repo.name, state: 'all', per_page: 100 });
    paths.push(...issues.map((issue) => threadPath(repo, issue.number)));
    const discussions = await listDiscussions({ client, repo, since: null });
    paths.push(...discussions.map((discussion) => threadPath(repo, discussion.number)));
  }
  return paths;
}

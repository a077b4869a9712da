import type { TGithubConfig } from '../../../config';
import { deleteDocsPagesByPaths, upsertDocsPagesByPath } from '../../../db/docs-index';
import { listDocsPageChecksumsByKind } from '../../../db/docs-sources';
import type { TDb } from '../../../db/types';
import type { TLogger } from '../../../log';
import type { TPrivacy } from '../../../privacy/mask';
import { statusOf, type TGithubClient, type TGithubRequestStats } from './client';
import { listDiscussions } from './discussions';
import {
  discussionChecksum,
  discussionPage,
  issueChecksum,
  issuePage,
  repoOfPath,
  threadPath,
  type TGithubComment,
  type TGithubIssue,
  type TGithubPage,
  type TRepoRef,
} from './thread';

// One sync of the configured repositories into the index, under the kind 'github'.
// - Full (the first sync of a process, and then once a day): every issue and pull request (`state=all`, Link
//   pagination) and every discussion. A thread whose page checksum (its updated_at, comment count and state) is the
//   one indexed costs nothing more; a changed one is read with its comments (conditional: a 304 reuses the
//   comments read before) and indexed again. Indexed threads the listings no longer have are asked for one by one:
//   deleted (404/410) or transferred (301) leave the index; one that still answers stays (a listing race).
// - Incremental (every other sync): only what changed since the last sync (`since`, a few minutes earlier for
//   clocks that differ), the same way.
// A repository that is (or became) private without GITHUB_INCLUDE_PRIVATE, or that no longer answers (404), leaves
// the index whole. Any other failure throws: the job records it and the index keeps what it had (pages indexed
// before the failure stay indexed: each is whole).

export const GITHUB_KIND = 'github';

/** Clocks differ, and GitHub's `since` compares with second precision: each incremental sync looks this far back. */
const SINCE_OVERLAP_MS = 5 * 60_000;
const UPSERT_BATCH = 25;

export type TGithubSyncDeps = { db: TDb; log: TLogger };

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

export async function syncGithub({
  deps,
  config,
  client,
  privacy,
  since,
}: {
  deps: TGithubSyncDeps;
  config: Pick<TGithubConfig, 'repos' | 'isPrivateIncluded'>;
  client: TGithubClient;
  privacy: TPrivacy;
  /** null: a full sync. */
  since: Date | null;
}): Promise<TGithubSyncReport> {
  const started = performance.now();
  client.resetStats();
  const { db, log } = deps;
  const report: TGithubSyncReport = { isFull: since === null, repos: config.repos.length, threads: 0, discussions: 0, indexed: [], unchanged: 0, removed: [], requests: client.stats, ms: 0 };
  const indexed = await listDocsPageChecksumsByKind({ db, kind: GITHUB_KIND });
  const after = since ? new Date(since.getTime() - SINCE_OVERLAP_MS) : null;
  const pending: TGithubPage[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    await upsertDocsPagesByPath({ db, pages: batch });
    report.indexed.push(...batch.map((page) => page.path));
  };
  const queue = async (page: TGithubPage) => {
    pending.push(page);
    if (pending.length >= UPSERT_BATCH) await flush();
  };
  const remove = async (removals: TRemoval[]) => {
    if (removals.length === 0) return;
    await deleteDocsPagesByPaths({ db, paths: removals.map((removal) => removal.path) });
    report.removed.push(...removals);
    for (const removal of removals) log.info({ path: removal.path, reason: removal.reason }, 'github thread left the index');
  };

  for (const repo of config.repos) {
    const repoKey = `${repo.owner}/${repo.name}`.toLowerCase();
    const repoPaths = Object.keys(indexed).filter((path) => repoOfPath(path) === repoKey);
    const visibility = await repositoryVisibility(client, repo);
    if (visibility === 'gone' || (visibility === 'private' && !config.isPrivateIncluded)) {
      log.warn({ repo: repoKey, visibility }, 'github: the repository is not readable as configured; its threads leave the index');
      await remove(repoPaths.map((path) => ({ path, reason: visibility === 'gone' ? 'repository-gone' : 'private' })));
      continue;
    }

    const listed = new Set<string>();
    const issues = await client.list<TGithubIssue>('GET /repos/{owner}/{repo}/issues', {
      owner: repo.owner,
      repo: repo.name,
      state: 'all',
      per_page: 100,
      ...(after ? { since: after.toISOString(), sort: 'updated', direction: 'desc' } : {}),
    });
    report.threads += issues.length;
    const gone: TRemoval[] = [];
    for (const issue of issues) {
      const path = threadPath(repo, issue.number);
      listed.add(path);
      if (indexed[path] === issueChecksum(issue, privacy)) {
        report.unchanged += 1;
        continue;
      }
      const comments = await readComments(client, repo, issue);
      if (comments === 'gone') {
        if (path in indexed) gone.push({ path, reason: 'deleted' });
        continue;
      }
      await queue(issuePage({ repo, issue, comments, privacy }));
    }

    const discussions = await listDiscussions({ client, repo, since: after });
    report.discussions += discussions.length;
    for (const discussion of discussions) {
      const path = threadPath(repo, discussion.number);
      listed.add(path);
      if (indexed[path] === discussionChecksum(discussion, privacy)) {
        report.unchanged += 1;
        continue;
      }
      await queue(discussionPage({ repo, discussion, privacy }));
    }
    await flush();

    if (!after) {
      // A full listing: an indexed thread it no longer has was deleted, transferred, or is a race; GitHub says which.
      for (const path of repoPaths) {
        if (listed.has(path)) continue;
        const number = Number(path.slice(path.lastIndexOf('#') + 1));
        const found = await client.probe({ owner: repo.owner, repo: repo.name, number });
        if (found !== 'exists') gone.push({ path, reason: found });
      }
    }
    await remove(gone);
  }
  report.requests = { ...client.stats };
  report.ms = Math.round(performance.now() - started);
  return report;
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

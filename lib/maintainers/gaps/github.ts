import type { TGithubClient } from '../../github/client';
import { statusOf } from '../../github/client';
import type { TDocsRepoConfig } from './settings';

// Opening a draft on GitHub (DOCS_REPO) with the GitHub source's client (octokit with its retry and throttling
// plugins). A pull request goes through the git data API: the base branch's ref and commit, the page as the base
// commit has it (its trees walked down the page's path, then its blob), the change applied to that (`change`: null
// when it no longer applies, and nothing is written), a blob of the changed page, a tree on the base tree, a commit,
// a branch ref (`docs-gap/<draft id>`; moved, not duplicated, on a retry), then the pull request (the open one of
// that branch, on a retry). An issue is one request: opened, or, when the topic has one already, updated. Paths in the repository are DOCS_REPO_PATH joined with the
// page's path in DOCS_DIR.

export type TGithubDraftDeps = { github: TGithubClient; repo: TDocsRepoConfig };

type TRef = { object: { sha: string } };
type TSha = { sha: string };
type TOpened = { html_url: string; number: number };
type TTree = { tree: { path: string; type: string; sha: string }[] };

/** The pull request opened, or why the change was not made: the page on the base branch is not what the draft changes. */
export type TPullOutcome = { status: 'opened'; url: string } | { status: 'stale'; reason: string };

type TAt = { owner: string; repo: string };

/** A file as the tree `treeSha` has it, read through the git data API; null when there is no such file. */
async function readFileAt(github: TGithubClient, at: TAt, treeSha: string, filePath: string): Promise<string | null> {
  const segments = filePath.split('/').filter(Boolean);
  let sha = treeSha;
  for (const [index, segment] of segments.entries()) {
    const tree = (await github.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { ...at, tree_sha: sha })).data as TTree;
    const entry = tree.tree.find((item) => item.path === segment);
    if (!entry || entry.type !== (index === segments.length - 1 ? 'blob' : 'tree')) return null;
    sha = entry.sha;
  }
  const blob = (await github.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { ...at, file_sha: sha })).data as { content: string; encoding: string };
  return blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64').toString('utf8') : blob.content;
}

export const draftBranch = (draftId: number) => `docs-gap/${draftId}`;

export function repoPathOf(repo: TDocsRepoConfig, pagePath: string): string {
  return [repo.path, pagePath].filter(Boolean).join('/');
}

export async function openPullRequest({
  deps,
  draftId,
  pagePath,
  change,
  title,
  body,
}: {
  deps: TGithubDraftDeps;
  draftId: number;
  pagePath: string;
  /** The page after the change, from the page as the base branch has it (null: no such page); null: it does not apply. */
  change: (before: string | null) => string | null;
  title: string;
  body: string;
}): Promise<TPullOutcome> {
  const { github, repo } = deps;
  const at = { owner: repo.owner, repo: repo.name };
  const base = (await github.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...at, ref: `heads/${repo.branch}` })).data as TRef;
  const baseCommit = (await github.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...at, commit_sha: base.object.sha })).data as { tree: TSha };
  const filePath = repoPathOf(repo, pagePath);
  const before = await readFileAt(github, at, baseCommit.tree.sha, filePath);
  const content = change(before);
  if (content === null) {
    const where = `${repo.owner}/${repo.name}@${repo.branch}`;
    const reason =
      before === null
        ? `GitHub has no ${filePath} on ${where}, the page the drafted diff changes`
        : `The drafted diff no longer applies to ${filePath} as it is on ${where} (it changed, or was made, since the draft)`;
    return { status: 'stale', reason };
  }
  const blob = (await github.request('POST /repos/{owner}/{repo}/git/blobs', { ...at, content, encoding: 'utf-8' })).data as TSha;
  const tree = (
    await github.request('POST /repos/{owner}/{repo}/git/trees', {
      ...at,
      base_tree: baseCommit.tree.sha,
      tree: [{ path: filePath, mode: '100644', type: 'blob', sha: blob.sha }],
    })
  ).data as TSha;
  const commit = (await github.request('POST /repos/{owner}/{repo}/git/commits', { ...at, message: title, tree: tree.sha, parents: [base.object.sha] })).data as TSha;
  const branch = draftBranch(draftId);
  try {
    await github.request('POST /repos/{owner}/{repo}/git/refs', { ...at, ref: `refs/heads/${branch}`, sha: commit.sha });
  } catch (error) {
    // A retry: the branch is there from the attempt that failed later on. It moves to this commit.
    if (statusOf(error) !== 422) throw error;
    await github.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...at, ref: `heads/${branch}`, sha: commit.sha, force: true });
  }
  try {
    const pull = (await github.request('POST /repos/{owner}/{repo}/pulls', { ...at, title, body, head: branch, base: repo.branch })).data as TOpened;
    return { status: 'opened', url: pull.html_url };
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    const open = (await github.request('GET /repos/{owner}/{repo}/pulls', { ...at, head: `${repo.owner}:${branch}`, state: 'open' })).data as TOpened[];
    if (!open[0]) throw error;
    return { status: 'opened', url: open[0].html_url };
  }
}

/**
 * The draft's issue: `number` (an issue an earlier draft of the topic opened) is updated with this title and body;
 * without one, or when that issue is gone (404, 410: deleted or moved away), a new issue is opened.
 */
export async function openIssue({ deps, title, body, number = null }: { deps: TGithubDraftDeps; title: string; body: string; number?: number | null }): Promise<{ url: string; number: number }> {
  const { github, repo } = deps;
  const at = { owner: repo.owner, repo: repo.name };
  if (number !== null) {
    try {
      const issue = (await github.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...at, issue_number: number, title, body })).data as TOpened;
      return { url: issue.html_url, number: issue.number };
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 410) throw error;
    }
  }
  const issue = (await github.request('POST /repos/{owner}/{repo}/issues', { ...at, title, body, labels: ['docs-gap'] })).data as TOpened;
  return { url: issue.html_url, number: issue.number };
}

/** Why GitHub refused, for the dashboard: its status and message, never a token or a header. */
export function githubFailure(error: unknown): string {
  const status = statusOf(error);
  const message = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data?.message;
  const text = typeof message === 'string' ? message : error instanceof Error ? error.message : String(error);
  return `${status ? `GitHub answered ${status}: ` : 'GitHub could not be reached: '}${text}`.slice(0, 300);
}

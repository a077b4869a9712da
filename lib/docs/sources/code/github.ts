import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { MAINTAINERS_ONLY } from '../../../audiences';
import { createGithubClient, type TGithubClient } from '../../../github/client';
import type { TLogger } from '../../../log';
import { INDEX_VERSION } from '../../index/documents';
import type { TDocumentsContext, TDocumentStream } from '../types';
import { packageNames } from './files';
import { buildCodePage, codePagePath, languageOf, type TCodeOrigin } from './page';
import type { TParseCode } from './parse';
import type { TGithubCodeConfig } from './settings';

// Repositories' code read through GitHub's API (GITHUB_CODE_REPOS, ./settings.ts), with the GitHub kind's client
// (lib/github/client.ts: its token, rate limits, retries, conditional requests). A sync asks for the repository
// (private or not), the commit its ref is at (`GET /repos/{owner}/{repo}/commits/{ref}`), and that commit's tree, all
// of it (`git/trees/{sha}?recursive=1`): each file the globs take is listed with its blob's sha. A file whose blob
// sha (and repository, visibility and package) is as indexed is not read again: only changed files are fetched
// (`git/blobs/{sha}`) and parsed. A file's page links to the commit it was read at, whose lines are the indexed
// ones. A private repository's code is read only with GITHUB_INCLUDE_PRIVATE=on, for GITHUB_PRIVATE_AUDIENCE (else
// the maintainers), cited on the site's own source page; otherwise its files leave the index as its threads do.

/** The files whose name says which package the files under them are in (./files.ts packageNames). */
const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod']);

export type TGithubCodeWalk = {
  repos: { repo: string; commit: string | null; isPrivate: boolean; files: number; skipped?: string }[];
  files: number;
  read: number;
  symbols: number;
  failed: { file: string; reason: string }[];
};

type TTreeEntry = { path: string; type: string; sha: string; size?: number };

/** A file's checksum: its blob, where it is cited, its package, the index's version. */
export function githubCodeChecksum({ blob, repo, isPrivate, packageName }: { blob: string; repo: string; isPrivate: boolean; packageName: string | null }): string {
  return createHash('sha256').update(`${INDEX_VERSION}\0code-github:1\0${repo}\0${isPrivate ? 'private' : 'public'}\0${packageName ?? ''}\0${blob}`).digest('hex');
}

/** The client, built once per documents (its ETags are kept in memory between syncs). */
export function githubCodeClient(config: TGithubCodeConfig): (log: TLogger) => TGithubClient {
  let client: TGithubClient | null = null;
  return (log) => (client ??= createGithubClient({ apiUrl: config.apiUrl, token: config.token, log }));
}

/** Blob texts by sha (a blob never changes): the manifests a sync reads every time are fetched once per process. */
const manifestTexts = new Map<string, string | null>();

async function blobText(client: TGithubClient, owner: string, repo: string, sha: string): Promise<string> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo, file_sha: sha });
  return data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content;
}

async function repoTree(client: TGithubClient, owner: string, repo: string, ref: string | null) {
  const { data: meta } = await client.get<{ private: boolean; default_branch?: string }>('GET /repos/{owner}/{repo}', { owner, repo });
  const { data: commit } = await client.get<{ sha: string; commit: { tree: { sha: string } } }>('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref: ref ?? meta.default_branch ?? 'HEAD' });
  const { data: tree } = await client.get<{ tree: TTreeEntry[]; truncated: boolean }>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: commit.commit.tree.sha, recursive: '1' });
  return { isPrivate: meta.private, commit: commit.sha, tree };
}

/** The files of each repository the globs take, by index path (for the pipeline's listing: what is still there). */
export async function listGithubCodePaths(config: TGithubCodeConfig, client: TGithubClient): Promise<string[]> {
  const paths: string[] = [];
  const isTaken = globsOf(config);
  for (const { owner, name, ref } of config.repos) {
    const { isPrivate, tree } = await repoTree(client, owner, name, ref);
    if (isPrivate && !config.isPrivateIncluded) continue;
    for (const entry of tree.tree) if (entry.type === 'blob' && isTaken(entry.path)) paths.push(codePagePath({ name: `${owner}/${name}` }, entry.path));
  }
  return paths;
}

function globsOf(config: Pick<TGithubCodeConfig, 'include' | 'exclude'>): (file: string) => boolean {
  const isIncluded = picomatch([...config.include], { dot: false });
  const isExcluded = picomatch([...config.exclude], { dot: true });
  // A dot-folder is not walked in a checkout (./files.ts): nor here.
  return (file) => isIncluded(file) && !isExcluded(file) && !file.split('/').some((part) => part.startsWith('.')) && languageOf(file) !== null;
}

export async function* githubCodeDocuments(context: TDocumentsContext, config: TGithubCodeConfig, client: TGithubClient, parse: TParseCode): TDocumentStream<TGithubCodeWalk> {
  const walk: TGithubCodeWalk = { repos: [], files: 0, read: 0, symbols: 0, failed: [] };
  const isTaken = globsOf(config);
  for (const { owner, name, ref } of config.repos) {
    const full = `${owner}/${name}`;
    const { isPrivate, commit, tree } = await repoTree(client, owner, name, ref);
    if (isPrivate && !config.isPrivateIncluded) {
      // Its files are not yielded: the load is complete, so whatever was indexed of it leaves.
      walk.repos.push({ repo: full, commit, isPrivate, files: 0, skipped: 'private, and GITHUB_INCLUDE_PRIVATE is off' });
      context.log.warn({ repo: full }, 'code: a private repository is skipped (GITHUB_INCLUDE_PRIVATE is off); its code leaves the index');
      continue;
    }
    if (tree.truncated) context.log.warn({ repo: full }, 'code: GitHub truncated the repository tree; only the files it listed are indexed');
    const blobs = tree.tree.filter((entry) => entry.type === 'blob');
    const manifests = new Map(blobs.filter((entry) => MANIFESTS.has(entry.path.split('/').pop() ?? '') && !/(^|\/)node_modules\//.test(entry.path)).map((entry) => [entry.path, entry.sha]));
    for (const sha of manifests.values()) if (!manifestTexts.has(sha)) manifestTexts.set(sha, await blobText(client, owner, name, sha).catch(() => null));
    const packageOf = packageNames((relative) => manifestTexts.get(manifests.get(relative) ?? '') ?? null);
    // A private repository is cited on the site's own source page (GitHub's would not open for a reader without access).
    const origin: TCodeOrigin = { name: full, repo: isPrivate ? null : { owner, name }, commit };
    const audiences = isPrivate ? [config.privateAudience ?? MAINTAINERS_ONLY] : [];
    const files = blobs.filter((entry) => isTaken(entry.path));
    walk.repos.push({ repo: full, commit, isPrivate, files: files.length });
    walk.files += files.length;
    for (const entry of files) {
      const indexPath = codePagePath(origin, entry.path);
      const packageName = packageOf(entry.path);
      const checksum = githubCodeChecksum({ blob: entry.sha, repo: full, isPrivate, packageName });
      if (context.isIndexed(indexPath, checksum)) {
        yield { path: indexPath, status: 'unchanged' };
        continue;
      }
      if ((entry.size ?? 0) > config.maxFileBytes) {
        walk.failed.push({ file: `${full}/${entry.path}`, reason: `larger than ${config.maxFileBytes} bytes` });
        yield { path: indexPath, status: 'failed', reason: `larger than DOCS_CODE_MAX_FILE_BYTES (${config.maxFileBytes} bytes)` };
        continue;
      }
      const text = await blobText(client, owner, name, entry.sha);
      walk.read += 1;
      try {
        const page = buildCodePage({ file: entry.path, text, origin, packageName, checksum, parse });
        walk.symbols += page.sections.length;
        yield { ...page, audiences };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        walk.failed.push({ file: `${full}/${entry.path}`, reason });
        yield { path: indexPath, status: 'failed', reason };
      }
    }
  }
  return walk;
}

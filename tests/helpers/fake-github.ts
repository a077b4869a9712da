import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake GitHub API on 127.0.0.1 speaking GitHub's wire format, for the GitHub source's tests: the REST
// endpoints the source reads (a repository; its issues and pull requests with `state`, `since`, `sort`,
// `direction`, `per_page`, `page`; one issue; an issue's comments and events; the releases, newest first), with
// Link pagination (rel="next"/"last"),
// weak ETags and 304s for If-None-Match, x-ratelimit-* headers on every answer; GraphQL (`POST /graphql`) for
// discussions with cursors. It serves whatever threads it is given (tests/fixtures/github, or the corpus of
// ../shared/corpora/paste-github). Faults on demand: a primary rate limit (403 with x-ratelimit-remaining 0 and
// x-ratelimit-reset), a secondary one (403 or 429 with retry-after and GitHub's message), a 5xx, a deleted thread
// (410 or 404) and a transferred one (301 to its new repository). Every request is logged (never its token:
// only whether one was sent).
// Writes, for the drafted docs fixes (lib/maintainers/gaps/github.ts): the git data API (a branch's ref, a commit, new
// blobs, trees on a base tree, commits, refs created and moved; trees and blobs read, a tree's entries one folder
// deep as GitHub lists them) and pull requests and issues opened, in GitHub's shapes and statuses (201, 422
// "Reference already exists", 401 without a token), over a repository's `git` files. `commitFile` moves a branch
// on, as a maintainer pushing to it would. What it opens has its html_url on this fake (as GitHub Enterprise's are on
// its own host), and GET of that address is a page showing the thread: a link to it never leads to github.com.

export type TFakeIssue = {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels?: { name: string }[];
  user?: { login: string; type?: string } | null;
  author_association?: string;
  created_at?: string | null;
  updated_at: string;
  closed_at?: string | null;
  comments: number;
  html_url: string;
  pull_request?: { html_url: string; merged_at: string | null; merged?: boolean };
  [key: string]: unknown;
};

export type TFakeComment = {
  id: number;
  body: string;
  user: { login: string; type?: string } | null;
  author_association: string;
  created_at: string;
  html_url: string;
  [key: string]: unknown;
};

export type TFakeDiscussion = {
  number: number;
  title: string;
  body: string;
  updatedAt: string;
  closed?: boolean;
  category?: string;
  answer?: { id: string; body: string; login: string; authorAssociation: string; isBot?: boolean } | null;
  comments: { id: string; body: string; login: string; authorAssociation: string; isBot?: boolean }[];
};

export type TFakeRepo = {
  isPrivate?: boolean;
  hasDiscussions?: boolean;
  issues: TFakeIssue[];
  /** By issue number (as a string), as ../shared/corpora/paste-github's comments.json. */
  comments: Record<string, TFakeComment[]>;
  discussions?: TFakeDiscussion[];
  /** Newest first, as GitHub lists them; absent: the releases API answers 404 (as for a repository without any). */
  releases?: TFakeRelease[];
  /** An issue's events by number (as a string): only `closed` ones matter to the source. */
  events?: Record<string, TFakeEvent[]>;
  /** The repository's files on its default branch, for the git data API (absent: those endpoints answer 404). */
  git?: { branch: string; files: Record<string, string> };
};

export type TFakePull = { number: number; title: string; body: string; head: string; base: string; html_url: string; state: 'open' };

export type TFakeRelease = { id: number; tag_name: string; name?: string; body: string; draft?: boolean; prerelease?: boolean; published_at: string };
export type TFakeEvent = { id: number; event: string; commit_id: string | null; created_at: string };

export type TFakeRequest = { method: string; path: string; status: number; isConditional: boolean; hasToken: boolean; query?: string };

type TFault = { match: (path: string) => boolean; times: number; answer: (res: ServerResponse) => void };

export type TFakeGithub = Awaited<ReturnType<typeof startFakeGithub>>;

const SECONDARY_MESSAGE = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

export async function startFakeGithub({ repos, maxPerPage = 100, port = 0 }: { repos: Record<string, TFakeRepo>; maxPerPage?: number; port?: number }) {
  const data = new Map(Object.entries(structuredClone(repos)).map(([name, repo]) => [name.toLowerCase(), repo]));
  const deleted = new Map<string, 404 | 410>();
  const transferred = new Map<string, string>();
  const faults: TFault[] = [];
  const log: TFakeRequest[] = [];
  let origin = '';

  const key = (repo: string, number: number) => `${repo.toLowerCase()}#${number}`;
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders(), ...headers });
    res.end(status === 304 ? undefined : JSON.stringify(body));
  };

  /** A list answer: one page of `items`, its Link header, and a 304 when the client's ETag is this page's. */
  const page = (req: IncomingMessage, res: ServerResponse, url: URL, items: unknown[]) => {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, maxPerPage);
    const number = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((number - 1) * perPage, number * perPage);
    const link = (to: number) => {
      const next = new URL(url.href);
      next.searchParams.set('page', String(to));
      next.searchParams.set('per_page', String(perPage));
      return `${origin}${next.pathname}${next.search}`;
    };
    const links = [
      ...(number < last ? [`<${link(number + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`] : []),
      ...(number > 1 ? [`<${link(1)}>; rel="first"`, `<${link(number - 1)}>; rel="prev"`] : []),
    ];
    answerWithEtag(req, res, slice, links.length > 0 ? { link: links.join(', ') } : {});
  };

  const answerWithEtag = (req: IncomingMessage, res: ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
    const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return json(res, 304, null, { etag, ...headers });
    return json(res, 200, body, { etag, ...headers });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fault = faults.find((entry) => entry.times > 0 && entry.match(`${req.method} ${url.pathname}`));
    if (fault) {
      fault.times -= 1;
      return fault.answer(res);
    }
    if (req.method === 'POST' && url.pathname === '/graphql') return graphql(res, await readBody(req), typeof req.headers.authorization === 'string');
    const shown = req.method === 'GET' ? /^\/([^/]+)\/([^/]+)\/(issues|pull|discussions)\/(\d+)$/.exec(url.pathname) : null;
    if (shown && shown[1] !== 'repos') return threadPage(res, `${shown[1]}/${shown[2]}`.toLowerCase(), shown[3]!, Number(shown[4]));
    const edit = req.method === 'PATCH' ? /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname) : null;
    if (edit) return editIssue(req, res, `${edit[1]}/${edit[2]}`.toLowerCase(), Number(edit[3]));
    // A private repository's contents and git data are not there for a request without a token (GitHub answers 404).
    const contents = req.method === 'GET' ? /^\/repos\/([^/]+)\/([^/]+)\/(git\/.+|commits\/.+)$/.exec(url.pathname) : null;
    if (contents && data.get(`${contents[1]}/${contents[2]}`.toLowerCase())?.isPrivate && typeof req.headers.authorization !== 'string') return json(res, 404, { message: 'Not Found' });
    // A commit by sha, branch or tag (GET /repos/{owner}/{repo}/commits/{ref}): its sha and its tree's.
    const commitRef = req.method === 'GET' ? /^\/repos\/([^/]+)\/([^/]+)\/commits\/(.+)$/.exec(url.pathname) : null;
    if (commitRef) {
      const repoName = `${commitRef[1]}/${commitRef[2]}`.toLowerCase();
      const git = gitOf(repoName);
      const ref = decodeURIComponent(commitRef[3]!);
      const sha = git ? (git.commits.has(ref) ? ref : (git.refs.get(`refs/heads/${ref}`) ?? git.refs.get(`refs/tags/${ref}`))) : undefined;
      const commit = sha ? git?.commits.get(sha) : undefined;
      if (!sha || !commit) return json(res, 422, { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit' });
      return answerWithEtag(req, res, { sha, url: api(repoName, `commits/${sha}`), commit: { message: commit.message, tree: { sha: commit.tree, url: api(repoName, `git/trees/${commit.tree}`) } }, parents: commit.parents.map((parent) => ({ sha: parent })) });
    }
    const write = /^\/repos\/([^/]+)\/([^/]+)\/(git\/.+|pulls|issues)$/.exec(url.pathname);
    if (write && (req.method !== 'GET' || write[3]!.startsWith('git/') || write[3] === 'pulls')) {
      // Octokit escapes a ref's slashes in a path parameter (heads%2Fmain), which GitHub reads as the ref.
      return gitData(req, res, url, `${write[1]}/${write[2]}`.toLowerCase(), decodeURIComponent(write[3]!));
    }
    if (req.method !== 'GET') return json(res, 404, { message: 'Not Found' });
    const releases = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(url.pathname);
    if (releases) {
      const repo = data.get(`${releases[1]}/${releases[2]}`.toLowerCase());
      if (!repo?.releases) return json(res, 404, { message: 'Not Found' });
      return page(req, res, url, repo.releases);
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(?:\/issues(?:\/(\d+)(\/comments|\/events)?)?)?$/.exec(url.pathname);
    if (!match) return json(res, 404, { message: 'Not Found' });
    const repoName = `${match[1]}/${match[2]}`.toLowerCase();
    const repo = data.get(repoName);
    if (!repo) return json(res, 404, { message: 'Not Found' });
    const isIssues = url.pathname.endsWith('/issues');
    const number = match[3] ? Number(match[3]) : null;
    if (number === null && !isIssues) {
      const isPrivate = repo.isPrivate === true;
      return answerWithEtag(req, res, { full_name: repoName, private: isPrivate, visibility: isPrivate ? 'private' : 'public', has_discussions: repo.hasDiscussions !== false, default_branch: repo.git?.branch ?? 'main' });
    }
    if (number === null) {
      const since = url.searchParams.get('since');
      const sort = url.searchParams.get('sort') ?? 'created';
      const ascending = url.searchParams.get('direction') === 'asc';
      const state = url.searchParams.get('state') ?? 'open';
      const items = repo.issues
        .filter((issue) => !deleted.has(key(repoName, issue.number)) && !transferred.has(key(repoName, issue.number)))
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => !since || issue.updated_at >= since)
        .sort((a, b) => {
          const order = sort === 'updated' ? a.updated_at.localeCompare(b.updated_at) || a.number - b.number : a.number - b.number;
          return ascending ? order : -order;
        });
      return page(req, res, url, items);
    }
    const gone = deleted.get(key(repoName, number));
    if (gone) return json(res, gone, { message: gone === 410 ? 'This issue was deleted' : 'Not Found' });
    const movedTo = transferred.get(key(repoName, number));
    if (movedTo) {
      const location = `${origin}/repos/${movedTo}`;
      return json(res, 301, { message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/rest' }, { location });
    }
    const issue = repo.issues.find((entry) => entry.number === number);
    if (!issue) return json(res, 404, { message: 'Not Found' });
    if (!match[4]) return answerWithEtag(req, res, issue);
    if (match[4] === '/events') return page(req, res, url, repo.events?.[String(number)] ?? []);
    return page(req, res, url, repo.comments[String(number)] ?? []);
  };

  // What GitHub shows at a thread's html_url (an issue, a pull request or a discussion the app opened, or one of the
  // corpus's): its title, body and comments as plain text in a page, so that a link the app took from an answer's
  // html_url opens this fake's thread, never a real one on github.com.
  const threadPage = (res: ServerResponse, repoName: string, kind: string, number: number) => {
    const repo = data.get(repoName);
    const thread =
      kind === 'discussions'
        ? repo?.discussions?.find((entry) => entry.number === number)
        : kind === 'pull'
          ? (gitObjects.get(repoName)?.pulls.find((entry) => entry.number === number) ?? repo?.issues.find((entry) => entry.number === number))
          : repo?.issues.find((entry) => entry.number === number);
    const escape = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
    if (!thread) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><title>Not Found</title><h1>Not Found</h1>');
    }
    const comments = kind === 'discussions' ? (thread as TFakeDiscussion).comments.map((comment) => ({ login: comment.login, body: comment.body })) : (repo?.comments[String(number)] ?? []).map((comment) => ({ login: comment.user?.login ?? '', body: comment.body }));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><meta charset="utf-8"><title>${escape(thread.title)} · ${escape(repoName)} (fake GitHub)</title>` +
        `<p>Fake GitHub on ${escape(origin)}: ${escape(repoName)} ${escape(kind)} #${number}</p><h1>${escape(thread.title)}</h1>` +
        `<pre>${escape(thread.body ?? '')}</pre>${comments.map((comment) => `<h2>${escape(comment.login)}</h2><pre>${escape(comment.body)}</pre>`).join('')}`,
    );
  };

  // The git data API over each repository's files: objects by sha (git's own hashing), refs by name.
  const gitObjects = new Map<string, { blobs: Map<string, string>; trees: Map<string, Map<string, string>>; commits: Map<string, { tree: string; parents: string[]; message: string }>; refs: Map<string, string>; pulls: TFakePull[] }>();
  let nextNumber = 1000;
  const gitSha = (kind: string, text: string) => createHash('sha1').update(`${kind} ${Buffer.byteLength(text)}\0${text}`).digest('hex');
  const gitOf = (repoName: string) => {
    const repo = data.get(repoName);
    if (!repo?.git) return null;
    let git = gitObjects.get(repoName);
    if (!git) {
      git = { blobs: new Map(), trees: new Map(), commits: new Map(), refs: new Map(), pulls: [] };
      const tree = new Map<string, string>();
      for (const [file, content] of Object.entries(repo.git.files)) {
        const sha = gitSha('blob', content);
        git.blobs.set(sha, content);
        tree.set(file, sha);
      }
      const treeSha = gitSha('tree', JSON.stringify([...tree].sort()));
      git.trees.set(treeSha, tree);
      const commitSha = gitSha('commit', `${treeSha}\ninitial`);
      git.commits.set(commitSha, { tree: treeSha, parents: [], message: 'Initial commit' });
      git.refs.set(`refs/heads/${repo.git.branch}`, commitSha);
      gitObjects.set(repoName, git);
    }
    return git;
  };
  // Trees are kept flat (a path → its blob); a folder inside one is a tree of its own sha, listed on demand.
  const folders = new Map<string, { root: string; prefix: string }>();
  const treeEntries = (repoName: string, git: NonNullable<ReturnType<typeof gitOf>>, sha: string) => {
    const folder = git.trees.has(sha) ? { root: sha, prefix: '' } : folders.get(sha);
    const root = folder ? git.trees.get(folder.root) : undefined;
    if (!folder || !root) return null;
    const entries = new Map<string, { path: string; mode: string; type: string; sha: string; url: string; size?: number }>();
    for (const [file, blob] of root) {
      if (!file.startsWith(folder.prefix)) continue;
      const [name, ...deeper] = file.slice(folder.prefix.length).split('/');
      if (deeper.length === 0) {
        entries.set(name!, { path: name!, mode: '100644', type: 'blob', sha: blob, size: Buffer.byteLength(git.blobs.get(blob) ?? ''), url: api(repoName, `git/blobs/${blob}`) });
      } else if (!entries.has(name!)) {
        const prefix = `${folder.prefix}${name}/`;
        const folderSha = gitSha('tree', `${folder.root}:${prefix}`);
        folders.set(folderSha, { root: folder.root, prefix });
        entries.set(name!, { path: name!, mode: '040000', type: 'tree', sha: folderSha, url: api(repoName, `git/trees/${folderSha}`) });
      }
    }
    return [...entries.values()];
  };
  /** A root tree's entries, recursively: each file and each folder by its full path. */
  const recursiveEntries = (repoName: string, git: NonNullable<ReturnType<typeof gitOf>>, sha: string) => {
    const root = git.trees.get(sha);
    if (!root) return null;
    const folders = new Set<string>();
    const entries: { path: string; mode: string; type: string; sha: string; url: string; size?: number }[] = [];
    for (const [file, blob] of [...root].sort(([a], [b]) => a.localeCompare(b))) {
      const parts = file.split('/');
      for (let depth = 1; depth < parts.length; depth += 1) {
        const folder = parts.slice(0, depth).join('/');
        if (folders.has(folder)) continue;
        folders.add(folder);
        const folderSha = gitSha('tree', `${sha}:${folder}/`);
        entries.push({ path: folder, mode: '040000', type: 'tree', sha: folderSha, url: api(repoName, `git/trees/${folderSha}`) });
      }
      entries.push({ path: file, mode: '100644', type: 'blob', sha: blob, size: Buffer.byteLength(git.blobs.get(blob) ?? ''), url: api(repoName, `git/blobs/${blob}`) });
    }
    return entries;
  };
  const api = (repoName: string, rest: string) => `${origin}/repos/${repoName}/${rest}`;
  const refJson = (repoName: string, ref: string, sha: string) => ({
    ref,
    node_id: Buffer.from(ref).toString('base64'),
    url: api(repoName, `git/${ref}`),
    object: { type: 'commit', sha, url: api(repoName, `git/commits/${sha}`) },
  });
  const commitJson = (repoName: string, sha: string, commit: { tree: string; parents: string[]; message: string }) => ({
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    url: api(repoName, `git/commits/${sha}`),
    html_url: `${origin}/${repoName}/commit/${sha}`,
    author: { name: 'Paste Assistant', email: 'assistant@example.test', date: '2026-01-01T00:00:00Z' },
    committer: { name: 'Paste Assistant', email: 'assistant@example.test', date: '2026-01-01T00:00:00Z' },
    message: commit.message,
    tree: { sha: commit.tree, url: api(repoName, `git/trees/${commit.tree}`) },
    parents: commit.parents.map((parent) => ({ sha: parent, url: api(repoName, `git/commits/${parent}`), html_url: `${origin}/${repoName}/commit/${parent}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
  });

  // PATCH …/issues/{n}: an issue's title, body or state changed (authenticated, as GitHub requires).
  const editIssue = async (req: IncomingMessage, res: ServerResponse, repoName: string, number: number) => {
    const issue = data.get(repoName)?.issues.find((entry) => entry.number === number);
    if (!issue) return json(res, 404, { message: 'Not Found' });
    if (typeof req.headers.authorization !== 'string') return json(res, 401, { message: 'Requires authentication' });
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, any>;
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string') issue.body = body.body;
    if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
    issue.updated_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return json(res, 200, issue);
  };

  const gitData = async (req: IncomingMessage, res: ServerResponse, url: URL, repoName: string, rest: string) => {
    const repo = data.get(repoName);
    if (!repo) return json(res, 404, { message: 'Not Found' });
    if (req.method !== 'GET' && typeof req.headers.authorization !== 'string') {
      return json(res, 401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' });
    }
    const body = req.method === 'GET' ? {} : (JSON.parse((await readBody(req)) || '{}') as Record<string, any>);
    if (rest === 'issues' && req.method === 'POST') {
      if (typeof body.title !== 'string' || body.title === '') return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
      const number = (nextNumber += 1);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const issue: TFakeIssue = {
        number,
        title: body.title,
        body: body.body ?? null,
        state: 'open',
        labels: ((body.labels as string[] | undefined) ?? []).map((name) => ({ name })),
        user: { login: 'paste-assistant', type: 'Bot' },
        author_association: 'NONE',
        created_at: now,
        updated_at: now,
        comments: 0,
        html_url: `${origin}/${repoName}/issues/${number}`,
      };
      repo.issues.push(issue);
      return json(res, 201, issue);
    }
    const git = gitOf(repoName);
    if (!git) return json(res, 404, { message: 'Not Found' });
    if (rest === 'pulls') {
      if (req.method === 'GET') {
        const head = url.searchParams.get('head');
        const state = url.searchParams.get('state') ?? 'open';
        return json(res, 200, git.pulls.filter((pull) => (!head || `${repoName.split('/')[0]}:${pull.head}` === head.toLowerCase() || head.endsWith(`:${pull.head}`)) && (state === 'all' || pull.state === state)));
      }
      if (!git.refs.has(`refs/heads/${body.head}`) || !git.refs.has(`refs/heads/${body.base}`)) {
        return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
      }
      if (git.pulls.some((pull) => pull.head === body.head && pull.state === 'open')) {
        return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repoName.split('/')[0]}:${body.head}.` }] });
      }
      const number = (nextNumber += 1);
      const pull: TFakePull = { number, title: body.title, body: body.body ?? '', head: body.head, base: body.base, html_url: `${origin}/${repoName}/pull/${number}`, state: 'open' };
      git.pulls.push(pull);
      return json(res, 201, { ...pull, head: { ref: pull.head, sha: git.refs.get(`refs/heads/${pull.head}`) }, base: { ref: pull.base, sha: git.refs.get(`refs/heads/${pull.base}`) } });
    }
    const ref = /^git\/ref\/(.+)$/.exec(rest);
    if (ref && req.method === 'GET') {
      const sha = git.refs.get(`refs/${ref[1]}`);
      return sha ? json(res, 200, refJson(repoName, `refs/${ref[1]}`, sha)) : json(res, 404, { message: 'Not Found' });
    }
    const commitPath = /^git\/commits\/([0-9a-f]{40})$/.exec(rest);
    if (commitPath && req.method === 'GET') {
      const commit = git.commits.get(commitPath[1]!);
      return commit ? json(res, 200, commitJson(repoName, commitPath[1]!, commit)) : json(res, 404, { message: 'Not Found' });
    }
    const treePath = /^git\/trees\/([0-9a-f]{40})$/.exec(rest);
    if (treePath && req.method === 'GET') {
      // ?recursive=1: every entry under the tree, with its full path, folders included (as GitHub lists them).
      const isRecursive = url.searchParams.has('recursive') && url.searchParams.get('recursive') !== '0' && url.searchParams.get('recursive') !== 'false';
      const listed = isRecursive ? recursiveEntries(repoName, git, treePath[1]!) : treeEntries(repoName, git, treePath[1]!);
      return listed ? answerWithEtag(req, res, { sha: treePath[1], url: api(repoName, rest), tree: listed, truncated: false }) : json(res, 404, { message: 'Not Found' });
    }
    const blobPath = /^git\/blobs\/([0-9a-f]{40})$/.exec(rest);
    if (blobPath && req.method === 'GET') {
      const content = git.blobs.get(blobPath[1]!);
      if (content === undefined) return json(res, 404, { message: 'Not Found' });
      return answerWithEtag(req, res, { sha: blobPath[1], node_id: `B_${blobPath[1]!.slice(0, 12)}`, size: Buffer.byteLength(content), url: api(repoName, rest), content: Buffer.from(content).toString('base64'), encoding: 'base64' });
    }
    if (rest === 'git/blobs' && req.method === 'POST') {
      const content = body.encoding === 'base64' ? Buffer.from(String(body.content), 'base64').toString('utf8') : String(body.content ?? '');
      const sha = gitSha('blob', content);
      git.blobs.set(sha, content);
      return json(res, 201, { url: api(repoName, `git/blobs/${sha}`), sha });
    }
    if (rest === 'git/trees' && req.method === 'POST') {
      const base = body.base_tree ? git.trees.get(body.base_tree) : new Map<string, string>();
      if (!base) return json(res, 422, { message: 'Invalid tree info', errors: ['base_tree is not a tree'] });
      const tree = new Map(base);
      for (const entry of (body.tree ?? []) as { path: string; sha?: string | null; content?: string }[]) {
        if (entry.content !== undefined) {
          const sha = gitSha('blob', entry.content);
          git.blobs.set(sha, entry.content);
          tree.set(entry.path, sha);
        } else if (entry.sha === null) tree.delete(entry.path);
        else if (entry.sha && git.blobs.has(entry.sha)) tree.set(entry.path, entry.sha);
        else return json(res, 422, { message: 'Invalid tree info', errors: [`${entry.path}: no blob ${entry.sha}`] });
      }
      const sha = gitSha('tree', JSON.stringify([...tree].sort()));
      git.trees.set(sha, tree);
      return json(res, 201, {
        sha,
        url: api(repoName, `git/trees/${sha}`),
        tree: [...tree].map(([file, blob]) => ({ path: file, mode: '100644', type: 'blob', sha: blob, size: Buffer.byteLength(git.blobs.get(blob) ?? ''), url: api(repoName, `git/blobs/${blob}`) })),
        truncated: false,
      });
    }
    if (rest === 'git/commits' && req.method === 'POST') {
      if (!git.trees.has(body.tree)) return json(res, 422, { message: 'Tree SHA does not exist' });
      const commit = { tree: String(body.tree), parents: (body.parents ?? []) as string[], message: String(body.message ?? '') };
      const sha = gitSha('commit', `${commit.tree}\n${commit.parents.join(',')}\n${commit.message}`);
      git.commits.set(sha, commit);
      return json(res, 201, commitJson(repoName, sha, commit));
    }
    if (rest === 'git/refs' && req.method === 'POST') {
      if (git.refs.has(body.ref)) return json(res, 422, { message: 'Reference already exists', documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference' });
      if (!git.commits.has(body.sha)) return json(res, 422, { message: 'Object does not exist' });
      git.refs.set(body.ref, body.sha);
      return json(res, 201, refJson(repoName, body.ref, body.sha));
    }
    const moved = /^git\/refs\/(.+)$/.exec(rest);
    if (moved && req.method === 'PATCH') {
      const name = `refs/${moved[1]}`;
      if (!git.refs.has(name)) return json(res, 422, { message: 'Reference does not exist' });
      if (!git.commits.has(body.sha)) return json(res, 422, { message: 'Object does not exist' });
      git.refs.set(name, body.sha);
      return json(res, 200, refJson(repoName, name, body.sha));
    }
    return json(res, 404, { message: 'Not Found' });
  };

  const graphql = (res: ServerResponse, body: string, hasToken: boolean) => {
    const { query, variables } = JSON.parse(body) as { query: string; variables: { owner: string; name: string; after: string | null; first: number; comments: number } };
    const handoff = handoffGraphql(query, variables as unknown as Record<string, unknown>, hasToken);
    if (handoff) return json(res, 200, handoff);
    if (!/discussions\(/.test(query)) return json(res, 200, { errors: [{ message: 'This fake answers only the discussions query' }] });
    const repo = data.get(`${variables.owner}/${variables.name}`.toLowerCase());
    if (!repo) return json(res, 200, { data: { repository: null }, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a Repository with the name '${variables.owner}/${variables.name}'.` }] });
    const all = (repo.discussions ?? [])
      .filter((discussion) => !deleted.has(key(`${variables.owner}/${variables.name}`, discussion.number)))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const start = variables.after ? Number(Buffer.from(variables.after, 'base64').toString('utf8').replace('cursor:', '')) : 0;
    const nodes = all.slice(start, start + variables.first);
    const end = start + nodes.length;
    const repoUrl = `https://github.com/${variables.owner}/${variables.name}`;
    const comment = (entry: NonNullable<TFakeDiscussion['answer']>, number: number) => ({
      id: entry.id,
      body: entry.body,
      url: `${repoUrl}/discussions/${number}#discussioncomment-${entry.id}`,
      createdAt: '2024-01-01T00:00:00Z',
      authorAssociation: entry.authorAssociation,
      author: { login: entry.login, __typename: entry.isBot ? 'Bot' : 'User' },
    });
    return json(res, 200, {
      data: {
        repository: {
          hasDiscussionsEnabled: repo.hasDiscussions !== false,
          discussions: {
            pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length > 0 ? Buffer.from(`cursor:${end}`).toString('base64') : null },
            nodes: nodes.map((discussion) => ({
              number: discussion.number,
              title: discussion.title,
              body: discussion.body,
              url: `${repoUrl}/discussions/${discussion.number}`,
              updatedAt: discussion.updatedAt,
              closed: discussion.closed ?? false,
              category: { name: discussion.category ?? 'Q&A' },
              answer: discussion.answer ? comment(discussion.answer, discussion.number) : null,
              comments: { nodes: discussion.comments.slice(0, variables.comments).map((entry) => comment(entry, discussion.number)) },
            })),
          },
        },
      },
    });
  };

  // Hand-offs' discussions (lib/handoff/github.ts): a repository's id and discussion categories (each repository has
  // `Q&A` and `General`), and createDiscussion, which adds the discussion to the repository (a token is required).
  const handoffGraphql = (query: string, variables: Record<string, unknown>, hasToken: boolean): unknown => {
    if (/discussionCategories\(/.test(query)) {
      const name = `${String(variables.owner)}/${String(variables.name)}`.toLowerCase();
      if (!data.get(name)) return { data: { repository: null } };
      return { data: { repository: { id: `R_${name}`, discussionCategories: { nodes: [{ id: 'DIC_qa', name: 'Q&A', slug: 'q-a' }, { id: 'DIC_general', name: 'General', slug: 'general' }] } } } };
    }
    if (/createDiscussion\(/.test(query)) {
      if (!hasToken) return { errors: [{ type: 'FORBIDDEN', message: 'Requires authentication' }] };
      const name = String(variables.repositoryId).replace(/^R_/, '');
      const repo = data.get(name);
      if (!repo) return { errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a node' }] };
      const number = (nextNumber += 1);
      const category = variables.categoryId === 'DIC_qa' ? 'Q&A' : 'General';
      (repo.discussions ??= []).push({ number, title: String(variables.title), body: String(variables.body), updatedAt: new Date().toISOString(), category, comments: [] });
      return { data: { createDiscussion: { discussion: { number, url: `${origin}/${name}/discussions/${number}` } } } };
    }
    return null;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.on('finish', () =>
      log.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search,
        status: res.statusCode,
        isConditional: typeof req.headers['if-none-match'] === 'string',
        hasToken: typeof req.headers.authorization === 'string',
      }),
    );
    handle(req, res).catch((error: unknown) => json(res, 500, { message: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoOf = (name: string) => {
    const repo = data.get(name.toLowerCase());
    if (!repo) throw new Error(`fake GitHub has no repository ${name}`);
    return repo;
  };
  const fault = (match: string | RegExp | undefined, times: number, answer: TFault['answer']) =>
    faults.push({ match: (path) => (match === undefined ? true : typeof match === 'string' ? path.includes(match) : match.test(path)), times, answer });

  return {
    url: origin,
    log,
    /** Requests whose path includes `part` (with the method: `GET /repos/…`). */
    requests: (part: string) => log.filter((entry) => `${entry.method} ${entry.path}${entry.query ?? ''}`.includes(part)),
    issue: (repo: string, number: number) => repoOf(repo).issues.find((issue) => issue.number === number),
    /** Changes a thread as GitHub would: its updated_at moves on. */
    updateIssue(repo: string, number: number, change: Partial<TFakeIssue>) {
      const issue = repoOf(repo).issues.find((entry) => entry.number === number);
      if (!issue) throw new Error(`no issue #${number}`);
      Object.assign(issue, change, { updated_at: change.updated_at ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
    },
    /** A new comment: the thread's comment count and updated_at move on, as on GitHub. */
    addComment(repo: string, number: number, comment: { id: number; body: string; user: TFakeComment['user']; author_association: string; created_at?: string }) {
      const target = repoOf(repo);
      const issue = target.issues.find((entry) => entry.number === number);
      if (!issue) throw new Error(`no issue #${number}`);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const list = (target.comments[String(number)] ??= []);
      list.push({ created_at: now, ...comment, html_url: `${issue.html_url}#issuecomment-${comment.id}` });
      issue.comments = list.length;
      issue.updated_at = now;
    },
    /** Closes an issue as completed by a commit: its `closed` event names the commit, and its updated_at moves on. */
    closeWithCommit(repo: string, number: number, commitId: string) {
      const target = repoOf(repo);
      const issue = target.issues.find((entry) => entry.number === number);
      if (!issue) throw new Error(`no issue #${number}`);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      Object.assign(issue, { state: 'closed', state_reason: 'completed', closed_at: now, updated_at: now });
      const events = ((target.events ??= {})[String(number)] ??= []);
      events.push({ id: 90_000 + events.length, event: 'closed', commit_id: commitId, created_at: now });
    },
    /** A new release, listed first (GitHub lists the newest first). */
    addRelease(repo: string, release: TFakeRelease) {
      (repoOf(repo).releases ??= []).unshift(release);
    },
    /** A file as a branch has it (null: not there), read from the branch's commit's tree. */
    fileAt(repo: string, branch: string, file: string): string | null {
      const git = gitOf(repo.toLowerCase());
      const commit = git?.commits.get(git.refs.get(`refs/heads/${branch}`) ?? '');
      const blob = commit ? git?.trees.get(commit.tree)?.get(file) : undefined;
      return blob ? (git?.blobs.get(blob) ?? null) : null;
    },
    /** A commit on `branch` that sets `file` to `content` (null: deletes it), as a push to the branch would. */
    commitFile(repo: string, branch: string, file: string, content: string | null) {
      const git = gitOf(repo.toLowerCase());
      const parent = git?.refs.get(`refs/heads/${branch}`);
      const base = parent ? git?.commits.get(parent) : undefined;
      if (!git || !parent || !base) throw new Error(`no branch ${branch} in ${repo}`);
      const tree = new Map(git.trees.get(base.tree));
      if (content === null) tree.delete(file);
      else {
        const blob = gitSha('blob', content);
        git.blobs.set(blob, content);
        tree.set(file, blob);
      }
      const treeSha = gitSha('tree', JSON.stringify([...tree].sort()));
      git.trees.set(treeSha, tree);
      const commit = { tree: treeSha, parents: [parent], message: `Update ${file}` };
      const sha = gitSha('commit', `${commit.tree}\n${parent}\n${commit.message}`);
      git.commits.set(sha, commit);
      git.refs.set(`refs/heads/${branch}`, sha);
    },
    /** A tag at the branch's current commit (a release's ref). */
    tag(repo: string, tag: string, branch: string) {
      const git = gitOf(repo.toLowerCase());
      const sha = git?.refs.get(`refs/heads/${branch}`);
      if (!git || !sha) throw new Error(`no branch ${branch} in ${repo}`);
      git.refs.set(`refs/tags/${tag}`, sha);
    },
    pullRequests: (repo: string): TFakePull[] => gitObjects.get(repo.toLowerCase())?.pulls ?? [],
    /** Issues opened through the API (POST …/issues). */
    openedIssues: (repo: string): TFakeIssue[] => repoOf(repo).issues.filter((issue) => issue.user?.login === 'paste-assistant'),
    /** Discussions opened through GraphQL's createDiscussion (hand-offs with HANDOFF_GITHUB_CATEGORY). */
    discussions: (repo: string): TFakeDiscussion[] => repoOf(repo).discussions ?? [],
    deleteThread: (repo: string, number: number, status: 404 | 410 = 410) => deleted.set(key(repo, number), status),
    transferThread: (repo: string, number: number, to: string) => transferred.set(key(repo, number), to),
    setPrivate: (repo: string, isPrivate: boolean) => {
      repoOf(repo).isPrivate = isPrivate;
    },
    /** The next `times` matching requests meet the primary rate limit (resetting `resetSeconds` later). */
    primaryRateLimit({ match, times = 1, status = 403, resetSeconds = 1 }: { match?: string | RegExp; times?: number; status?: 403 | 429; resetSeconds?: number }) {
      fault(match, times, (res) => {
        const reset = String(Math.ceil(Date.now() / 1000) + resetSeconds);
        json(res, status, { message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
          'x-ratelimit-resource': 'core',
        });
      });
    },
    /** The next `times` matching requests meet a secondary rate limit (403 or 429 with retry-after). */
    secondaryRateLimit({ match, times = 1, status = 429, retryAfter = 1 }: { match?: string | RegExp; times?: number; status?: 403 | 429; retryAfter?: number }) {
      fault(match, times, (res) => json(res, status, { message: SECONDARY_MESSAGE, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' }, { 'retry-after': String(retryAfter) }));
    },
    /** The next `times` matching requests fail with `status` (a 5xx). */
    serverError({ match, times = 1, status = 502 }: { match?: string | RegExp; times?: number; status?: number }) {
      fault(match, times, (res) => json(res, status, { message: 'Server Error' }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function rateHeaders(): Record<string, string> {
  return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-used': '1', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600), 'x-ratelimit-resource': 'core' };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

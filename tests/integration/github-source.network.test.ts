import { readFileSync } from 'node:fs';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TGithubConfig } from '@/lib/config';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createSourceSyncJob } from '@/lib/docs/sources';
import { createGithubSource, githubCacheStore, type TGithubSource } from '@/lib/docs/sources/single-kinds';
import { createGithubClient, type TGithubClient } from '@/lib/github/client';
import { createLogger } from '@/lib/log';
import { startFakeGithub, type TFakeDiscussion, type TFakeGithub, type TFakeRelease, type TFakeRepo } from '../helpers/fake-github';
import { createTestDb } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// The GitHub source against a fake GitHub API on 127.0.0.1 (tests/helpers/fake-github.ts) serving the small
// repository of tests/fixtures/github: the first sync pages through everything, later ones read only what changed
// (since, and 304s for comments read before), both rate limits are waited out, a 5xx fails the sync and keeps the
// index, deleted, transferred and private threads leave, and each page puts the maintainers' answer first, without
// bots, "+1"s or personal data.

const REPO = 'acme/widgets';
const FIXTURES = path.resolve('tests/fixtures/github');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const fixtureRepo = (): TFakeRepo => ({
  issues: read('issues.json'),
  comments: read('comments.json'),
  discussions: read<TFakeDiscussion[]>('discussions.json'),
  releases: read<TFakeRelease[]>('releases.json'),
});
const log = createLogger({ level: 'silent' });

let db: TDb;
let fake: TFakeGithub;
let client: TGithubClient;
let source: TGithubSource;

const config = (overrides: Partial<TGithubConfig> = {}): TGithubConfig => ({
  repos: [{ owner: 'acme', name: 'widgets' }],
  token: 'ghp_test_token_never_logged',
  apiUrl: fake.url,
  intervalMinutes: 30,
  isPrivateIncluded: false,
  privacy: { isMasking: true, extraPatterns: [] },
  ...overrides,
});
/**
 * A source with its own client, as a new process has: waits are GitHub's (seconds) scaled down to 10 ms, 2 retries
 * of a 5xx, and the ETags it keeps in the database (shared with every other source over the same database).
 */
const newSource = (overrides: Partial<TGithubConfig> = {}) => {
  client = createGithubClient({ apiUrl: fake.url, token: 'ghp_test_token_never_logged', log, retryAfterBaseMs: 10, retries: 2, store: githubCacheStore(db) });
  return createGithubSource(config(overrides), { client });
};
const deps = () => ({ db, log, embedder: null });
const paths = async () => Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'github' })).sort();
const sections = (number: number) => listDocsSectionsByPath({ db, path: `github:acme/widgets#${number}` });
const top = async (prompt: string) => {
  const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt, limit: 5, source: 'site' });
  return results.map((result) => result.url);
};
const ALL = [1, 2, 3, 4, 5, 6, 7, 8].map((number) => `github:acme/widgets#${number}`).sort();

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  // Three per page: the seven issues and pull requests take three pages, through their Link headers.
  fake = await startFakeGithub({ repos: { [REPO]: fixtureRepo() }, maxPerPage: 3 });
  source = newSource();
});
afterEach(async () => {
  await fake.close();
  await querySql(db, "delete from docs_page where source_kind = 'github'");
  await querySql(db, "delete from docs_source_state where kind = 'github'");
  await querySql(db, "delete from docs_source_cache where kind = 'github'");
});

describe('the GitHub source', () => {
  it('first sync: pages through every issue, pull request and discussion, with the token, and search finds a thread by its problem', async () => {
    const report = await source.load(deps());
    expect(report.isFull).toBe(true);
    expect(report.threads).toBe(7);
    expect(report.discussions).toBe(1);
    expect(report.indexed.sort()).toEqual(ALL);
    expect(await paths()).toEqual(ALL);
    const listing = fake.requests('GET /repos/acme/widgets/issues?');
    expect(listing.map((entry) => new URLSearchParams(entry.query).get('page'))).toEqual([null, '2', '3']);
    expect(listing.every((entry) => new URLSearchParams(entry.query).get('state') === 'all')).toBe(true);
    // Comments are asked for only for threads that have some; #1's five take two pages of three.
    expect(fake.requests('/comments').map((entry) => `${entry.path}${entry.query ?? ''}`).sort()).toEqual([
      '/repos/acme/widgets/issues/1/comments?per_page=100',
      '/repos/acme/widgets/issues/1/comments?per_page=3&page=2',
      '/repos/acme/widgets/issues/2/comments?per_page=100',
      '/repos/acme/widgets/issues/3/comments?per_page=100',
      '/repos/acme/widgets/issues/4/comments?per_page=100',
    ]);
    expect(fake.requests('POST /graphql')).toHaveLength(1);
    expect(fake.log.every((entry) => entry.hasToken)).toBe(true);

    expect(await top('date picker shows the day before in Safari')).toContain('https://github.com/acme/widgets/issues/1');
    expect((await top('brand colour for the primary button'))[0]).toBe('https://github.com/acme/widgets/discussions/8');
  });

  it("puts the maintainers' answer first, then the others; leaves out bots, +1s and reactions; masks personal data", async () => {
    await source.load(deps());
    const issue = await sections(1);
    expect(issue.map((section) => section.heading)).toEqual([
      'DatePicker shows the previous day in Safari',
      "Maintainers' answer (2024-01-14)",
      'Comment (2024-01-10)',
    ]);
    expect(issue[1]?.anchor).toBe('issuecomment-1005');
    const text = issue.map((section) => section.content).join('\n');
    expect(text).toContain('parsed as UTC midnight');
    expect(text).not.toMatch(/stale|\+1|👍|:heart:/);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toContain('Contact me at');
    // No author's login is indexed: a comment says only its author's role; an @mention is masked, a package scope is not.
    expect(text).not.toMatch(/maintainer-a|maintainer-b|ipad-reader|jane-reader/);
    expect(text).toContain('with @acme/widgets-core 2.3.0, only in the afternoon. cc @[user]');

    const discussion = await sections(8);
    expect(discussion.map((section) => section.heading.replace(/ \(.*\)$/, ''))).toEqual([
      'How do I give the Button a brand colour?',
      "Maintainers' answer",
      'Accepted answer',
      'Comment',
    ]);
    expect(discussion.map((section) => section.content).join('\n')).not.toContain('This discussion was labelled');

    const duplicate = await sections(3);
    expect(duplicate[0]?.content).toContain('Closed as a duplicate of #1: https://github.com/acme/widgets/issues/1');
    const { rows } = await querySql<{ path: string; description: string; slug: string }>(db, "select path, description, slug from docs_page where source_kind = 'github' order by path");
    const byPath = new Map(rows.map((row) => [row.path, row]));
    expect(byPath.get('github:acme/widgets#2')?.description).toBe('Pull request #2 in acme/widgets, merged, updated 2024-01-14');
    expect(byPath.get('github:acme/widgets#7')?.description).toBe('Pull request #7 in acme/widgets, closed, updated 2024-03-02');
    expect(byPath.get('github:acme/widgets#4')?.description).toBe('Issue #4 in acme/widgets, open (not fixed yet), updated 2024-02-03');
    expect(byPath.get('github:acme/widgets#2')?.slug).toBe('https://github.com/acme/widgets/pull/2');
  });

  it('later syncs ask only for what changed since the last one, and a thread whose comments did not change gets a 304', async () => {
    await source.load(deps());
    const before = fake.log.length;
    const since = new Date();
    fake.updateIssue(REPO, 1, { title: 'DatePicker shows the previous day in Safari and iOS' });
    fake.addComment(REPO, 4, { id: 4002, body: 'The options list re-mounts the input; a fix is in review in #9.', user: { login: 'maintainer-b' }, author_association: 'OWNER' });

    const report = await source.poll(deps(), since);
    expect(report.isFull).toBe(false);
    expect(report.indexed.sort()).toEqual(['github:acme/widgets#1', 'github:acme/widgets#4']);
    const later = fake.log.slice(before);
    const listing = later.filter((entry) => entry.path === '/repos/acme/widgets/issues');
    expect(listing).toHaveLength(1);
    const query = new URLSearchParams(listing[0]?.query);
    expect(new Date(query.get('since') ?? '').getTime()).toBeLessThanOrEqual(since.getTime());
    expect(query.get('sort')).toBe('updated');
    // #1's comments (two pages) were read before: asked again with their ETags, answered 304, and reused.
    expect(later.filter((entry) => entry.path === '/repos/acme/widgets/issues/1/comments').map((entry) => [entry.status, entry.isConditional])).toEqual([
      [304, true],
      [304, true],
    ]);
    expect(later.filter((entry) => entry.path === '/repos/acme/widgets/issues/4/comments').map((entry) => entry.status)).toEqual([200]);
    expect(later.some((entry) => /issues\/[2356]/.test(entry.path))).toBe(false);
    // The two pages of comments, the repository's own record (asked each sync for its visibility) and the releases.
    expect(report.requests.notModified).toBe(4);

    expect((await sections(1))[0]?.heading).toBe('DatePicker shows the previous day in Safari and iOS');
    expect((await sections(1)).map((section) => section.heading)).toContain("Maintainers' answer (2024-01-14)");
    const combobox = await sections(4);
    expect(combobox[1]?.heading).toMatch(/^Maintainers' answer/);
    expect(combobox[1]?.content).toContain('re-mounts the input');
    expect(combobox[2]?.content).toContain('async options');
  });

  it('logs the 304s of a later sync and the 404 of a repository without releases as debug lines, never errors', async () => {
    await fake.close();
    const { releases: _none, ...withoutReleases } = fixtureRepo();
    fake = await startFakeGithub({ repos: { [REPO]: withoutReleases }, maxPerPage: 3 });
    const lines: { level: number; msg: string }[] = [];
    const captured = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) } });
    client = createGithubClient({ apiUrl: fake.url, token: 'ghp_test_token_never_logged', log: captured, retryAfterBaseMs: 10, retries: 2, store: githubCacheStore(db) });
    const quiet = createGithubSource(config(), { client });
    await quiet.load({ db, log: captured, embedder: null });
    const since = new Date();
    await quiet.poll({ db, log: captured, embedder: null }, since);
    const failures = lines.filter((line) => / - \d{3} with id /.test(line.msg));
    expect(failures.some((line) => / - 304 with id /.test(line.msg))).toBe(true);
    expect(failures.some((line) => /releases\S* - 404 with id /.test(line.msg))).toBe(true);
    expect(failures.every((line) => line.level === 20)).toBe(true);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('waits out the primary rate limit (x-ratelimit-reset) and a secondary one (retry-after), then finishes', async () => {
    fake.primaryRateLimit({ match: 'GET /repos/acme/widgets/issues', status: 403 });
    fake.secondaryRateLimit({ match: 'GET /repos/acme/widgets/issues/1/comments', status: 429 });
    fake.secondaryRateLimit({ match: 'POST /graphql', status: 403 });
    const report = await source.load(deps());
    expect(report.requests.rateLimited).toBe(1);
    expect(report.requests.secondaryRateLimited).toBe(2);
    expect(await paths()).toEqual(ALL);
    expect(fake.requests('GET /repos/acme/widgets/issues?').map((entry) => entry.status)).toEqual([403, 200, 200, 200]);
    // The limited first page again, then the second.
    expect(fake.requests('/issues/1/comments').map((entry) => entry.status)).toEqual([429, 200, 200]);
    expect(fake.requests('POST /graphql').map((entry) => entry.status)).toEqual([403, 200]);
  });

  it('gives up on a rate limit that does not lift: the sync fails and the index keeps what it had', async () => {
    await source.load(deps());
    fake.secondaryRateLimit({ match: 'GET /repos/acme/widgets/issues', times: 10 });
    await expect(newSource().load(deps())).rejects.toMatchObject({ status: 429 });
    expect(await paths()).toEqual(ALL);
  });

  it('a 5xx is retried; one that persists fails the sync, the job records the failure, and the index keeps what it had', async () => {
    fake.serverError({ match: 'GET /repos/acme/widgets/issues/2/comments', times: 1, status: 502 });
    const retriedOnce = await source.load(deps());
    expect(fake.requests('/issues/2/comments').map((entry) => entry.status)).toEqual([502, 200]);
    // The one retry is counted, and only it: every other request went through once.
    expect(retriedOnce.requests.retried).toBe(1);
    expect(await paths()).toEqual(ALL);

    fake.deleteThread(REPO, 5);
    fake.serverError({ match: 'GET /repos/acme/widgets/issues', times: 20, status: 503 });
    const job = createSourceSyncJob({ source: newSource(), deps: deps(), workerId: 'test-worker' });
    await expect(job.runOnce({ isForced: true })).rejects.toMatchObject({ status: 503 });
    expect(await paths()).toEqual(ALL);
    const { rows } = await querySql<{ last_report: Record<string, unknown> }>(db, "select last_report from docs_source_state where kind = 'github'");
    expect(rows[0]?.last_report).toEqual({ error: 'the GitHub sync did not finish', detail: 'GitHub answered 503' });
    expect(JSON.stringify(rows)).not.toContain('ghp_');
  });

  it('a deleted thread (410 or 404) and a transferred one (301) leave the index on the next full sync', async () => {
    await source.load(deps());
    fake.deleteThread(REPO, 5, 410);
    fake.deleteThread(REPO, 7, 404);
    fake.transferThread(REPO, 6, 'acme/dialogs/issues/1');
    const report = await source.load(deps());
    expect(report.removed.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'github:acme/widgets#5', reason: 'deleted' },
      { path: 'github:acme/widgets#6', reason: 'transferred' },
      { path: 'github:acme/widgets#7', reason: 'not-found' },
    ]);
    expect(report.indexed).toEqual([]);
    expect(report.unchanged).toBe(5);
    expect(fake.requests('GET /repos/acme/widgets/issues/6').map((entry) => entry.status)).toEqual([301]);
    expect(fake.requests('GET /repos/acme/widgets/issues/5').map((entry) => entry.status)).toEqual([410]);
    expect(await paths()).toEqual(ALL.filter((entry) => !/#[567]$/.test(entry)));
    expect(await top('tooltip flickers on the border')).not.toContain('https://github.com/acme/widgets/issues/5');
  });

  it('a repository made private leaves the index, unless GITHUB_INCLUDE_PRIVATE is on', async () => {
    await source.load(deps());
    fake.setPrivate(REPO, true);
    await newSource({ isPrivateIncluded: true }).load(deps());
    expect(await paths()).toEqual(ALL);
    const report = await newSource().load(deps());
    expect(report.removed.map((removal) => removal.reason)).toEqual(Array(8).fill('private'));
    expect(await paths()).toEqual([]);
  });

  it('lists the ids the repository still has, and prunes repositories no longer configured', async () => {
    await source.load(deps());
    fake.deleteThread(REPO, 5);
    expect((await source.listIds(deps())).sort()).toEqual(ALL.filter((entry) => !entry.endsWith('#5')));
    const { pruneUnconfiguredSources } = await import('@/lib/docs/sources/prune');
    const sourcesConfig = (github: TGithubConfig | null) => ({ docsDir: 'content/docs', docsSources: { isDirIndexed: true, published: null, crawl: null, github } });
    expect(await pruneUnconfiguredSources({ db, config: sourcesConfig(config()) })).toEqual({ removed: {}, changed: [] });
    const other = config({ repos: [{ owner: 'acme', name: 'dialogs' }] });
    expect(await pruneUnconfiguredSources({ db, config: sourcesConfig(other) })).toEqual({ removed: { github: 8 }, changed: ['github'] });
    expect(await paths()).toEqual([]);
  });

  it('links a merged pull request with its closing keyword to the issue it fixed, and both to the release they shipped in', async () => {
    await source.load(deps());
    const issue = (await sections(1))[0]?.content ?? '';
    expect(issue).toContain('Fixed by #2: fix(date-picker): parse the value as a local date (merged 2024-01-14).');
    expect(issue).toContain('Released in v2.3.1.');
    const pull = (await sections(2))[0]?.content ?? '';
    expect(pull).toContain('Fixes #1: DatePicker shows the previous day in Safari.');
    expect(pull).toContain('Released in v2.3.1.');
    // #3 (a duplicate) and #7 (closed without merging) claim no fix.
    expect((await sections(3))[0]?.content).not.toContain('Fixed by');
    expect((await sections(7))[0]?.content).not.toMatch(/Fixes|Released in/);
    const { rows } = await querySql<{ path: string; meta: Record<string, unknown> }>(db, "select path, meta from docs_page where path in ('github:acme/widgets#1', 'github:acme/widgets#2') order by path");
    expect(rows.map((row) => row.meta)).toMatchObject([
      { number: 1, state: 'closed', fixedBy: '#2', releasedIn: 'v2.3.1' },
      { number: 2, state: 'merged', releasedIn: 'v2.3.1', fixes: ['github:acme/widgets#1'], mergedAt: '2024-01-14T10:00:00Z' },
    ]);
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: deps(), prompt: 'DatePicker shows the previous day in Safari', limit: 5, source: 'site' });
    expect(results.find((result) => result.url.startsWith('https://github.com/acme/widgets/issues/1'))).toMatchObject({ kind: 'thread', number: 1, fixedBy: '#2', releasedIn: 'v2.3.1' });

    // An issue closed by a commit (its closed event names it) says so; a new release that names no pull request rebuilds nothing.
    const since = new Date();
    fake.closeWithCommit(REPO, 5, 'f00dfeed1234567890abcdef1234567890abcdef');
    fake.addRelease(REPO, { id: 5003, tag_name: 'v2.5.0', body: '- Tooltip: no flicker on the border (f00dfee).', published_at: '2024-03-01T10:00:00Z' });
    const report = await source.poll(deps(), since);
    expect(report.indexed).toEqual(['github:acme/widgets#5']);
    expect((await sections(5))[0]?.content).toMatch(/Fixed by commit f00dfee \(closed \d{4}-\d{2}-\d{2}\)\./);
    expect(fake.requests('GET /repos/acme/widgets/issues/5/events').map((entry) => entry.status)).toEqual([200]);
    // The full hash is never indexed (it would read as a secret and be masked anyway).
    expect((await sections(5))[0]?.content).not.toContain('f00dfeed1234567890');
  });

  it('keeps its ETags and its last full sync in the database: a new instance polls incrementally, and conditionally, at once', async () => {
    await source.load(deps());
    const since = new Date();
    fake.updateIssue(REPO, 1, { title: 'DatePicker shows the previous day in Safari and iOS' });
    const before = fake.log.length;
    // A new process: a new source and client, over the same database.
    const restarted = newSource();
    const report = await restarted.poll(deps(), since);
    expect(report.isFull).toBe(false);
    expect(report.indexed).toEqual(['github:acme/widgets#1']);
    const later = fake.log.slice(before);
    expect(later.filter((entry) => entry.path === '/repos/acme/widgets').map((entry) => [entry.status, entry.isConditional])).toEqual([[304, true]]);
    expect(later.filter((entry) => entry.path === '/repos/acme/widgets/issues/1/comments').map((entry) => [entry.status, entry.isConditional])).toEqual([
      [304, true],
      [304, true],
    ]);
    expect(report.requests.notModified).toBeGreaterThanOrEqual(4);
    expect((await sections(1)).map((section) => section.heading)).toContain("Maintainers' answer (2024-01-14)");
    const { rows } = await querySql<{ count: number }>(db, "select count(*)::int as count from docs_source_cache where kind = 'github'");
    expect(rows[0]?.count).toBeGreaterThan(5);
    // Another configuration (private repositories now read) makes the next sync full.
    expect((await newSource({ isPrivateIncluded: true }).poll(deps(), new Date())).isFull).toBe(true);
  });

  it("marks a private repository's threads private, and search shows them only to a signed-in caller", async () => {
    fake.setPrivate(REPO, true);
    await newSource({ isPrivateIncluded: true }).load(deps());
    expect(await paths()).toEqual(ALL);
    const { rows } = await querySql<{ meta: Record<string, unknown> }>(db, "select meta from docs_page where source_kind = 'github'");
    expect(rows.every((row) => row.meta.isPrivate === true)).toBe(true);
    const search = (isMaintainer?: boolean) =>
      searchDocsRanked({ deps: deps(), prompt: 'date picker shows the day before in Safari', limit: 5, source: 'site', access: isMaintainer ? MAINTAINER_ACCESS : PUBLIC_ACCESS });
    expect((await search(true)).results.map((result) => result.url)).toContain('https://github.com/acme/widgets/issues/1');
    for (const results of [(await search()).results, (await search(false)).results]) {
      expect(results.some((result) => result.url.startsWith('https://github.com/'))).toBe(false);
    }
    // Made public again: the pages are rebuilt without the mark, and readers find them.
    fake.setPrivate(REPO, false);
    const report = await newSource({ isPrivateIncluded: true }).load(deps());
    expect(report.indexed.sort()).toEqual(ALL);
    expect((await search()).results.map((result) => result.url)).toContain('https://github.com/acme/widgets/issues/1');
  });
});

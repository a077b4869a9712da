import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeDiscussion, type TFakeGithub, type TFakeRepo } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';

// GitHub as an operator runs it: `next start` of the production build with GITHUB_REPOS, GITHUB_API_URL and
// GITHUB_TOKEN set (here to a fake GitHub on 127.0.0.1 serving tests/fixtures/github). The server syncs at its
// start by itself (no `npm run sources:sync` needed, content/docs/guides/github.mdx); then /api/docs-search finds a
// thread from a description of its problem, with its kind, number and state; the `sources` filter keeps to the
// kinds asked for and refuses one it does not know; /api/health shows the github source's counts and last sync;
// and the token is never in a response nor in anything the server printed (logging at info, its sync's line too).

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/github');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const TOKEN = 'ghp_productionTierTokenNeverShown0123456789';

let fake: TFakeGithub;
let server: TNextServer;
const bodies: string[] = [];

/** A JSON call whose raw body is kept, so that the last test can look for the token in every one of them. */
async function call(route: string, json?: unknown) {
  const response = await fetch(`${server.url}${route}`, json === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  const text = await response.text();
  bodies.push(`${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${text}`);
  return { status: response.status, body: JSON.parse(text) as any };
}

type TSourceHealth = { kind: string; resultKind: string; pages: number; sections: number; failed: number; lastRun: string | null; lastError: string | null; isConfigured: boolean };
const githubHealth = async () => ((await call('/api/health')).body.docs.sources as TSourceHealth[]).find((source) => source.kind === 'github');

beforeAll(async () => {
  const repo: TFakeRepo = { issues: read('issues.json'), comments: read('comments.json'), discussions: read<TFakeDiscussion[]>('discussions.json') };
  fake = await startFakeGithub({ repos: { 'acme/widgets': repo }, maxPerPage: 3 });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-github-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-github-session-secret-0123456789',
      MODERATION: 'off',
      LOG_LEVEL: 'info',
      GITHUB_REPOS: 'acme/widgets',
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: TOKEN,
    },
  });
  // The sync runs in the background once the server answers: its end is when /api/health records a last sync.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const github = await githubHealth();
    if (github?.lastRun) break;
    if (Date.now() > deadline) throw new Error(`the GitHub sync did not finish in 60 s: ${JSON.stringify(github)}\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('GitHub threads on next start', () => {
  it('synced at start, with the token sent to GitHub, and /api/health shows the source with its counts and last sync', async () => {
    const github = await githubHealth();
    // Seven issues and pull requests, and a discussion: eight threads, none failed.
    expect(github).toMatchObject({ kind: 'github', resultKind: 'thread', pages: 8, failed: 0, lastError: null, isConfigured: true });
    expect(github!.sections).toBeGreaterThanOrEqual(8);
    expect(Date.parse(github!.lastRun!)).not.toBeNaN();
    const listings = fake.requests('GET /repos/acme/widgets/issues');
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.every((request) => request.hasToken)).toBe(true);
  });

  it('/api/docs-search finds a thread from a description of its problem, with kind, number and state', async () => {
    const { status, body } = await call('/api/docs-search', { prompt: 'the date picker shows the day before in Safari', limit: 5 });
    expect(status).toBe(200);
    const thread = body.data.find((result: { kind: string }) => result.kind === 'thread');
    expect(thread, JSON.stringify(body.data.map((result: any) => [result.kind, result.title]))).toMatchObject({ kind: 'thread', number: 1, state: 'closed' });
    expect(thread.title).toContain('DatePicker shows the previous day in Safari');
    const open = await call('/api/docs-search', { prompt: 'combobox loses focus when its options re-render', limit: 5, sources: ['thread'] });
    expect(open.body.data[0]).toMatchObject({ kind: 'thread', number: 4, state: 'open' });
  });

  it('keeps to the kinds the sources filter asks for', async () => {
    const prompt = 'GitHub issues and discussions: the date picker in Safari';
    const all = await call('/api/docs-search', { prompt, limit: 10 });
    expect(new Set(all.body.data.map((result: { kind: string }) => result.kind))).toEqual(new Set(['docs', 'thread']));
    const threads = await call('/api/docs-search', { prompt, limit: 10, sources: ['thread'] });
    expect(threads.status).toBe(200);
    expect(threads.body.data.length).toBeGreaterThan(0);
    expect(new Set(threads.body.data.map((result: { kind: string }) => result.kind))).toEqual(new Set(['thread']));
    const docs = await call('/api/docs-search', { prompt, limit: 10, sources: ['docs'] });
    expect(docs.status).toBe(200);
    expect(docs.body.data.length).toBeGreaterThan(0);
    expect(docs.body.data.every((result: { kind: string }) => result.kind === 'docs')).toBe(true);
  });

  it('refuses an unknown kind with a 400', async () => {
    const { status, body } = await call('/api/docs-search', { prompt: 'date picker', sources: ['tweets'] });
    expect(status, JSON.stringify(body)).toBe(400);
  });

  it("a thread is read on GitHub: its URL under /docs is no docs page read (answered as a page that does not exist)", async () => {
    const thread = await call('/api/docs-page-read', { path: '/docs/https://github.com/acme/widgets/issues/1' });
    const none = await call('/api/docs-page-read', { path: '/docs/https://github.com/acme/widgets/issues/987654' });
    expect(thread).toEqual({ status: 200, body: { recorded: false } });
    expect(none).toEqual(thread);
  });

  it('never shows the token: not in a response, not in what the server printed', async () => {
    await call('/api/health');
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) expect(body).not.toContain(TOKEN);
    // The sync's own log line is there (info), so the output checked is the one a sync writes.
    expect(server.output()).toContain('github synced');
    expect(server.output()).not.toContain(TOKEN);
  });
});

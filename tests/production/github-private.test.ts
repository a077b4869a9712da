import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeDiscussion, type TFakeGithub, type TFakeRelease, type TFakeRepo } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';

// A private repository's threads on `next start` (GITHUB_INCLUDE_PRIVATE=on, the fake GitHub serving
// tests/fixtures/github as a private repository): they are indexed, and found by a maintainer (Authorization: Bearer
// MAINTAINER_TOKEN) through /api/docs-search and MCP's search_docs; an API key without their audience (API_KEYS'
// keys have none: issue 57) and a reader who is not signed in (no header, or a wrong one) never get them there, and the assistant's
// answer to a reader never cites them. The routes that say whether they recorded something about a page
// (/api/docs-search-opened, /api/docs-page-read) answer a caller about a thread it may not see exactly as about one
// that does not exist: they are no oracle of what a private repository holds.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/github');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const MAINTAINER_TOKEN = 'private-tier-maintainer-token-0123';
const API_KEY = 'pa-sk-private-tier-key-0123456789abcdef';
const PROMPT = 'the date picker shows the day before in Safari';

let fake: TFakeGithub;
let server: TNextServer;

async function post(route: string, json: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

const searchUrls = async (headers: Record<string, string> = {}) => {
  const { status, body } = await post('/api/docs-search', { prompt: PROMPT, limit: 10 }, headers);
  expect(status, JSON.stringify(body)).toBe(200);
  return (body.data as { url: string; kind: string }[]).map((result) => result.url);
};

const mcpSearchUrls = async (headers: Record<string, string> = {}) => {
  const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query: PROMPT, limit: 10 } } };
  const { status, body } = await post('/mcp', message, { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...headers });
  expect(status, JSON.stringify(body)).toBe(200);
  return (body.result.structuredContent.results as { url: string }[]).map((result) => result.url);
};

const isThread = (url: string) => url.startsWith('https://github.com/acme/widgets/');

beforeAll(async () => {
  const repo: TFakeRepo = {
    isPrivate: true,
    issues: read('issues.json'),
    comments: read('comments.json'),
    discussions: read<TFakeDiscussion[]>('discussions.json'),
    releases: read<TFakeRelease[]>('releases.json'),
  };
  fake = await startFakeGithub({ repos: { 'acme/widgets': repo } });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-github-private-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-github-private-secret-0123456789',
      MODERATION: 'off',
      GITHUB_REPOS: 'acme/widgets',
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: 'ghp_privateTierToken0123456789abcdefghij',
      GITHUB_INCLUDE_PRIVATE: 'on',
      MAINTAINER_TOKEN,
      API_KEYS: API_KEY,
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = await (await fetch(`${server.url}/api/health`)).json();
    const github = (health.docs.sources as { kind: string; lastRun: string | null; pages: number }[]).find((source) => source.kind === 'github');
    if (github?.lastRun) {
      expect(github.pages).toBe(8);
      break;
    }
    if (Date.now() > deadline) throw new Error(`the GitHub sync did not finish in 60 s\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe("a private repository's threads", () => {
  it('are found by a maintainer through /api/docs-search, never by a key without their audience or a reader', async () => {
    expect(await searchUrls({ authorization: `Bearer ${MAINTAINER_TOKEN}` })).toContain('https://github.com/acme/widgets/issues/1');
    const readers: Record<string, string>[] = [{}, { authorization: `Bearer ${API_KEY}` }, { authorization: 'Bearer not-a-key-of-this-site-0123456789' }, { authorization: `Bearer ${MAINTAINER_TOKEN}x` }];
    for (const headers of readers) {
      const urls = await searchUrls(headers);
      expect(urls.length, 'the docs still answer').toBeGreaterThan(0);
      expect(urls.filter(isThread)).toEqual([]);
    }
    // Asked for threads only, a reader gets none, and no error says that any exist.
    const threadsOnly = await post('/api/docs-search', { prompt: PROMPT, sources: ['thread'] });
    expect(threadsOnly).toMatchObject({ status: 200, body: { data: [] } });
  });

  it("are in MCP's search_docs only with a maintainer's token, not with an API key without their audience", async () => {
    expect((await mcpSearchUrls({ authorization: `Bearer ${MAINTAINER_TOKEN}` })).some(isThread)).toBe(true);
    expect((await mcpSearchUrls({ authorization: `Bearer ${API_KEY}` })).filter(isThread)).toEqual([]);
    expect((await mcpSearchUrls()).filter(isThread)).toEqual([]);
  });

  it("are never cited in the assistant's answer to a reader", async () => {
    const created = await fetch(`${server.url}/api/paste-assistant-thread`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = (created.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const thread = (await created.json()) as { id: string };
    const sent = await post('/api/paste-assistant-message', { threadId: thread.id, message: `Why does ${PROMPT}?` }, { cookie, authorization: `Bearer ${MAINTAINER_TOKEN}` });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const messages = await fetch(`${server.url}/api/paste-assistant-messages/${thread.id}`, { headers: { cookie } });
    const answer = ((await messages.json()) as { data: { role: string; content: { text: { value: string; annotations: { url: string }[] } }[] }[] }).data.find(
      (message) => message.role === 'assistant',
    );
    expect(answer, 'the offline model answered').toBeDefined();
    const text = answer!.content.map((part) => part.text.value).join('\n');
    expect(text).not.toContain('github.com/acme/widgets');
    expect(answer!.content.flatMap((part) => part.text.annotations).filter((annotation) => isThread(annotation.url))).toEqual([]);
  });

  it('are no oracle: a search result opened or a page read answers a reader about one exactly as about none', async () => {
    const raw = async (route: string, json: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });
      return { status: response.status, body: await response.text() };
    };
    const opened = (path: string, headers?: Record<string, string>) => raw('/api/docs-search-opened', { query: 'date picker safari', path }, headers);
    const existing = await opened('github:acme/widgets#1');
    const missing = await opened('github:acme/widgets#987654');
    expect(existing).toEqual(missing);
    expect(JSON.parse(existing.body)).toEqual({ recorded: false });
    // Neither is a wrong key or a near miss of the token signed in.
    expect(await opened('github:acme/widgets#1', { authorization: `Bearer ${MAINTAINER_TOKEN}x` })).toEqual(missing);
    // A maintainer may see the thread: their opened result is evidence like any other.
    expect(JSON.parse((await opened('github:acme/widgets#1', { authorization: `Bearer ${MAINTAINER_TOKEN}` })).body)).toEqual({ recorded: true });

    // A thread is read on GitHub, never at /docs/…: not a page read, whoever asks, exactly as a page that does not exist.
    const read = (path: string) => raw('/api/docs-page-read', { path });
    const thread = await read('/docs/https://github.com/acme/widgets/issues/1');
    const none = await read('/docs/https://github.com/acme/widgets/issues/987654');
    expect(thread).toEqual(none);
    expect(JSON.parse(thread.body)).toEqual({ recorded: false });
    // The site's own pages still count.
    expect(JSON.parse((await read('/docs/configuration')).body)).toEqual({ recorded: true });
  });
});

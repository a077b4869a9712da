import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { READER_TOKEN_SECRET, signReaderToken, unsignedReaderToken } from '../helpers/reader-tokens';

// Issue 57's check on `next start`: a canary page of one audience (DOCS_AUDIENCES='staff=guides/discord.mdx' over the
// build's docs, canary word Ed25519, which only that page has). A reader who is signed out, and a reader whose token
// grants another audience, never meet it on any surface — search, the assistant's answer, the page, its `.md` twin,
// llms.txt, llms-full.txt, MCP (search_docs, get_page, the resources) — and cannot learn that it exists (each answers
// as for a missing page); a reader whose host-signed token grants `staff` finds it, is answered from it and reads the
// page. Forged and expired tokens are 401s. A share link of the staff reader's conversation shows the others the
// question, not the answer drawn from the page.

const CANARY = 'Ed25519';
const CANARY_PAGE = '/docs/guides/discord';
let server: TNextServer;

beforeAll(async () => {
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-audiences-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-audiences-session-secret-0123456789',
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      DOCS_AUDIENCES: 'staff=guides/discord.mdx',
      READER_TOKEN_SECRET,
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
    },
  });
});

afterAll(async () => {
  await server?.stop();
});

/** A reader with a cookie jar of one session cookie, as a browser. */
function reader() {
  let cookie = '';
  const request = async (route: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${server.url}${route}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...init.headers },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: 'manual',
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? cookie;
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  return { request };
}

type TReader = ReturnType<typeof reader>;

const signIn = async (who: TReader, audiences: string[]) => {
  const response = await who.request('/api/reader/session', { json: { token: await signReaderToken({ audiences }) } });
  expect(response.status, response.text).toBe(200);
};

const mcp = (who: TReader, method: string, params: Record<string, unknown>) =>
  who.request('/mcp', { json: { jsonrpc: '2.0', id: 1, method, params }, headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' } });

/** The offline model's answer to a question, as the reader reads it. */
async function ask(who: TReader, question: string): Promise<string> {
  const thread = JSON.parse((await who.request('/api/paste-assistant-thread', { json: {} })).text) as { id: string };
  const sent = await who.request('/api/paste-assistant-message', { json: { threadId: thread.id, message: question } });
  expect(sent.status, sent.text).toBe(200);
  const messages = JSON.parse((await who.request(`/api/paste-assistant-messages/${thread.id}`)).text) as { data: { role: string }[] };
  // The answers only: the reader's own question names the canary.
  return JSON.stringify(messages.data.filter((message) => message.role === 'assistant'));
}

/** Every surface, as this reader meets it: what each one says, to look for the canary in. */
async function surfaces(who: TReader) {
  const search = await who.request('/api/docs-search', { json: { prompt: `${CANARY} signature Discord interactions`, limit: 20 } });
  const page = await who.request(CANARY_PAGE);
  const twin = await who.request(`${CANARY_PAGE}.md`);
  const llms = await who.request('/llms.txt');
  const llmsFull = await who.request('/llms-full.txt');
  const mcpSearch = await mcp(who, 'tools/call', { name: 'search_docs', arguments: { query: `${CANARY} signature`, limit: 20 } });
  const mcpPage = await mcp(who, 'tools/call', { name: 'get_page', arguments: { path: 'guides/discord' } });
  const resources = await mcp(who, 'resources/list', {});
  // Not naming the canary: the offline answer repeats the question it searched for.
  const answer = await ask(who, 'How is the signature of each Discord interaction request verified with the public key?');
  const home = await who.request('/docs');
  return { search, page, twin, llms, llmsFull, mcpSearch, mcpPage, resources, answer, home };
}

describe('a page of one audience on a production build', () => {
  it('is met on no surface by a signed-out reader, nor by a reader of another audience, and answers as a missing page', async () => {
    const missingPage = await reader().request('/docs/guides/no-such-page');
    const missingTwin = await reader().request('/docs/guides/no-such-page.md');
    for (const audiences of [null, ['partners']]) {
      const who = reader();
      if (audiences) await signIn(who, audiences);
      const seen = await surfaces(who);
      const label = audiences ? 'another audience' : 'signed out';
      expect(seen.search.status, label).toBe(200);
      expect(seen.search.text, label).not.toContain(CANARY);
      expect(seen.search.text, label).not.toContain(CANARY_PAGE);
      expect(seen.page.status, label).toBe(404);
      expect(seen.page.text, label).not.toContain(CANARY);
      expect(seen.page.headers.get('cache-control'), label).toBe(missingPage.headers.get('cache-control'));
      expect(seen.twin.status, label).toBe(404);
      expect(seen.twin.text.replace('guides/discord', 'X'), label).toBe(missingTwin.text.replace('guides/no-such-page', 'X'));
      for (const [name, text] of Object.entries({ llms: seen.llms.text, llmsFull: seen.llmsFull.text, mcpSearch: seen.mcpSearch.text, mcpPage: seen.mcpPage.text, resources: seen.resources.text, answer: seen.answer })) {
        expect(text.includes(CANARY) ? text.slice(Math.max(0, text.indexOf(CANARY) - 600), text.indexOf(CANARY) + 200) : '', `${label}: ${name}`).toBe('');
      }
      expect(seen.mcpPage.text, label).toContain('No docs page');
      expect(seen.answer, label).not.toContain(`"url":"${CANARY_PAGE}`);
      // Its title is in no navigation, no index for agents, no list of resources.
      expect(seen.llms.text, label).not.toContain(`${CANARY_PAGE}.md`);
      expect(seen.resources.text, label).not.toContain(`${CANARY_PAGE}.md`);
      expect(seen.home.text, label).not.toContain(`href="${CANARY_PAGE}"`);
    }
  });

  it('is found, answered from and read by a reader whose host-signed token grants its audience, never from a shared cache', async () => {
    const who = reader();
    await signIn(who, ['staff']);
    const seen = await surfaces(who);
    expect(seen.search.text).toContain(CANARY_PAGE);
    // Answered from it: the answer cites the page.
    expect(seen.answer).toContain(`"url":"${CANARY_PAGE}`);
    expect(seen.page.status).toBe(200);
    expect(seen.page.text).toContain(CANARY);
    expect(seen.page.headers.get('cache-control')).toBe('private, no-store');
    expect(seen.twin.status).toBe(200);
    expect(seen.twin.headers.get('cache-control')).toBe('private, no-store');
    expect(seen.mcpPage.text).toContain(CANARY);
    expect(seen.home.text).toContain(`href="${CANARY_PAGE}"`);
    // Public documents stay public: llms*.txt never hold it, whoever asks.
    expect(seen.llmsFull.text).not.toContain(CANARY);
    // Signed out again: gone from every surface.
    expect((await who.request('/api/reader/session', { method: 'DELETE' })).status).toBe(200);
    expect((await who.request(CANARY_PAGE)).status).toBe(404);
  });

  it("a share link shows each viewer only what the viewer may see: the staff reader's answer is withheld from others", async () => {
    const sharer = reader();
    await signIn(sharer, ['staff']);
    const thread = JSON.parse((await sharer.request('/api/paste-assistant-thread', { json: {} })).text) as { id: string };
    const sent = await sharer.request('/api/paste-assistant-message', { json: { threadId: thread.id, message: 'How is the signature of each Discord interaction request verified with the public key?' } });
    expect(sent.status, sent.text).toBe(200);
    const shared = await sharer.request(`/api/paste-assistant-thread/${thread.id}/share`, { json: {} });
    expect(shared.status, shared.text).toBe(201);
    const link = new URL((JSON.parse(shared.text) as { url: string }).url).pathname;
    const byStaff = await sharer.request(link);
    expect(byStaff.status).toBe(200);
    expect(byStaff.text).toContain(CANARY_PAGE);
    for (const audiences of [null, ['partners']]) {
      const viewer = reader();
      if (audiences) await signIn(viewer, audiences);
      const seen = await viewer.request(link);
      expect(seen.status).toBe(200);
      expect(seen.text).toContain('Discord interaction request');
      expect(seen.text).not.toContain(CANARY);
      expect(seen.text).not.toContain(CANARY_PAGE);
    }
  });

  it('refuses forged, expired and unsigned tokens with 401', async () => {
    const who = reader();
    const tokens = [
      await signReaderToken({ secret: 'a-forger-does-not-know-the-secret-0123456789' }),
      await signReaderToken({ seconds: -60 }),
      unsignedReaderToken(),
      'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln',
    ];
    for (const token of tokens) {
      const response = await who.request('/api/reader/session', { json: { token } });
      expect(response.status, token).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await who.request(CANARY_PAGE)).status).toBe(404);
  });

  it('/api/health says which identity modes are on, and no secret', async () => {
    const health = await reader().request('/api/health');
    expect(JSON.parse(health.text).identity).toEqual({ readerToken: 'hs256', readerTokenChecks: { issuer: false, audience: false }, audienceRules: 1, signIn: 'off' });
    expect(JSON.parse(health.text).handoff).toEqual({ channels: [] });
    expect(health.text).not.toContain(READER_TOKEN_SECRET);
  });
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { READER_TOKEN_SECRET, signReaderToken, unsignedReaderToken } from '../helpers/reader-tokens';

// Issue 57's check on `next start`: a canary page of one audience (DOCS_AUDIENCES='staff=guides/discord.mdx' over the
// build's docs, canary word Ed25519, which only that page has). A reader who is signed out, and a reader whose token
// grants another audience, never meet it on any surface — search, the assistant's answer, the page, its `.md` twin,
// llms.txt, llms-full.txt, MCP (search_docs, get_page, the resources) — and cannot learn that it exists (each answers
// as for a missing page); a reader whose host-signed token grants `staff` finds it, is answered from it and reads the
// page (and llms*.txt list it). Forged and expired tokens are 401s. A share link of the staff reader's conversation
// shows the others the question, not the answer drawn from the page. examples/reader-token.mjs, run as the
// private-docs guide says, asks as a staff reader and prints the canary page among its sources; run signed out, it does not.

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
  return {
    request,
    get cookie() {
      return cookie;
    },
    /** A cookie from elsewhere (planted by someone else) in this browser's jar. */
    plant(value: string) {
      cookie = value;
    },
  };
}

type TReader = ReturnType<typeof reader>;

/** examples/reader-token.mjs against this server, as the private-docs guide runs it. */
async function runExample(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../examples/reader-token.mjs'), ...args], {
    env: { ...process.env, READER_TOKEN_SECRET: '', PASTE_URL: server.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

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
    // llms*.txt are the reader's as every other surface is (issue 67, 3.6): theirs hold it, never from a shared cache.
    expect(seen.llms.text).toContain(`${CANARY_PAGE}.md`);
    expect(seen.llmsFull.text).toContain(CANARY);
    expect(seen.llmsFull.headers.get('cache-control')).toBe('private, no-store');
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

  it('examples/reader-token.mjs signs in, keeps the session and asks as that reader: the private page is among the answer’s sources, and not signed out', { timeout: 120_000 }, async () => {
    const question = 'How is the signature of each Discord interaction request verified with the public key?';
    const staff = await runExample(['--question', question, 'alice', 'staff'], { READER_TOKEN_SECRET });
    expect(staff.code, staff.stderr).toBe(0);
    expect(staff.stdout).toMatch(/^200 \{.*"subject":"alice".*"audiences":\["staff"\]/);
    expect(staff.stdout).toContain('run: completed');
    const staffSources = staff.stdout.slice(staff.stdout.indexOf('\nsources:'));
    expect(staffSources.split('\n').some((line) => line.startsWith('- ') && line.includes(`: ${server.url}${CANARY_PAGE}#`)), staffSources).toBe(true);

    const signedOut = await runExample(['--signed-out', '--question', question], {});
    expect(signedOut.code, signedOut.stderr).toBe(0);
    expect(signedOut.stdout).toContain('run: completed');
    expect(signedOut.stdout.slice(signedOut.stdout.indexOf('\nsources:'))).toMatch(/^- /m);
    expect(signedOut.stdout).not.toContain(CANARY_PAGE);
    expect(signedOut.stdout).not.toContain(CANARY);
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

  it('moves a reader who signs in to a new session: a cookie planted before is a signed-out reader, and the conversation goes with the reader (issue 67)', async () => {
    const attacker = reader();
    await attacker.request('/api/reader/status');
    const victim = reader();
    victim.plant(attacker.cookie);
    const thread = JSON.parse((await victim.request('/api/paste-assistant-thread', { json: {} })).text) as { id: string };
    await signIn(victim, ['staff']);
    expect(victim.cookie).not.toBe(attacker.cookie);
    expect(JSON.parse((await victim.request('/api/reader/status')).text).reader).toMatchObject({ subject: 'reader-1', audiences: ['staff'] });
    expect(JSON.parse((await attacker.request('/api/reader/status')).text).reader).toBeNull();
    expect((await attacker.request(CANARY_PAGE)).status).toBe(404);
    expect((await victim.request(CANARY_PAGE)).status).toBe(200);
    expect((await attacker.request(`/api/paste-assistant-thread/${thread.id}`)).status).toBe(404);
    expect((await victim.request(`/api/paste-assistant-thread/${thread.id}`)).status).toBe(200);
  });

  it('signs out on a new session: the signed-in cookie, copied, holds nothing; the token is refused from then on (issue 67)', async () => {
    const who = reader();
    const token = await signReaderToken({ sub: 'leaving', audiences: ['staff'] });
    expect((await who.request('/api/reader/session', { json: { token } })).status).toBe(200);
    const copied = reader();
    copied.plant(who.cookie);
    expect((await copied.request(CANARY_PAGE)).status).toBe(200);
    const out = await who.request('/api/reader/session', { method: 'DELETE' });
    expect(JSON.parse(out.text)).toEqual({ deleted: true });
    expect(who.cookie).not.toBe(copied.cookie);
    expect((await copied.request(CANARY_PAGE)).status).toBe(404);
    expect(JSON.parse((await copied.request('/api/reader/status')).text).reader).toBeNull();
    const again = await who.request('/api/reader/session', { json: { token } });
    expect(again.status).toBe(401);
    expect(JSON.parse(again.text).error.message).toMatch(/signed out/);
    expect((await who.request(CANARY_PAGE)).status).toBe(404);
  });

  it('refuses an iat over a minute ahead and more than 50 audiences; a NUL in a signed subject is a 400, never a 5xx (issue 67)', async () => {
    const who = reader();
    const cases = [
      { token: await signReaderToken({ issuedInSeconds: 10 * 60 }), status: 401, message: /iat/ },
      { token: await signReaderToken({ audiences: Array.from({ length: 51 }, (_, index) => `team-${index}`) }), status: 401, message: /50 audiences/ },
      { token: await signReaderToken({ sub: 'reader\u0000-1' }), status: 400, message: /subject/ },
    ];
    for (const { token, status, message } of cases) {
      const response = await who.request('/api/reader/session', { json: { token } });
      expect(response.status, response.text).toBe(status);
      expect(JSON.parse(response.text).error.message).toMatch(message);
    }
    const nulAudience = await who.request('/api/reader/session', { json: { token: await signReaderToken({ audiences: ['staff', 'sta\u0000ff'] }) } });
    expect(nulAudience.status, nulAudience.text).toBe(200);
    expect(JSON.parse(nulAudience.text).audiences).toEqual(['staff']);
  });

  it('/api/health says which identity modes are on, and no secret', async () => {
    const health = await reader().request('/api/health');
    expect(JSON.parse(health.text).identity).toEqual({ readerToken: 'hs256', readerTokenChecks: { issuer: false, audience: false }, audienceRules: 1, signIn: 'off' });
    expect(JSON.parse(health.text).handoff).toEqual({ channels: [] });
    expect(health.text).not.toContain(READER_TOKEN_SECRET);
  });
});

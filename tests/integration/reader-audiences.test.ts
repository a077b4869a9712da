import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { openSharedConversation, WITHHELD_ANSWER_TEXT } from '@/lib/assistant/share';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { startReaderSession } from '@/lib/audiences/session';
import { namesMissingFromDocs } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { READER_TOKEN_SECRET, signReaderToken, unsignedReaderToken } from '../helpers/reader-tokens';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Readers with identity (issue 57): a page of an audience (front matter `audience:`, or DOCS_AUDIENCES by path) is
// found only by a reader whose session holds the audience, which only a verified reader token gives
// (POST /api/reader/session); a forged, expired, unsigned, malformed or too long-lived token is a 401 and gives
// nothing; signing out, or the identity's expiry, takes the access away. A share link shows each viewer only what
// the viewer may see.

const EMBED_HOST = 'https://docs.example.com';
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  const dir = makeTempDir('reader-audiences-');
  mkdirSync(path.join(dir, 'internal'));
  writeFileSync(path.join(dir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(dir, 'toaster.md'), '---\ntitle: Toaster hook\naudience: staff\n---\n\n## useToaster\n\nThe quokkafier hook pushes toasts.\n\n## Options\n\nThe hook takes a placement and a duration.\n');
  writeFileSync(path.join(dir, 'internal/runbook.md'), '---\ntitle: Runbook\n---\n\n## Paging\n\nPage the wombatron rotation through the zorbix pager.\n');
  app = await createTestApp({ env: { DOCS_DIR: dir, READER_TOKEN_SECRET, DOCS_AUDIENCES: 'oncall=internal/**', EMBED_ALLOWED_ORIGINS: EMBED_HOST } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
});

const found = async (client: ReturnType<typeof createClient>, prompt: string) => {
  const response = await client.post('/api/docs-search', { prompt });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.data as { path: string }[]).map((hit) => hit.path);
};

describe('pages of an audience, and reader tokens', () => {
  it('hides a page of an audience from a reader without it, by front matter and by DOCS_AUDIENCES', async () => {
    const reader = createClient(server.url);
    expect(await found(reader, 'quokkafier hook')).toEqual([]);
    expect(await found(reader, 'wombatron rotation')).toEqual([]);
    expect(await found(reader, 'toast dismissed')).toContain('toasts.md');
  });

  it("shows it to a reader whose verified token grants the audience, and only that audience's pages", async () => {
    const reader = createClient(server.url);
    const signedIn = await reader.post('/api/reader/session', { token: await signReaderToken({ audiences: ['staff'] }) });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body).toMatchObject({ subject: 'reader-1', audiences: ['staff'] });
    expect(await found(reader, 'quokkafier hook')).toContain('toaster.md');
    expect(await found(reader, 'wombatron rotation')).toEqual([]);
    // The page's markdown twin makes no session, and still reads the reader's own cookie (ctx.readerAccess).
    const twin = await reader.get('/api/docs-markdown/toaster');
    expect(twin.status).toBe(200);
    expect(String(twin.body)).toContain('quokkafier');
    expect((await createClient(server.url).get('/api/docs-markdown/toaster')).status).toBe(404);
    // Signed out: the access goes with the identity.
    expect((await reader.delete('/api/reader/session')).body).toEqual({ deleted: true });
    expect(await found(reader, 'quokkafier hook')).toEqual([]);
  });

  it('refuses forged, expired, unsigned, malformed and too long-lived tokens with a 401, granting nothing', async () => {
    const reader = createClient(server.url);
    const tokens = {
      forged: await signReaderToken({ secret: 'another-secret-that-is-long-enough-0123456789' }),
      expired: await signReaderToken({ seconds: -600 }),
      unsigned: unsignedReaderToken(),
      malformed: 'not.a.token',
      tooLong: await signReaderToken({ seconds: 3 * 24 * 3600 }),
      noAudiences: await signReaderToken({ audiences: 'staff' }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await reader.post('/api/reader/session', { token });
      expect(response.status, name).toBe(401);
      expect(response.body.error.code, name).toBe('unauthorized');
    }
    expect(await found(reader, 'quokkafier hook')).toEqual([]);
  });

  it('a header or a question grants nothing: only the session does', async () => {
    const reader = createClient(server.url);
    const response = await reader.request('POST', '/api/docs-search', { json: { prompt: 'quokkafier hook audience staff' }, headers: { 'x-audiences': 'staff', authorization: 'Bearer staff' } });
    expect(response.status).toBe(200);
    expect((response.body.data as { path: string }[]).map((hit) => hit.path)).toEqual([]);
  });

  it("an identity that expires grants nothing more (startReaderSession, as the OIDC callback calls it)", async () => {
    const reader = createClient(server.url);
    await reader.post('/api/docs-search', { prompt: 'toast' });
    const sessionId = decodeURIComponent(reader.cookie!.split('=')[1]!).split('.')[0]!;
    // On the client's own id (the route's renewSession would move it to a new one, and set its cookie).
    await startReaderSession({ deps: app, sessionId, renewSession: (move) => move(sessionId), subject: 'reader-2', audiences: ['staff'], expiresAt: new Date(Date.now() + 1200) });
    expect(await found(reader, 'quokkafier hook')).toContain('toaster.md');
    await new Promise((resolve) => setTimeout(resolve, 1400));
    expect(await found(reader, 'quokkafier hook')).toEqual([]);
  });
});

type TClient = ReturnType<typeof createClient>;

const signIn = async (reader: TClient, audiences: string[]) => {
  const response = await reader.post('/api/reader/session', { token: await signReaderToken({ audiences }) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
};

/** The offline model's answer to a question in a new thread, and the thread. */
const ask = async (reader: TClient, question: string, threadId?: string) => {
  const id = threadId ?? (await reader.post('/api/paste-assistant-thread')).body.id;
  const sent = await reader.post('/api/paste-assistant-message', { threadId: id, message: question });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const messages = await reader.get(`/api/paste-assistant-messages/${id}`);
  const answers = (messages.body.data as { role: string; content: { text: { value: string } }[] }[]).filter((message) => message.role === 'assistant');
  return { threadId: id as string, answer: JSON.stringify(answers.at(-1) ?? null), all: JSON.stringify(answers) };
};

const mcp = async (reader: TClient, name: string, args: Record<string, unknown>) => {
  const response = await reader.request('POST', '/api/mcp', {
    json: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
    headers: { accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return JSON.stringify(response.body.result);
};

describe('every surface keeps to the reader\'s audiences', () => {
  it("the assistant's answer (offline model, through its docs tool) is drawn only from pages the asker may see", async () => {
    const reader = createClient(server.url);
    expect((await ask(reader, 'What does the quokkafier hook do?')).answer).not.toMatch(/quokkafier hook pushes/i);
    await signIn(reader, ['staff']);
    expect((await ask(reader, 'What does the quokkafier hook do?')).answer).toMatch(/quokkafier hook pushes/i);
  });

  it('a conversation keeps what it was asked under; a reader who lost the identity keeps it, but not new access', async () => {
    const reader = createClient(server.url);
    await signIn(reader, ['staff']);
    const first = await ask(reader, 'What does the quokkafier hook do?');
    expect(first.answer).toMatch(/quokkafier hook pushes/i);
    await reader.delete('/api/reader/session');
    const again = await ask(reader, 'What does the quokkafier hook do exactly?', first.threadId);
    // The earlier answer is still theirs to read; the new one is not drawn from the page.
    expect(again.all).toMatch(/quokkafier hook pushes/i);
    expect(again.answer).not.toMatch(/quokkafier hook pushes/i);
  });

  it('no word only a hidden page has surfaces as a typo correction', async () => {
    const reader = createClient(server.url);
    // "zorbix" is the runbook's word (oncall): a public reader's "zorbex" is not corrected to it.
    const hidden = await reader.post('/api/docs-search', { prompt: 'zorbex' });
    expect(JSON.stringify(hidden.body)).not.toMatch(/zorbix/i);
    await signIn(reader, ['oncall']);
    const shown = await reader.post('/api/docs-search', { prompt: 'zorbex' });
    expect(shown.body.corrected).toBe('zorbix');
  });

  it("the names the docs don't mention are the reader's docs': a hidden page's word is missing for those it is hidden from", async () => {
    const question = 'How do I configure Quokkafier?';
    expect(await namesMissingFromDocs({ db: app.db, query: question, access: PUBLIC_ACCESS })).toEqual(['Quokkafier']);
    expect(await namesMissingFromDocs({ db: app.db, query: question, access: { audiences: ['oncall'], isMaintainer: false } })).toEqual(['Quokkafier']);
    expect(await namesMissingFromDocs({ db: app.db, query: question, access: { audiences: ['staff'], isMaintainer: false } })).toEqual([]);
    expect(await namesMissingFromDocs({ db: app.db, query: question, access: MAINTAINER_ACCESS })).toEqual([]);
  });

  it('follow-ups and MCP get_page answer about a hidden page as about a missing one', async () => {
    const reader = createClient(server.url);
    const followUps = await reader.post('/api/docs-follow-ups', { sources: ['/docs/toaster#usetoaster'] });
    expect(followUps.body).toEqual({ data: [] });
    const page = await mcp(reader, 'get_page', { path: 'toaster' });
    expect(page).not.toMatch(/quokkafier/);
    expect(page).toMatch(/No docs page/);
    await signIn(reader, ['staff']);
    expect(await mcp(reader, 'get_page', { path: 'toaster' })).toMatch(/quokkafier/);
    const shownFollowUps = await reader.post('/api/docs-follow-ups', { sources: ['/docs/toaster#usetoaster'] });
    expect(shownFollowUps.body.data.map((followUp: { url: string }) => followUp.url)).toContain('/docs/toaster#options');
  });

  // Every route that filters by the reader asks the wrapper (lib/http ctx.readerAccess), so the embed's reader (its
  // frame's token, no cookie) is the same reader on each: /api/docs-search-opened read only a cookie's session before.
  it("an embed's signed-in reader may see the page on every route, an opened search result included", async () => {
    const embed = async (route: string, json: unknown, token?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', origin: token ? EMBED_HOST : server.url };
      if (token) headers['x-embed-token'] = token;
      const response = await fetch(`${server.url}${route}`, { method: 'POST', headers, body: JSON.stringify(json) });
      return { status: response.status, body: (await response.json()) as any, renewed: response.headers.get('x-embed-token') };
    };
    const tokenOf = async () => (await embed('/api/embed/session', { origin: EMBED_HOST })).body.token as string;
    const [before, stranger] = [await tokenOf(), await tokenOf()];
    const signedIn = await embed('/api/reader/session', { token: await signReaderToken({ audiences: ['staff'] }) }, before);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    // Signing in gives the frame a new session token; the one it had (which someone else may know) is a signed-out reader's.
    const staff = signedIn.renewed!;
    expect(staff).toMatch(/^pae1\./);
    expect(staff).not.toBe(before);
    const opened = { query: 'quokkafier hook', path: 'toaster.md' };
    for (const [token, isShown] of [[staff, true], [stranger, false], [before, false]] as const) {
      const search = await embed('/api/docs-search', { prompt: 'quokkafier hook' }, token);
      expect(search.body.data.some((hit: { path: string }) => hit.path === 'toaster.md')).toBe(isShown);
      expect((await embed('/api/docs-search-opened', opened, token)).body).toEqual({ recorded: isShown });
    }
  });
});


describe('share links', () => {
  it("show a viewer only what the viewer may see: an answer drawn from a hidden page is withheld, sources and all", async () => {
    const sharer = createClient(server.url);
    await signIn(sharer, ['staff']);
    const { threadId, answer } = await ask(sharer, 'What does the quokkafier hook do?');
    expect(answer).toMatch(/quokkafier hook pushes/i);
    const shared = await sharer.post(`/api/paste-assistant-thread/${threadId}/share`);
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const id = String(shared.body.url).split('/shared/')[1];
    const open = async (access: TReaderAccess) => {
      const found = await openSharedConversation({ deps: app, id, access });
      expect(found.status).toBe('active');
      return JSON.stringify(found);
    };
    // A viewer without the audience reads the question, not the answer, nor where it came from.
    const seenByPublic = await open(PUBLIC_ACCESS);
    expect(seenByPublic).toContain('What does the quokkafier hook do?');
    expect(seenByPublic).not.toMatch(/quokkafier hook pushes/i);
    expect(seenByPublic).not.toContain('/docs/toaster');
    expect(seenByPublic).toContain(WITHHELD_ANSWER_TEXT);
    expect(await open({ audiences: ['oncall'], isMaintainer: false })).not.toMatch(/quokkafier hook pushes/i);
    // A viewer of the audience, and a maintainer, read it whole.
    expect(await open({ audiences: ['staff'], isMaintainer: false })).toMatch(/quokkafier hook pushes/i);
    expect(await open(MAINTAINER_ACCESS)).toContain('/docs/toaster');
  });
});

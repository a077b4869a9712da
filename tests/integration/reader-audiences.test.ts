import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { startReaderSession } from '@/lib/audiences/session';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { READER_TOKEN_SECRET, signReaderToken, unsignedReaderToken } from '../helpers/reader-tokens';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Readers with identity (issue 57): a page of an audience (front matter `audience:`, or DOCS_AUDIENCES by path) is
// found only by a reader whose session holds the audience, which only a verified reader token gives
// (POST /api/reader/session); a forged, expired, unsigned, malformed or too long-lived token is a 401 and gives
// nothing; signing out, or the identity's expiry, takes the access away.

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  const dir = makeTempDir('reader-audiences-');
  mkdirSync(path.join(dir, 'internal'));
  writeFileSync(path.join(dir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(dir, 'toaster.md'), '---\ntitle: Toaster hook\naudience: staff\n---\n\n## useToaster\n\nThe quokkafier hook pushes toasts.\n');
  writeFileSync(path.join(dir, 'internal/runbook.md'), '---\ntitle: Runbook\n---\n\n## Paging\n\nPage the wombatron rotation.\n');
  app = await createTestApp({ env: { DOCS_DIR: dir, READER_TOKEN_SECRET, DOCS_AUDIENCES: 'oncall=internal/**' } });
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
    await startReaderSession({ deps: app, sessionId, subject: 'reader-2', audiences: ['staff'], expiresAt: new Date(Date.now() + 1200) });
    expect(await found(reader, 'quokkafier hook')).toContain('toaster.md');
    await new Promise((resolve) => setTimeout(resolve, 1400));
    expect(await found(reader, 'quokkafier hook')).toEqual([]);
  });
});

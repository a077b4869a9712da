import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDb } from '@/lib/db/types';
import { isAppError } from '@/lib/errors';
import { acceptReindexHook, isReindexToken } from '@/lib/docs/sources/reindex-hook';
import type { TDocsReindexer } from '@/lib/docs/sources/reindex';
import { createTestDb } from '../helpers/pglite-template';

// The deploy hook's rules on a real database (the rate limits are counted in SQL): off without a token (404), a
// missing or wrong token refused (401) before anything starts, wrong tokens limited per address and calls with the
// right one for the site (429 with Retry-After), wrong tokens costing the right one nothing, and an accepted call
// starts the re-index and names its sources.

const TOKEN = 'a-reindex-token-0123456789';
let db: TDb;
let started = 0;
const reindexer: TDocsReindexer = {
  start: () => {
    started += 1;
    return ['folder', 'openapi'];
  },
  idle: async () => {},
};

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, headers: error.headers };
    throw error;
  }
  throw new Error('the hook accepted the call');
}

describe('the re-index hook', () => {
  it('is off without DOCS_REINDEX_TOKEN (404), whatever the call carries', async () => {
    expect(await refusal(acceptReindexHook({ deps: { db, reindexToken: null, reindexer }, authorization: `Bearer ${TOKEN}`, ip: '192.0.2.1' }))).toMatchObject({ code: 'not_found' });
  });

  it('refuses a missing, wrong or malformed token (401) and starts nothing', async () => {
    for (const authorization of [undefined, '', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`]) {
      expect(await refusal(acceptReindexHook({ deps: { db, reindexToken: TOKEN, reindexer }, authorization, ip: '192.0.2.2' }))).toMatchObject({
        code: 'unauthorized',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    expect(started).toBe(0);
    expect(isReindexToken(TOKEN, TOKEN)).toBe(true);
    expect(isReindexToken(TOKEN, `${TOKEN.slice(0, -1)}X`)).toBe(false);
  });

  it('accepts its token (either case of Bearer), starts the re-index, and names the sources', async () => {
    expect(await acceptReindexHook({ deps: { db, reindexToken: TOKEN, reindexer }, authorization: `bearer ${TOKEN}`, ip: '192.0.2.3' })).toEqual({ accepted: true, sources: ['folder', 'openapi'] });
    expect(started).toBe(1);
  });

  it('limits the calls for the site (429 with Retry-After), and wrong tokens per address', async () => {
    const outcomes: string[] = [];
    for (let call = 0; call < 8; call += 1) {
      outcomes.push(
        await acceptReindexHook({ deps: { db, reindexToken: TOKEN, reindexer }, authorization: `Bearer ${TOKEN}`, ip: `198.51.100.${call}` }).then(
          () => 'accepted',
          (error: unknown) => (isAppError(error) ? `${error.code} ${error.headers?.['Retry-After'] ? 'retry-after' : ''}`.trim() : 'thrown'),
        ),
      );
    }
    // Six a minute for the site, the one accepted before included.
    expect(outcomes).toEqual([...Array(5).fill('accepted'), 'rate_limited retry-after', 'rate_limited retry-after', 'rate_limited retry-after']);
    const guesses: string[] = [];
    for (let call = 0; call < 12; call += 1) {
      guesses.push((await refusal(acceptReindexHook({ deps: { db, reindexToken: TOKEN, reindexer }, authorization: `Bearer guess-${call}`, ip: '203.0.113.9' }))).code);
    }
    expect(guesses).toEqual([...Array(10).fill('unauthorized'), 'rate_limited', 'rate_limited']);
  });

  it("costs the right token nothing when wrong ones were sent from its address (no 429 for the deploy hook)", async () => {
    const own = await createTestDb();
    try {
      const call = (authorization: string) =>
        acceptReindexHook({ deps: { db: own, reindexToken: TOKEN, reindexer }, authorization, ip: '192.0.2.77' }).then(
          () => 'accepted',
          (error: unknown) => (isAppError(error) ? error.code : 'thrown'),
        );
      const guesses: string[] = [];
      for (let index = 0; index < 12; index += 1) guesses.push(await call(`Bearer guess-${index}`));
      expect(guesses).toEqual([...Array(10).fill('unauthorized'), 'rate_limited', 'rate_limited']);
      expect(await call(`Bearer ${TOKEN}`)).toBe('accepted');
      // Still limited for the guesser after the right token went through.
      expect(await call('Bearer guess-again')).toBe('rate_limited');
    } finally {
      await own.close();
    }
  });
});

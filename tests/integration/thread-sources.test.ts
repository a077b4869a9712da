import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { DOOR_THREAD_SOURCES } from '@/lib/chat-doors/doors';
import { setThreadSources } from '@/lib/db/thread-sources';
import { createTestApp } from '../helpers/app';
import { querySql } from '../helpers/stores';

// Where a conversation came from (pa_thread_source, supabase/schemas/10_threads.sql) is read from the owner
// prefixes the app writes at start from the doors' registry: the SQL names no door, so a new door is a source the
// maintainers see without an SQL edit.

let app: TApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.db.close();
});

const sourceOf = async (owner: string, metadata: object = {}) =>
  (await querySql<{ source: string }>(app.db, 'select pa_thread_source($1, $2::jsonb) as source', [owner, JSON.stringify(metadata)])).rows[0]?.source;

describe('thread sources', () => {
  it('the start writes every door of the registry, and each door names its conversations', async () => {
    const rows = (await querySql<{ prefix: string; source: string }>(app.db, 'select prefix, source from thread_source order by prefix')).rows;
    expect(rows).toEqual(DOOR_THREAD_SOURCES.map(({ prefix, source }) => ({ prefix, source })).sort((a, b) => a.prefix.localeCompare(b.prefix)));
    expect(DOOR_THREAD_SOURCES.map(({ source }) => source).sort()).toEqual(['discord', 'slack']);
    expect(await sourceOf('slack:T1')).toBe('slack');
    expect(await sourceOf('discord:G1')).toBe('discord');
  });

  it("the app's own sources stay: the API, MCP and the site", async () => {
    expect(await sourceOf('apikey:key_1')).toBe('api');
    expect(await sourceOf('session_1', { source: 'mcp' })).toBe('mcp');
    expect(await sourceOf('session_1')).toBe('site');
    // A reader's metadata names no door: only the owner does.
    expect(await sourceOf('session_1', { source: 'slack' })).toBe('site');
  });

  it('a door the registry adds is a source at once, with no SQL naming it', async () => {
    expect(await sourceOf('teams:T9')).toBe('site');
    await setThreadSources({ db: app.db, sources: [{ prefix: 'teams:', source: 'teams' }] });
    expect(await sourceOf('teams:T9')).toBe('teams');
    // Written again (the next start): the same rows, none removed.
    await setThreadSources({ db: app.db, sources: [{ prefix: 'teams:', source: 'teams' }] });
    expect(await sourceOf('teams:T9')).toBe('teams');
    expect(await sourceOf('slack:T1')).toBe('slack');
  });
});

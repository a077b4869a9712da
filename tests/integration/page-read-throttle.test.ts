import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { PAGE_READS_PER_HOUR } from '@/lib/docs/site/page-read-throttle';
import { recordPageRead } from '@/lib/docs/site/page-reads';
import { createTestApp } from '../helpers/app';
import { querySql } from '../helpers/stores';

// The page-read counter's throttle on the real SQL (PGlite): one read per page per address in 30 minutes, a cap
// per address an hour, and no address or page in what the limits store.

let app: TApp | undefined;
afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

const READER = '198.51.100.7';
const OTHER = '198.51.100.8';

async function readsOf(current: TApp, path: string): Promise<number> {
  const rows = (await querySql<{ reads: string }>(current.db, 'select reads::text from docs_page_read where path = $1', [path])).rows;
  return Number(rows[0]?.reads ?? 0);
}

describe('the page-read throttle', () => {
  it('counts a page once per address in 30 minutes, caps an address an hour, and stores neither address nor page in its keys', async () => {
    app = await createTestApp();
    const current = app;
    const read = (path: string, clientIp: string) => recordPageRead({ deps: current, path, clientIp });

    expect(await read('/docs/guides/slack', READER)).toEqual({ recorded: true });
    // Reloads, a trailing slash, an encoded twin: the same page from the same address.
    expect(await read('/docs/guides/slack', READER)).toEqual({ recorded: false });
    expect(await read('/docs/guides/slack/', READER)).toEqual({ recorded: false });
    expect(await read('/docs/guides/%73lack', READER)).toEqual({ recorded: false });
    // Another address, another page: counted.
    expect(await read('/docs/guides/slack', OTHER)).toEqual({ recorded: true });
    expect(await read('/docs/guides/buttons', READER)).toEqual({ recorded: true });
    expect(await readsOf(current, '/docs/guides/slack')).toBe(2);

    const keys = (await querySql<{ key: string }>(current.db, `select key from pa_rate_bucket where key like 'read:%'`)).rows.map((row) => row.key);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(key).not.toMatch(/198\.51|guides|slack|docs/);

    // Half an hour later the page counts again from the same address.
    await querySql(current.db, `update pa_rate_bucket set updated_at = updated_at - interval '31 minutes' where key like 'read:%'`);
    expect(await read('/docs/guides/slack', READER)).toEqual({ recorded: true });
    expect(await readsOf(current, '/docs/guides/slack')).toBe(3);

    // A script walking pages from one address: past the hourly cap nothing more counts from it, and others still do.
    const script = '203.0.113.9';
    let counted = 0;
    for (let index = 0; index < PAGE_READS_PER_HOUR; index++) if ((await read(`/docs/no-such-page-${index}`, script)).recorded === false) counted++;
    expect(counted).toBe(PAGE_READS_PER_HOUR);
    expect(await read('/docs/guides/buttons', script)).toEqual({ recorded: false });
    expect(await readsOf(current, '/docs/guides/buttons')).toBe(1);
    expect(await read('/docs/guides/buttons', OTHER)).toEqual({ recorded: true });
    expect(await readsOf(current, '/docs/guides/buttons')).toBe(2);
  });
});

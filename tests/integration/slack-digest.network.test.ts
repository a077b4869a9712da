import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { createFakeSlack, SLACK_CHANNEL, SLACK_ENV, SLACK_FAILURES, type TFakeSlack } from '../helpers/slack';
import { createPostgresTestDatabase, querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The weekly Slack digest (SLACK_DIGEST=weekly): posted by the background loop, once per week across instances
// (a lease in the database), with the period's counts and top unanswered questions. Slack is faked with msw.

const OWNER = 'owner_digest_aaaaaaaaaa';
const GAP = 'xyzzy plugh frobnicate';
const msw = setupServer();
let slack: TFakeSlack;
const apps: TApp[] = [];

beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  msw.resetHandlers();
  for (const app of apps.splice(0)) await app.db.close();
});
afterAll(() => msw.close());

const DIGEST_ENV = { ...SLACK_ENV, SLACK_DIGEST: 'weekly', SLACK_DIGEST_CHECK_SECONDS: '1' };

async function start(env: Record<string, string>, isStarted = false, store: 'pglite' | 'postgres' = 'pglite') {
  const app = await createTestApp({ env, store, isStarted, overrides: { reviewChannelOptions: { isAutoDelivering: false } } });
  apps.push(app);
  return app;
}

const digests = () => slack.delivered().filter((call) => call.method === 'chat.postMessage' && call.threadTs === null && call.text?.includes("this week's gaps"));

async function askGap(app: TApp, text = GAP) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER });
  await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, threadId: thread.id, text });
  return thread.id;
}

describe('weekly Slack digest', () => {
  it('is posted by the background loop with the counts and the top unanswered questions, then not again that week', async () => {
    slack = createFakeSlack();
    msw.use(slack.handler);
    const app = await start(DIGEST_ENV, false);
    await askGap(app);
    await askGap(app, 'frobnicate the xyzzy plugh?');
    app.digest!.start();
    await waitUntil(async () => digests().length === 1, 15_000);
    const [digest] = digests();
    expect(digest).toMatchObject({ channel: SLACK_CHANNEL, threadTs: null });
    expect(digest!.text).toContain('Questions *2*');
    expect(digest!.text).toContain('not covered by the docs *2*');
    expect(digest!.text).toMatch(/1\. “(xyzzy plugh frobnicate|frobnicate the xyzzy plugh\?)” — 2× \(2 not covered\) · <https:\/\/docs\.example\.com\/maintainers\/threads\/thread_\w+\?exp=\d+&amp;sig=[\w-]{43}\|transcript>/);
    expect(digest!.text).toMatch(/<https:\/\/docs\.example\.com\/maintainers\?exp=\d+&amp;sig=[\w-]{43}\|Open the dashboard>$/);
    // Not due again for a week.
    expect(await app.digest!.runOnce()).toBe(false);

    // A week later the next one covers the time since the last.
    await querySql(app.db, `update maintainer_digest set last_sent_at = last_sent_at - interval '8 days'`);
    expect(await app.digest!.runOnce()).toBe(true);
    expect(digests()).toHaveLength(2);
  });

  it('of two instances on one Postgres database, one sends it; a failed post is retried by another once the lease lapses', async () => {
    slack = createFakeSlack();
    msw.use(slack.handler);
    const url = await createPostgresTestDatabase();
    const a = await start({ ...DIGEST_ENV, DATABASE_URL: url }, false);
    const b = await start({ ...DIGEST_ENV, DATABASE_URL: url }, false);
    await askGap(a);

    slack.failNext(SLACK_FAILURES.http500);
    await expect(a.digest!.runOnce()).rejects.toThrow();
    // a holds the lease: b does not send meanwhile.
    expect(await b.digest!.runOnce()).toBe(false);
    await querySql(b.db, `update maintainer_digest set lease_until = now() - interval '1 second'`);

    const results = await Promise.all([a.digest!.runOnce(), b.digest!.runOnce(), a.digest!.runOnce(), b.digest!.runOnce()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(digests()).toHaveLength(1);
    expect(await a.digest!.runOnce()).toBe(false);
  });

  it('is off by default', async () => {
    const app = await start(SLACK_ENV, false);
    expect(app.digest).toBeNull();
  });
});

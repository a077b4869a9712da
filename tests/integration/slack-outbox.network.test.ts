import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller, updateThreadForCaller } from '@/lib/assistant/service';
import { setVoteForCaller } from '@/lib/assistant/votes';
import { claimSlackOutboxBatch, getSlackOutboxStats, setSlackOutboxEnabled } from '@/lib/db/slack-outbox';
import { listMessagesByThread } from '@/lib/db/messages';
import { createPgliteDb } from '@/lib/db/pglite';
import { getThreadById } from '@/lib/db/threads';
import { isMaintainerLinkValid } from '@/lib/maintainers/links';
import { loadTranscriptPage } from '@/lib/maintainers/page';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { seedDataDir } from '../helpers/pglite-template';
import { waitUntil } from '../helpers/models';
import { createFakeSlack, readOutbox, SITE_URL, SLACK_CHANNEL, SLACK_ENV, SLACK_FAILURES, SLACK_TOKEN, type TFakeSlack } from '../helpers/slack';
import { PUBLIC_ACCESS } from '@/lib/audiences';

const OWNER = 'owner_slack_aaaaaaaaaaaa';
const server = setupServer();
let slack: TFakeSlack;
const apps: TApp[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  server.resetHandlers();
  for (const app of apps.splice(0)) await app.db.close();
});
afterAll(() => server.close());

function useSlack() {
  slack = createFakeSlack();
  server.use(slack.handler);
  return slack;
}

type TSetup = { log?: pino.Logger; dataDir?: string; isAutoDelivering?: boolean; leaseSeconds?: number; pollMs?: number };

async function setup({ log, dataDir, isAutoDelivering = false, leaseSeconds, pollMs }: TSetup = {}) {
  const db = dataDir ? await createPgliteDb({ dataDir }) : undefined;
  const app = await createTestApp({
    env: SLACK_ENV,
    overrides: {
      ...(db ? { db } : {}),
      ...(log ? { log } : {}),
      reviewChannelOptions: { isAutoDelivering, backoffBaseMs: 20, backoffMaxMs: 80, ...(leaseSeconds ? { leaseSeconds } : {}), ...(pollMs ? { pollMs } : {}) },
    },
  });
  apps.push(app);
  return app;
}

/** Delivery rounds until nothing is pending (retries included), driven by the test rather than a timer. */
async function drain(app: TApp, timeoutMs = 10_000) {
  await waitUntil(async () => {
    await app.reviewChannel.deliverOutboxOnce();
    return (await getSlackOutboxStats({ db: app.db })).pending === 0;
  }, timeoutMs);
}

function captureLog() {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { log, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function askQuestion(app: TApp, text: string, title?: string) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER });
  const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER, threadId: thread.id, text });
  expect(run.status).toBe('completed');
  if (title) await updateThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER, threadId: thread.id, metadata: { threadTitle: title } });
  return thread;
}

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('Slack delivery through the outbox (msw for the Web API, real Postgres)', () => {
  it('announces a thread, replies in its Slack thread with the question and the sourced answer, and updates the parent with the title', async () => {
    useSlack();
    const app = await setup();
    const thread = await askQuestion(app, 'How do I create a Slack bot token?');
    expect(slack.calls).toHaveLength(0); // queued, not posted, until the worker runs
    await drain(app);
    // The client generates the title after the first answer; the parent message follows.
    await updateThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER, threadId: thread.id, metadata: { threadTitle: 'Creating a Slack bot token' } });
    await drain(app);

    const [parent, question, answer, update, ...rest] = slack.calls;
    expect(rest).toEqual([]);
    for (const call of slack.calls) {
      expect(call.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
      expect(call.channel).toBe(SLACK_CHANNEL);
      expect(call.params.parse).toBe('none');
      expect(call.params.link_names).toBe('false');
    }

    expect(parent?.method).toBe('chat.postMessage');
    expect(parent?.threadTs).toBeNull();
    expect(parent?.text).toContain(`\`${thread.id}\``);
    expect(parent?.text).toContain('*New thread*');
    const parentTs = parent?.outcome.ok ? parent.outcome.ts : '';
    expect((await getThreadById({ db: app.db, owner: OWNER, threadId: thread.id })).slack_thread_ts).toBe(parentTs);

    // The transcript link is signed for this thread, expires, and opens the transcript.
    const link = /<(https:\/\/docs\.example\.com\/maintainers\/threads\/[^|>]+)\|Open the transcript>/.exec(parent?.text ?? '')?.[1];
    expect(link).toBeDefined();
    const url = new URL(unescape(link!));
    expect(url.pathname).toBe(`/maintainers/threads/${thread.id}`);
    const query = Object.fromEntries(url.searchParams);
    expect(isMaintainerLinkValid({ secret: app.sessionSecret, scope: { type: 'transcript', threadId: thread.id }, exp: query.exp, sig: query.sig })).toBe(true);
    expect(Number(query.exp) * 1000).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const page = await loadTranscriptPage({ deps: app!, threadId: thread.id, query });
    expect('props' in page && page.props.transcript.thread.id).toBe(thread.id);

    expect(question).toMatchObject({ method: 'chat.postMessage', threadTs: parentTs });
    expect(question?.text).toContain('*Reader*');
    expect(question?.text).toContain('>How do I create a Slack bot token?');

    expect(answer).toMatchObject({ method: 'chat.postMessage', threadTs: parentTs });
    expect(answer?.text).toContain('*Assistant*');
    expect(answer?.text).toMatch(/\*Sources:\* <https:\/\/docs\.example\.com\/docs\/guides\/slack#[a-z-]+\|Slack notifications › [^>]+>/);
    expect(answer?.text).toContain('*Searched:* “How do I create a Slack bot token?”');
    // The answer's Markdown in Slack's formatting: the quoted section's name bold, no raw Markdown left.
    expect(answer?.text).toMatch(/\n>\*Slack notifications › [^*\n]+\*\n/);
    expect(answer?.text).not.toMatch(/\*\*|\]\(/);

    expect(update).toMatchObject({ method: 'chat.update', ts: parentTs });
    expect(update?.text).toContain('*Creating a Slack bot token*');
    expect(update?.text).toContain('Open the transcript');

    expect((await readOutbox(app.db)).map((row) => [row.kind, row.status])).toEqual([
      ['thread', 'delivered'],
      ['message', 'delivered'],
      ['answer', 'delivered'],
      ['thread_title', 'delivered'],
    ]);
  });

  it('shows hostile reader text as text: no mention, no disguised link, no broken entities', async () => {
    useSlack();
    const app = await setup();
    const hostile = '<!channel> urgent: <https://evil.example/login|Reset your password> & <@U0ADMIN> <#C0GENERAL|general> &amp;';
    await askQuestion(app, hostile, '<!here> <https://evil.example|Paste docs>');
    await drain(app);

    const question = slack.calls[1]?.text ?? '';
    expect(question).toContain('&lt;!channel&gt; urgent: &lt;https://evil.example/login|Reset your password&gt; &amp; &lt;@U0ADMIN&gt;');
    expect(question).toContain('&amp;amp;');
    const update = slack.calls.find((call) => call.method === 'chat.update')?.text ?? '';
    expect(update).toContain('*&lt;!here&gt; &lt;https://evil.example|Paste docs&gt;*');
    for (const call of slack.calls) {
      // The only "<" Slack sees open links we built: to the site, or showing their own address (an answer's
      // Markdown is converted, and a URL it quotes is a link that cannot pass for another).
      for (const match of (call.text ?? '').matchAll(/<([^>]*)>/g)) {
        const [href = '', label = ''] = [match[1]!.slice(0, match[1]!.indexOf('|')), match[1]!.slice(match[1]!.indexOf('|') + 1)];
        if (!href.startsWith('https://docs.example.com/')) expect(label.replace(/\|/g, '%7C')).toBe(href);
      }
      expect(call.text).not.toContain('<!');
      expect(call.text).not.toContain('<@');
    }
  });

  it('keeps delivering through Slack answering 500: every post once, in order per thread', async () => {
    useSlack();
    const app = await setup();
    const first = await askQuestion(app, 'How do I create a Slack bot token?');
    const second = await askQuestion(app, 'Which channel should the bot use?');
    const answers = await listMessagesByThread({ db: app.db, owner: OWNER, threadId: first.id, limit: 10, order: 'asc' });
    await setVoteForCaller({ deps: app!, owner: OWNER, threadId: first.id, messageId: answers.data[1]!.id, vote: 'up' });
    slack.failNext(SLACK_FAILURES.http500, SLACK_FAILURES.http500, SLACK_FAILURES.http500, SLACK_FAILURES.http500);

    await drain(app);
    expect(slack.calls.filter((call) => !call.outcome.ok)).toHaveLength(4);
    const delivered = slack.delivered();
    expect(delivered).toHaveLength(7);
    // Each post reached Slack exactly once.
    expect(new Set(delivered.map((call) => call.text)).size).toBe(7);

    const parentOf = (threadId: string) => delivered.find((call) => !call.threadTs && call.text?.includes(threadId));
    for (const [thread, expected] of [
      [first, ['parent', 'Reader', 'Assistant', 'thumbsup']],
      [second, ['parent', 'Reader', 'Assistant']],
    ] as const) {
      const parent = parentOf(thread.id);
      const ts = parent?.outcome.ok ? parent.outcome.ts : undefined;
      expect(ts).toBeDefined();
      const sequence = delivered.filter((call) => call === parent || call.threadTs === ts);
      expect(sequence.map((call) => (call === parent ? 'parent' : /Reader|Assistant|thumbsup/.exec(call.text ?? '')?.[0]))).toEqual(expected);
    }
    const rows = await readOutbox(app.db);
    expect(rows.every((row) => row.status === 'delivered')).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(7 + 4);
  });

  it('delivers after a restart what was queued before it, including a post claimed by a worker that died', async () => {
    useSlack();
    const dataDir = await seedDataDir(makeTempDir('paste-assistant-restart-'));
    const before = await setup({ dataDir, leaseSeconds: 1 });
    const thread = await askQuestion(before, 'How do I create a Slack bot token?');
    // A worker took the parent and died before posting it: its lease must lapse, not block the thread forever.
    const claimed = await claimSlackOutboxBatch({ db: before.db, worker: 'worker_dead', limit: 10, leaseSeconds: 1 });
    expect(claimed.map((row) => row.kind)).toEqual(['thread']);
    apps.splice(apps.indexOf(before), 1);
    await before.db.close();
    expect(slack.calls).toHaveLength(0);

    // The new process's own delivery loop (started by startApp) finds the queued posts.
    const after = await setup({ dataDir, isAutoDelivering: true, pollMs: 100 });
    await waitUntil(() => slack.delivered().length === 3, 10_000);
    const [parent, question, answer] = slack.delivered();
    const ts = parent?.outcome.ok ? parent.outcome.ts : '';
    expect(parent?.text).toContain(thread.id);
    expect(question?.threadTs).toBe(ts);
    expect(answer?.threadTs).toBe(ts);
    expect(answer?.text).toContain('*Assistant*');
    await waitUntil(async () => (await getSlackOutboxStats({ db: after.db })).delivered === 3);
  });

  it('waits as long as Retry-After says when Slack answers ratelimited, for every thread', async () => {
    useSlack();
    const app = await setup();
    await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER });
    await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER });
    slack.failNext(SLACK_FAILURES.rateLimited(1));

    const startedAt = Date.now();
    const round = await app.reviewChannel.deliverOutboxOnce();
    expect(round).toMatchObject({ claimed: 2, retried: 2, delivered: 0 });
    expect(slack.calls).toHaveLength(1); // the second thread was held back without a call
    const rows = await readOutbox(app.db);
    for (const row of rows) {
      expect(row.last_error).toBe('ratelimited');
      expect(row.next_attempt_at.getTime() - startedAt).toBeGreaterThanOrEqual(900);
    }

    expect(await app.reviewChannel.deliverOutboxOnce()).toMatchObject({ claimed: 0 });
    expect(slack.calls).toHaveLength(1);

    await drain(app);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(slack.delivered()).toHaveLength(2);
    expect((await readOutbox(app.db)).map((row) => row.status)).toEqual(['delivered', 'delivered']);
  });

  it('marks a post Slack rejects for good (channel_not_found) failed once, with the reason, and logs it without message text', async () => {
    useSlack();
    slack.failAlways(SLACK_FAILURES.platform('channel_not_found'));
    const captured = captureLog();
    const app = await setup({ log: captured.log });
    const secretQuestion = 'my account number is 4242-SECRET, how do I create a Slack bot token?';
    const thread = await askQuestion(app, secretQuestion);

    await drain(app);
    await app.reviewChannel.deliverOutboxOnce();
    const rows = await readOutbox(app.db);
    expect(rows.map((row) => [row.kind, row.status, row.last_error, row.attempts])).toEqual([
      ['thread', 'failed', 'channel_not_found', 1],
      ['message', 'failed', 'channel_not_found', 1],
      ['answer', 'failed', 'channel_not_found', 1],
    ]);
    // One call per post: the rejected parent, then each reply's attempt to announce the thread first.
    expect(slack.calls).toHaveLength(3);
    const failures = captured.entries().filter((entry) => entry.msg === 'slack post failed for good');
    expect(failures.map((entry) => [entry.kind, entry.reason, entry.threadId])).toEqual([
      ['thread', 'channel_not_found', thread.id],
      ['message', 'channel_not_found', thread.id],
      ['answer', 'channel_not_found', thread.id],
    ]);
    expect(captured.lines.join('\n')).not.toContain('4242-SECRET');
    expect(captured.lines.join('\n')).not.toContain(SLACK_TOKEN);
  });

  it('announces a thread created while Slack was off when its next message goes out', async () => {
    useSlack();
    const app = await setup();
    await setSlackOutboxEnabled({ db: app.db, isEnabled: false });
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER });
    expect(await readOutbox(app.db)).toEqual([]);
    await setSlackOutboxEnabled({ db: app.db, isEnabled: true });
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app!, owner: OWNER, threadId: thread.id, text: 'How do I create a Slack bot token?' });

    await drain(app);
    const [parent, question, answer] = slack.delivered();
    expect(parent?.threadTs).toBeNull();
    expect(parent?.text).toContain(thread.id);
    const ts = parent?.outcome.ok ? parent.outcome.ts : '';
    expect(question?.threadTs).toBe(ts);
    expect(answer?.threadTs).toBe(ts);
    expect((await getThreadById({ db: app.db, owner: OWNER, threadId: thread.id })).slack_thread_ts).toBe(ts);
    expect(slack.calls).toHaveLength(3);
    expect(SITE_URL).toBe('https://docs.example.com');
  });
});

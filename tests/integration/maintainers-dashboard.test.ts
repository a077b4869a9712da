import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { listMessagesByThread } from '@/lib/db/messages';
import { searchDocs } from '@/lib/docs/search/search';
import { getDashboardForMaintainers, resolveDashboardWindow } from '@/lib/maintainers/dashboard';
import { buildDashboardUrl } from '@/lib/maintainers/links';
import { loadDashboardPage } from '@/lib/maintainers/page';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { readOutbox, SLACK_ENV } from '../helpers/slack';
import { querySql, STORES } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The dashboard's figures on both stores (PGlite and a real Postgres server): questions, answered vs not covered,
// votes with their reasons, searches without results, per UTC day; the failed questions grouped by similarity.
// And the vote API's optional reason.

const OWNER = 'owner_dash_aaaaaaaaaaaa';
const MATCHING = 'How do I create a Slack bot token?';
// Nothing in the fixture docs: the offline model says the docs do not cover these.
const GAP_A = ['xyzzy plugh frobnicate', 'frobnicate the xyzzy plugh?', 'plugh xyzzy frobnicate please'];
const GAP_B = 'quux wibble wobble';
const DAY_MS = 86_400_000;

let app: TApp | undefined;
let server: TTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await app?.db.close();
  app = undefined;
});

async function ask(current: TApp, text: string) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
  const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text });
  expect(run.status).toBe('completed');
  const messages = (await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data;
  return { threadId: thread.id, answer: messages.find((message) => message.role === 'assistant')! };
}

describe.each(STORES)('maintainers dashboard on %s', (store) => {
  it('counts per UTC day, groups the unanswered questions by similarity with transcript links, and shows thumbs-down reasons', async () => {
    app = await createTestApp({ store });
    const current = app;
    const good = await ask(current, MATCHING);
    const gaps = [];
    for (const text of GAP_A) gaps.push(await ask(current, text));
    const other = await ask(current, GAP_B);
    server = await startTestServer(current);
    const reader = createClient(server.url);
    // The reader's cookie is its session: the vote goes through the API as the owner of a thread it made.
    const own = (await reader.post('/api/paste-assistant-thread')).body as { id: string };
    await reader.post('/api/paste-assistant-message', { threadId: own.id, message: MATCHING });
    const ownAnswer = ((await reader.get(`/api/paste-assistant-messages/${own.id}?order=asc`)).body as { data: { id: string; role: string }[] }).data.find(
      (message) => message.role === 'assistant',
    )!;
    const down = await reader.post('/api/paste-assistant-message-vote', { threadId: own.id, messageId: ownAnswer.id, vote: 'down' });
    expect(down.status).toBe(200);
    const reasoned = await reader.post('/api/paste-assistant-message-vote', {
      threadId: own.id,
      messageId: ownAnswer.id,
      vote: 'down',
      reason: '  It does not say which scopes the bot needs.  ',
    });
    expect(reasoned.status).toBe(200);
    expect(reasoned.body).toMatchObject({ vote: 'down', reason: 'It does not say which scopes the bot needs.' });
    // The same down vote again without a reason keeps the reason.
    expect((await reader.post('/api/paste-assistant-message-vote', { threadId: own.id, messageId: ownAnswer.id, vote: 'down' })).body).toMatchObject({
      reason: 'It does not say which scopes the bot needs.',
    });
    await searchDocs({ access: PUBLIC_ACCESS, deps: current, prompt: 'nonexistentwordzz', source: 'site' });

    // One of the gaps was asked three days ago.
    await querySql(current.db, `update assistant_message set created_at = created_at - interval '3 days' where thread_id = $1`, [gaps[0]!.threadId]);

    const window = resolveDashboardWindow({ days: 7 });
    const view = await getDashboardForMaintainers({ deps: current, window });
    expect(view.period).toMatchObject({ days: 7, preset: 7 });
    expect(view.days).toHaveLength(7);
    expect(view.days.at(-1)?.day).toBe(new Date().toISOString().slice(0, 10));
    expect(view.totals).toMatchObject({ questions: 6, answered: 2, notCovered: 4, up: 0, down: 1, maintainerReplies: 0 });
    expect(view.totals.searchesWithoutResults).toBeGreaterThanOrEqual(5);
    const threeDaysAgo = new Date(Date.now() - 3 * DAY_MS).toISOString().slice(0, 10);
    expect(view.days.find((entry) => entry.day === threeDaysAgo)).toMatchObject({ questions: 1, notCovered: 1 });
    expect(view.days.at(-1)).toMatchObject({ questions: 5, answered: 2, notCovered: 3, down: 1 });

    // The three wordings of one question are one group, the most asked first; each links to a transcript.
    expect(view.groups.map((group) => [group.count, group.notCovered, group.votedDown])).toEqual([
      [3, 3, 0],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    expect(GAP_A).toContain(view.groups[0]!.label);
    expect(view.groups[0]!.questions.map((question) => question.threadId).sort()).toEqual(gaps.map((gap) => gap.threadId).sort());
    expect(view.groups[0]!.questions[0]!.transcriptUrl).toMatch(/\/maintainers\/threads\/thread_\w+\?exp=\d+&sig=[\w-]{43}$/);
    expect(view.groups[2]!.label).toBe(GAP_B);
    expect(view.groups[2]!.questions[0]!.threadId).toBe(other.threadId);
    expect(view.reasons).toEqual([expect.objectContaining({ text: MATCHING, reason: 'It does not say which scopes the bot needs.', threadId: own.id })]);
    expect(view.searchesWithoutResults).toEqual(expect.arrayContaining([{ query: 'nonexistentwordzz', count: 1 }]));

    // From–to in whole days: only the day three days ago.
    const past = await getDashboardForMaintainers({ deps: current, window: resolveDashboardWindow({ from: threeDaysAgo, to: threeDaysAgo }) });
    expect(past.days).toHaveLength(1);
    expect(past.totals).toMatchObject({ questions: 1, notCovered: 1, answered: 0, down: 0 });
    expect(past.groups.map((group) => group.count)).toEqual([1]);
    expect(good.answer.metadata.no_docs_match).toBeUndefined();
  });
});

describe('vote reasons', () => {
  it('are zod-limited, go with a thumbs-down only, reach Slack with the vote, and maintainer replies cannot be voted on', async () => {
    app = await createTestApp({ env: SLACK_ENV, overrides: { reviewChannelOptions: { isAutoDelivering: false } } });
    server = await startTestServer(app);
    const reader = createClient(server.url);
    const thread = (await reader.post('/api/paste-assistant-thread')).body as { id: string };
    await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: MATCHING });
    const answer = ((await reader.get(`/api/paste-assistant-messages/${thread.id}?order=asc`)).body as { data: { id: string; role: string }[] }).data.find(
      (message) => message.role === 'assistant',
    )!;
    const vote = (body: Record<string, unknown>) => reader.post('/api/paste-assistant-message-vote', { threadId: thread.id, messageId: answer.id, ...body });

    const tooLong = await vote({ vote: 'down', reason: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/^reason: /);
    expect((await vote({ vote: 'up', reason: 'great' })).status).toBe(400);
    expect((await vote({ vote: 'down', reason: 42 })).status).toBe(400);
    expect((await vote({ vote: 'down' })).body).toMatchObject({ vote: 'down', reason: null });
    expect((await vote({ vote: 'down', reason: 'Wrong *scope* <!channel>' })).body).toMatchObject({ reason: 'Wrong *scope* <!channel>' });
    // Changing the vote drops the reason.
    expect((await vote({ vote: 'up' })).body).toMatchObject({ vote: 'up', reason: null });
    // A reason is reader text: personal data in it is masked before it is stored or posted (PII_MASKING).
    const masked = await vote({ vote: 'down', reason: 'Write to me at ana.lopez@example.com' });
    expect(masked.body.reason).not.toContain('ana.lopez@example.com');
    expect(masked.body.reason).toMatch(/^Write to me at \S+/);
    expect((await vote({ vote: 'up' })).status).toBe(200);

    const votes = (await readOutbox(app.db)).filter((row) => row.kind === 'vote');
    expect(votes).toHaveLength(5);
    const payloads = await querySql<{ payload: { vote: string; previous: string | null; reason: string | null } }>(
      app.db,
      `select payload from slack_outbox where kind = 'vote' order by id`,
    );
    expect(payloads.rows.map((row) => [row.payload.vote, row.payload.previous, row.payload.reason])).toEqual([
      ['down', null, null],
      ['down', 'down', 'Wrong *scope* <!channel>'],
      ['up', 'down', null],
      ['down', 'up', payloads.rows[3]!.payload.reason],
      ['up', 'down', null],
    ]);
    expect(JSON.stringify(payloads.rows)).not.toContain('ana.lopez@example.com');

    // A maintainer's reply is not an answer to vote on.
    await querySql(
      app.db,
      `insert into assistant_message (thread_id, role, content, metadata) values ($1, 'assistant', pa_text_content('From Slack'), '{"author":"maintainer"}')`,
      [thread.id],
    );
    const reply = ((await reader.get(`/api/paste-assistant-messages/${thread.id}?order=asc`)).body as { data: { id: string }[] }).data.at(-1)!;
    const onReply = await reader.post('/api/paste-assistant-message-vote', { threadId: thread.id, messageId: reply.id, vote: 'up' });
    expect(onReply.status).toBe(400);
  });
});

describe('dashboard access', () => {
  it('opens with a signed link, the bearer token or the sign-in cookie; 401 otherwise', async () => {
    app = await createTestApp({ env: { MAINTAINER_TOKEN: 'maintainer-token-0123456789' } });
    const deps = app;
    const load = (headers: Record<string, string>, query: Record<string, string> = {}) => loadDashboardPage({ deps, headers, query });
    expect((await load({})).status).toBe(401);
    expect((await load({})).props).toEqual({ kind: 'sign-in', canUseToken: true });
    expect((await load({ authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await load({ authorization: 'Bearer maintainer-token-0123456789' })).status).toBe(200);

    const link = Object.fromEntries(new URL(buildDashboardUrl({ siteUrl: app.config.siteUrl, secret: app.sessionSecret, ttlSeconds: 60 }).url).searchParams);
    const viaLink = await load({}, { ...link, days: '90' });
    expect(viaLink.status).toBe(200);
    expect(viaLink.props).toMatchObject({ kind: 'dashboard', link: { exp: link.exp, sig: link.sig }, view: { period: { days: 90, preset: 90 } } });
    expect((await load({}, { ...link, sig: 'A'.repeat(43) })).status).toBe(401);
    expect((await load({}, { ...link, days: '12' })).status).toBe(400);
    expect((await load({}, { ...link, days: '', from: '2026-02-10', to: '2026-01-01' })).status).toBe(400);

    server = await startTestServer(app);
    const client = createClient(server.url);
    expect((await client.post('/api/maintainers/session', { token: 'wrong-token-0123456789' })).status).toBe(401);
    const signedIn = await client.post('/api/maintainers/session', { token: 'maintainer-token-0123456789' });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^pa_maintainer=\d+\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(cookie).not.toContain('maintainer-token');
    expect((await load({ cookie: cookie.split(';')[0]! })).status).toBe(200);
    expect((await load({ cookie: 'pa_maintainer=1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(401);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { createTestApp } from '../helpers/app';
import { createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { expectError, onlyLocalUnhandled } from '../helpers/instances';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';
import { mailLink, startSmtp } from '../helpers/smtp';
import { querySql } from '../helpers/stores';

// A screenshot stays where the reader sent it (issue 71 item 3): it is "never posted to Slack, Discord, GitHub or
// e-mail nor shown through a share link; where the conversation goes, the image's masked OCR text stands in for it".
// One conversation whose question carries a real screenshot of an error (the OCR fixture), on a real Postgres server
// (the review channel's outbox is filled by its triggers), goes through every door at once: the review channel in
// Slack (msw at the network edge), a hand-off to GitHub (the fake on 127.0.0.1), to Slack and by e-mail (an SMTP
// server on 127.0.0.1), with the Discord door on too (its fake on 127.0.0.1), and a share link. Every HTTP request the
// process sends to anything but the app itself is recorded as it left (msw's request events see the passthrough
// ones too), and every mail as the SMTP server took it: none carries the image, in base64 or raw; each door that
// carries the question carries what the screenshot says instead.

const REPO = 'acme/questions';
const READER_EMAIL = 'reader.person@example.org';
const APPLICATION_ID = '1000000000000000071';
const TYPED = 'Why does posting fail?';

const SCREENSHOT_BYTES = readFileSync(path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png'));
const SCREENSHOT = SCREENSHOT_BYTES.toString('base64');

/**
 * What would give the image away: 40-character slices of its base64 from its start to its end (standard and
 * URL-safe alphabets), its signature in base64 and as raw bytes (read as UTF-8 or Latin-1), and a data: URL's head.
 */
const IMAGE_MARKS = (() => {
  const slices = [0, 0.2, 0.4, 0.6, 0.8].map((at) => Math.floor((SCREENSHOT.length * at) / 4) * 4).concat([SCREENSHOT.length - 40]);
  const base64 = slices.map((at) => SCREENSHOT.slice(at, at + 40));
  const urlSafe = base64.map((slice) => slice.replace(/\+/g, '-').replace(/\//g, '_'));
  return [...new Set([...base64, ...urlSafe, 'iVBORw0KGgo', 'PNG\r\n\u001a\n', 'IHDR', 'IDAT', 'data:image'])];
})();

/** `text` as a reader of it would see it, in the encodings a body may be in: as sent, form- or percent-decoded, and with line breaks (MIME's 76 columns) taken out. */
function viewsOf(text: string): string[] {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Not percent-encoded: the text as sent is the view.
  }
  return [text, decoded, text.replace(/\s+/g, ''), decoded.replace(/\s+/g, '')];
}

function expectNoImage(where: string, text: string) {
  for (const view of viewsOf(text)) {
    for (const mark of IMAGE_MARKS) expect(view.includes(mark), `${where} carries the image (${JSON.stringify(mark)})`).toBe(false);
  }
}

/** What the screenshot says, as the masked stand-in carries it: its error and sentence, never the address in it. */
function expectStandIn(where: string, text: string) {
  expect(text, `${where}: the screenshot's text`).toMatch(/missing\\?_scope/);
  expect(text, `${where}: the screenshot's text`).toContain('bot token lacks the chat:write scope');
  expect(text, `${where}: the address in the screenshot is masked`).not.toContain('jane.doe');
}

type TSent = { method: string; url: string; body: string };

const msw = setupServer();
/** Every HTTP request that left the process for anything but the app under test, with its body as sent. */
const sent: Promise<TSent>[] = [];
let slack: TFakeSlack;
let github: TFakeGithub;
let discord: TFakeDiscord;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: onlyLocalUnhandled });
  msw.events.on('request:start', ({ request }) => {
    if (server && request.url.startsWith(server.url)) return;
    sent.push(request.clone().text().then((body) => ({ method: request.method, url: request.url, body })));
  });
  slack = createFakeSlack();
  msw.use(slack.handler);
  github = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  smtp = await startSmtp();
  app = await createTestApp({
    store: 'postgres',
    env: {
      ...SLACK_ENV,
      HANDOFF_TO: 'github,slack,email',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_imagesStayPut0123456789',
      GITHUB_API_URL: github.url,
      SMTP_URL: smtp.url,
      HANDOFF_EMAIL_FROM: 'Docs <docs@example.com>',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: createDiscordKeys().publicKey,
      DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      // The tests run the rounds themselves (the outbox, the GitHub sync, the e-mails).
      RUN_SWEEP_SECONDS: '600',
    },
    overrides: { reviewChannelOptions: { isAutoDelivering: false } },
  });
  server = await startTestServer(app);
});

afterAll(async () => {
  msw.close();
  await server?.close();
  await app?.db.close();
  await github?.close();
  await discord?.close();
  await smtp?.close();
});

/** Review-channel rounds until its outbox has nothing left to send. */
async function drainOutbox() {
  await waitUntil(async () => {
    await app.reviewChannel.deliverOutboxOnce();
    return (await getSlackOutboxStats({ db: app.db })).pending === 0;
  }, 15_000);
}

describe('a question with a screenshot, through every door', () => {
  it('sends no image to Slack, GitHub, e-mail or Discord, and its masked text wherever the question goes', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    const asked = await reader.post('/api/paste-assistant-message', { threadId, message: TYPED, images: [{ mediaType: 'image/png', data: SCREENSHOT }] });
    expect(asked.status, JSON.stringify(asked.body).slice(0, 300)).toBe(200);
    expect(asked.body.run.status).toBe('completed');
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    const questionText: string = question.content[0].text.value;
    expect(questionText.startsWith(`${TYPED}\n\n[screenshot] `), questionText).toBe(true);
    expectStandIn('the stored question', questionText);
    // The image is kept with the question, for its reader (and the maintainers' transcript) only.
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}/${question.id}/images`)).body.data[0].data).toBe(SCREENSHOT);

    // The review channel: the conversation's thread in the maintainers' Slack channel.
    await drainOutbox();
    const reviewPosts = slack.delivered().filter((call) => call.method === 'chat.postMessage');
    const questionPost = reviewPosts.find((call) => (call.text ?? '').includes('*Reader*'));
    expect(questionPost, JSON.stringify(reviewPosts.map((call) => call.text))).toBeDefined();
    expect(questionPost!.text).toContain(TYPED);
    expectStandIn('the review channel’s post of the question', questionPost!.text!);

    // A hand-off with an address for the reply: GitHub's issue, the review channel's post, the confirmation mail.
    const handoff = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'The screenshot shows it.', email: READER_EMAIL });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    const [issue] = github.openedIssues(REPO);
    expect(issue).toBeDefined();
    expect(issue!.body).toContain(TYPED);
    expectStandIn('the hand-off’s GitHub issue', issue!.body ?? '');
    await drainOutbox();
    const handoffPost = slack.delivered().find((call) => call.method === 'chat.postMessage' && (call.text ?? '').includes('Needs a maintainer'));
    expect(handoffPost).toBeDefined();

    // A maintainer replies on GitHub; the reader confirms the address; the reply is e-mailed with the question quoted.
    await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(1);
    github.addComment(REPO, issue!.number, { id: 7101, body: 'Add the chat:write scope and reinstall the app.', user: { login: 'maintainer-ana' }, author_association: 'MEMBER' });
    expect(await app.handoffJobs.syncNow()).toBe(1);
    const confirmed = await reader.post('/api/handoff/link', { action: 'confirm', token: mailLink(smtp.mails[0]!.text, 'confirm').token });
    expect(confirmed.body).toEqual({ status: 'confirmed' });
    await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(2);
    const replyMail = smtp.mails[1]!.text;
    expect(replyMail).toContain('Add the chat:write scope and reinstall the app.');
    expect(replyMail).toContain(TYPED);
    expectStandIn('the e-mailed reply', replyMail);
    // Whatever the reply queued for the review channel goes too, before the bodies are read.
    await drainOutbox();

    // Nothing that left carries the image: each mail as the SMTP server took it (headers and all), each request to
    // Slack, GitHub and Discord as it was sent.
    for (const mail of smtp.mails) expectNoImage(`a mail to ${mail.to}`, mail.text);
    const requests = await Promise.all(sent);
    const to = (host: string) => requests.filter((request) => request.url.startsWith(host));
    expect(to('https://slack.test/').length).toBeGreaterThanOrEqual(4);
    expect(to(github.url).some((request) => request.method === 'POST' && request.url.endsWith(`/repos/${REPO}/issues`))).toBe(true);
    for (const request of requests) expectNoImage(`${request.method} ${request.url}`, request.body);
    for (const call of slack.calls) expectNoImage(`Slack's ${call.method}`, JSON.stringify(call.params));
    // Discord: a conversation asked on the site never reaches it (its door answers only questions asked in Discord,
    // which carry no image), so nothing was sent there at all.
    expect(discord.calls).toEqual([]);
    expect(to(discord.apiUrl)).toEqual([]);
  });
});

describe('a shared conversation whose question has a screenshot', () => {
  it('shows the screenshot’s masked text, no image, and the images route only to the owner', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    expect((await reader.post('/api/paste-assistant-message', { threadId, images: [{ mediaType: 'image/png', data: SCREENSHOT }] })).status).toBe(200);
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    const shared = await reader.post(`/api/paste-assistant-thread/${threadId}/share`);
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const id = new URL(shared.body.url as string).pathname.split('/').at(-1)!;

    // The page at /shared/<id>, as Next renders it: its props are all the page's data.
    const { getServerSideProps } = await import('@/pages/shared/[id]');
    const headers: Record<string, unknown> = {};
    const res = { statusCode: 200, setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = value), getHeader: (name: string) => headers[name.toLowerCase()] };
    const req = { headers: {}, url: `/shared/${id}`, method: 'GET', socket: {} };
    const page = (await getServerSideProps({ params: { id }, req, res, query: { id }, resolvedUrl: `/shared/${id}` } as never)) as { props?: { kind: string; conversation?: { messages: { content: { text: { value: string } }[] }[] } } };
    expect(page.props?.kind).toBe('conversation');
    const shownQuestion = page.props!.conversation!.messages[0]!.content[0]!.text.value;
    expect(shownQuestion).toMatch(/^\[screenshot\] /);
    expectStandIn('the shared page’s question', shownQuestion);
    expectNoImage('the shared page’s props', JSON.stringify(page.props));
    // Nor does it name the thread or the message: the link gives no way to ask for the images.
    expect(JSON.stringify(page.props)).not.toContain(threadId);
    expect(JSON.stringify(page.props)).not.toContain(question.id);
    // What the link keeps: the snapshot in the database holds no image either.
    const snapshot = await querySql<{ snapshot: unknown }>(app.db, 'select snapshot from thread_share where id = $1', [id]);
    expectNoImage('the share link’s snapshot', JSON.stringify(snapshot.rows[0]!.snapshot));

    // The images route is the owner's: whoever holds only the link (another session) gets a 404, as for any thread not theirs.
    const viewer = createClient(server.url);
    const imagesUrl = `/api/paste-assistant-messages/${threadId}/${question.id}/images`;
    expectError(await viewer.get(imagesUrl), 404, 'not_found');
    expectError(await viewer.get(`/api/paste-assistant-messages/${threadId}`), 404, 'not_found');
    expect((await reader.get(imagesUrl)).body.data[0].data).toBe(SCREENSHOT);
  });
});

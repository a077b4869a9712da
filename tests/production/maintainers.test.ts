import { describe, expect, inject, it } from 'vitest';
import { buildReportUrl, buildTranscriptUrl } from '@/lib/maintainers/links';
import { expectError } from '../helpers/contract';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, type TFakeSlackCall } from './helpers/fake-slack';
import { PRODUCTION_SITE_URL } from './helpers/global-setup';
import { answeredThread, mainClient, slackCalls } from './helpers/tier';

// The maintainers' side under `next start`: the Slack posts (through the outbox, to the fake Slack on
// 127.0.0.1), the signed transcript link they carry, the transcript page (a 404 page once the thread is deleted,
// which a cross-bundle `instanceof` turned into a 500) and the signed report.

const TTL_SECONDS = 3600;

/** Slack links are built on SITE_URL; the tests open them on the server they started. */
const onServer = (url: string) => url.replace(PRODUCTION_SITE_URL, inject('mainUrl'));

async function waitForSlack(predicate: (calls: TFakeSlackCall[]) => boolean, timeoutMs = 15_000): Promise<TFakeSlackCall[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls = await slackCalls();
    if (predicate(calls)) return calls;
    if (Date.now() > deadline) throw new Error(`Slack did not get the expected calls in time: ${JSON.stringify(calls.slice(-5))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fetchPage(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

describe('Slack and the transcript', () => {
  it('posts the thread, question and answer to Slack; the parent links to a transcript page that opens, until the thread is deleted (404 page)', async () => {
    const reader = mainClient();
    const question = 'How do I configure Slack for the maintainers?';
    const { threadId, answerId } = await answeredThread(reader, question);

    const calls = await waitForSlack((all) => {
      const parent = all.find((call) => call.method === 'chat.postMessage' && call.text?.includes(threadId));
      return parent !== undefined && all.filter((call) => call.threadTs !== null && call.threadTs === parentTs(all, threadId)).length >= 2;
    });
    const parent = calls.find((call) => call.method === 'chat.postMessage' && call.text?.includes(threadId))!;
    expect(parent).toMatchObject({ channel: FAKE_SLACK_CHANNEL, authorization: `Bearer ${FAKE_SLACK_TOKEN}`, threadTs: null });
    const replies = calls.filter((call) => call.threadTs === parentTs(calls, threadId)).map((call) => call.text ?? '');
    expect(replies.some((text) => text.includes(question))).toBe(true);
    expect(replies.some((text) => text.includes('The docs explain this in'))).toBe(true);

    const link = /<(http[^|>]+)\|Open the transcript>/.exec(parent.text ?? '')?.[1]?.replace(/&amp;/g, '&');
    expect(link).toMatch(new RegExp(`^${PRODUCTION_SITE_URL}/maintainers/threads/${threadId}\\?exp=\\d+&sig=[\\w-]{43}$`));
    const page = await fetchPage(onServer(link!));
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toMatch(/noindex/);
    expect(page.html).toContain(threadId);
    expect(page.html).toContain(question);
    expect(page.html).toContain(answerId);

    // A signature for this thread opens nothing else; a tampered or expired one opens nothing.
    const tampered = onServer(link!).replace(/sig=[\w-]{43}/, `sig=${'A'.repeat(43)}`);
    expect((await fetchPage(tampered)).status).toBe(404);
    const secret = inject('sessionSecret');
    const expired = buildTranscriptUrl({ siteUrl: inject('mainUrl'), secret, threadId, ttlSeconds: 60, nowMs: Date.now() - 3_600_000 }).url;
    expect((await fetchPage(expired)).status).toBe(404);

    // A new title updates the parent message in place.
    expect((await reader.put(`/api/paste-assistant-thread/${threadId}`, { metadata: { threadTitle: 'Slack for maintainers' } })).status).toBe(200);
    const updated = await waitForSlack((all) => all.some((call) => call.method === 'chat.update' && call.text?.includes(threadId)));
    const update = updated.find((call) => call.method === 'chat.update' && call.text?.includes(threadId))!;
    expect(update.ts).toBe(parentTs(updated, threadId));
    expect(update.text).toContain('*Slack for maintainers*');

    expect((await reader.delete(`/api/paste-assistant-thread/${threadId}`)).status).toBe(200);
    const gone = await fetchPage(onServer(link!));
    expect(gone.status).toBe(404);
    expect(gone.html).not.toContain(question);
    expect(gone.html).not.toMatch(/Internal Server Error|at \w+ \(/);
  });

  it('answers a signed link to a thread that never existed, or a malformed id, with the 404 page', async () => {
    const secret = inject('sessionSecret');
    const threadId = 'thread_0123456789abcdef0123456789abcdef';
    const signed = buildTranscriptUrl({ siteUrl: inject('mainUrl'), secret, threadId, ttlSeconds: TTL_SECONDS }).url;
    expect((await fetchPage(signed)).status).toBe(404);
    expect((await fetchPage(`${inject('mainUrl')}/maintainers/threads/not-a-thread?exp=1&sig=x`)).status).toBe(404);
  });
});

describe('the maintainers report', () => {
  it('is JSON behind a signed link; without a valid signature it is a 404 in the error contract', async () => {
    await answeredThread(mainClient(), 'How do I read the maintainers report?');
    const secret = inject('sessionSecret');
    const { url } = buildReportUrl({ siteUrl: inject('mainUrl'), secret, ttlSeconds: TTL_SECONDS, days: 1 });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    const report = (await response.json()) as { threads: number; messages: { user: number; assistant: number }; runs: { by_status: Record<string, number> } };
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(report.messages.user).toBeGreaterThanOrEqual(1);
    expect(report.runs.by_status.completed).toBeGreaterThanOrEqual(1);

    const client = mainClient();
    expectError(await client.get(url.replace(inject('mainUrl'), '').replace(/sig=[\w-]+/, `sig=${'B'.repeat(43)}`)), 404, 'not_found');
    expectError(await client.get('/api/maintainers/report'), 404, 'not_found');
    // A transcript signature does not open the report.
    const transcript = new URL(buildTranscriptUrl({ siteUrl: inject('mainUrl'), secret, threadId: 'thread_abc', ttlSeconds: TTL_SECONDS }).url);
    expectError(await client.get(`/api/maintainers/report${transcript.search}`), 404, 'not_found');
    const badWindow = url.replace('days=1', 'days=0').replace(inject('mainUrl'), '');
    expectError(await client.get(badWindow), 400, 'bad_request');
  });
});

function parentTs(calls: TFakeSlackCall[], threadId: string): string | undefined {
  const index = calls.findIndex((call) => call.method === 'chat.postMessage' && call.threadTs === null && call.text?.includes(threadId));
  if (index === -1) return undefined;
  // The fake Slack numbers its posts in order: the parent's ts is the index among postMessage calls.
  const position = calls.slice(0, index + 1).filter((call) => call.method === 'chat.postMessage').length;
  return `1790000000.${String(position).padStart(6, '0')}`;
}

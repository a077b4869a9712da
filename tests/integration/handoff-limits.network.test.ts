import { afterEach, describe, expect, it } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER, encodeSolution, solveChallenge, type TChallenge } from '@/lib/shared/challenge';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { buildScriptedModel } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Issue 67, 1.5: a hand-off needs a question the assistant answered, and has its own hourly limits per reader
// (session), per client address and for the whole site, taken in the SQL that creates it (asking again is free), with
// each refusal counted in /api/health; a browser near the reader's or the address's limit solves a challenge first,
// and a solution never lifts a limit. On a real database (PGlite) over HTTP, GitHub faked on 127.0.0.1; addresses come
// from X-Forwarded-For (TRUSTED_PROXY_HEADER), as behind a proxy.

const REPO = 'acme/questions';
const BROWSER = { [CHALLENGE_HEADER]: CHALLENGE_CAPABILITY };

let app: TApp | undefined;
let server: TTestServer | undefined;
let fake: TFakeGithub | undefined;
afterEach(async () => {
  await server?.close();
  await app?.db.close();
  await fake?.close();
  app = server = fake = undefined;
});

async function start(env: Record<string, string> = {}, overrides: TAppOverrides = {}) {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  app = await createTestApp({
    env: {
      HANDOFF_TO: 'github',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_handoffLimitsToken0123456789',
      GITHUB_API_URL: fake.url,
      TRUSTED_PROXY_HEADER: 'x-forwarded-for',
      CHALLENGE_MAX_NUMBER: '2000',
      ...env,
    },
    overrides,
  });
  server = await startTestServer(app);
}

/** A reader at `address`: a fresh session, as a script's or a browser's. */
function readerAt(address: string, { isBrowser = false } = {}) {
  const client = createClient(server!.url);
  const headers = { 'x-forwarded-for': address, ...(isBrowser ? BROWSER : {}) };
  return {
    async answered(question = 'Can I fax a transcript to my printer?') {
      const thread = await client.request('POST', '/api/paste-assistant-thread', { headers });
      const sent = await client.request('POST', '/api/paste-assistant-message', { json: { threadId: thread.body.id, message: question }, headers });
      expect(sent.body.run?.status, JSON.stringify(sent.body)).toBe('completed');
      return thread.body.id as string;
    },
    handoff(threadId: string, body: Record<string, unknown> = {}) {
      return client.request('POST', `/api/paste-assistant-thread/${threadId}/handoff`, { json: body, headers });
    },
    request: (method: string, route: string, json?: unknown) => client.request(method, route, { ...(json === undefined ? {} : { json }), headers }),
  };
}

const health = async () => (await createClient(server!.url).get('/api/health')).body.handoff;

describe('a hand-off needs an answered question', () => {
  it('answers 409 handoff_needs_answer for a conversation without a question, and one whose question has no answer; nothing is opened', async () => {
    await start({}, { model: buildScriptedModel([new Error('the model is down')]) });
    const reader = readerAt('198.51.100.1');
    const empty = (await reader.request('POST', '/api/paste-assistant-thread')).body.id as string;
    const refused = await reader.handoff(empty);
    expectError(refused, 409, 'handoff_needs_answer');
    expect(refused.body.error.message).toMatch(/no question/);

    const unanswered = (await reader.request('POST', '/api/paste-assistant-thread')).body.id as string;
    const sent = await reader.request('POST', '/api/paste-assistant-message', { threadId: unanswered, message: 'Can I fax a transcript?' });
    expect(sent.body.run.status).toBe('failed');
    const noAnswer = await reader.handoff(unanswered);
    expectError(noAnswer, 409, 'handoff_needs_answer');
    expect(noAnswer.body.error.message).toMatch(/no answer yet/);
    expect(fake!.openedIssues(REPO)).toEqual([]);
    // Refused for want of a question, not by a limit: nothing is counted.
    expect((await health()).refusedLastDay).toEqual({ reader: 0, address: 0, site: 0 });
  });
});

describe('hand-offs’ own hourly limits', () => {
  it('per reader and per address: the one past the limit is 429 with Retry-After, asking again is free, and health counts the refusals', async () => {
    await start();
    // One reader: three conversations handed over, the fourth refused; the first asked again is the same hand-off.
    const reader = readerAt('198.51.100.2');
    const threads = [await reader.answered(), await reader.answered('How do I print a transcript?'), await reader.answered('Is there a dark theme?'), await reader.answered('Where is the changelog?')];
    for (const threadId of threads.slice(0, 3)) expect((await reader.handoff(threadId)).status).toBe(201);
    const fourth = await reader.handoff(threads[3]!);
    expectError(fourth, 429, 'rate_limited');
    expect(fourth.body.error.message).toMatch(/asked the maintainers 3 times this hour/);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await reader.handoff(threads[0]!)).status).toBe(200);
    expect(fake!.openedIssues(REPO)).toHaveLength(3);

    // Fresh sessions from one address: ten in all from it (the reader's three above came from another), then refused.
    const statuses: number[] = [];
    for (let index = 0; index < 12; index += 1) {
      const fresh = readerAt('203.0.113.7');
      const response = await fresh.handoff(await fresh.answered(`Question ${index} about faxing`));
      statuses.push(response.status);
      if (response.status === 429) expect(response.body.error.message).toMatch(/Your network has asked the maintainers 10 times this hour/);
    }
    expect(statuses).toEqual([...Array(10).fill(201), 429, 429]);
    expect(fake!.openedIssues(REPO)).toHaveLength(13);
    // Another address is not held back by that one.
    const other = readerAt('203.0.113.8');
    expect((await other.handoff(await other.answered())).status).toBe(201);

    expect(await health()).toMatchObject({
      channels: ['github'],
      limitsPerHour: { reader: 3, address: 10, site: 60 },
      refusedLastDay: { reader: 1, address: 2, site: 0 },
      lastRefusedHour: expect.any(String),
    });
  });

  it('for the whole site: past RATE_LIMIT_SITE_HANDOFFS_PER_HOUR, a reader at a new address is refused too', async () => {
    await start({ RATE_LIMIT_SITE_HANDOFFS_PER_HOUR: '2' });
    const statuses: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      const reader = readerAt(`192.0.2.${index + 10}`);
      const response = await reader.handoff(await reader.answered());
      statuses.push(response.status);
      if (response.status === 429) expect(response.body.error.message).toMatch(/The maintainers have been asked all they can take this hour/);
    }
    expect(statuses).toEqual([201, 201, 429]);
    expect(fake!.openedIssues(REPO)).toHaveLength(2);
    expect((await health()).refusedLastDay).toEqual({ reader: 0, address: 0, site: 1 });
  });

  it('a browser near the address’s limit solves a challenge first; a solution buys that hand-off, never one past the limit', async () => {
    await start({ RATE_LIMIT_IP_HANDOFFS_PER_HOUR: '5' });
    const address = '198.51.100.9';
    // 80% of 5: the 4th hand-off from the address is challenged (each from a fresh session, as a script's would be).
    for (let index = 0; index < 3; index += 1) {
      const reader = readerAt(address, { isBrowser: true });
      expect((await reader.handoff(await reader.answered())).status).toBe(201);
    }
    const browser = readerAt(address, { isBrowser: true });
    const threadId = await browser.answered();
    const challenged = await browser.handoff(threadId);
    expect([challenged.status, challenged.body.error.code]).toEqual([429, 'challenge_required']);
    expect(fake!.openedIssues(REPO)).toHaveLength(3);
    const solution = await solveChallenge(challenged.body.error.challenge as TChallenge);
    const solved = await browser.handoff(threadId, { challenge: encodeSolution(solution!) });
    expect(solved.status, JSON.stringify(solved.body)).toBe(201);
    // The 5th: challenged again (a solution paid for one), then within the limit.
    const fifth = readerAt(address, { isBrowser: true });
    const fifthThread = await fifth.answered();
    const again = await fifth.handoff(fifthThread);
    expect([again.status, again.body.error.code]).toEqual([429, 'challenge_required']);
    expect((await fifth.handoff(fifthThread, { challenge: encodeSolution((await solveChallenge(again.body.error.challenge as TChallenge))!) })).status).toBe(201);
    // The 6th is past the limit: solved or not, refused.
    const sixth = readerAt(address, { isBrowser: true });
    const sixthThread = await sixth.answered();
    const challengedPast = await sixth.handoff(sixthThread);
    expect([challengedPast.status, challengedPast.body.error.code]).toEqual([429, 'challenge_required']);
    const past = await sixth.handoff(sixthThread, { challenge: encodeSolution((await solveChallenge(challengedPast.body.error.challenge as TChallenge))!) });
    expectError(past, 429, 'rate_limited');
    expect(fake!.openedIssues(REPO)).toHaveLength(5);
  });
});

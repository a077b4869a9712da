import { createChallenge } from 'altcha-lib/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { challengeKey } from '@/lib/limits/challenge';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER, encodeSolution, solveChallenge, type TChallenge } from '@/lib/shared/challenge';
import { createTestApp, TEST_SESSION_SECRET } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// The proof-of-work challenge over HTTP. A browser (CHALLENGE_HEADER) near its hourly quota gets 429
// challenge_required with a challenge; a solution sent back is verified (signature, session, expiry, single
// use) and buys a bounded number of extra messages. A client without the header meets the quota as before.

const BROWSER = { [CHALLENGE_HEADER]: CHALLENGE_CAPABILITY };
const ENV = {
  RATE_LIMIT_MESSAGES_PER_HOUR: '5',
  CHALLENGE_THRESHOLD_PERCENT: '80',
  CHALLENGE_ALLOWANCE: '2',
  CHALLENGE_MAX_PER_HOUR: '2',
  CHALLENGE_MAX_NUMBER: '2000',
};

let app: TApp;
let server: TTestServer;
beforeAll(async () => {
  app = await createTestApp({ env: ENV });
  server = await startTestServer(app);
});
afterAll(async () => {
  await server.close();
  await app.db.close();
});

/** The browser's own solver (lib/shared/challenge.ts), run here on Node's Web Crypto. */
async function solve(challenge: TChallenge): Promise<string> {
  const solution = await solveChallenge(challenge);
  if (!solution) throw new Error('challenge not solved');
  return encodeSolution(solution);
}

function reader({ isBrowser }: { isBrowser: boolean }) {
  const client = createClient(server.url);
  let threadId = '';
  return {
    client,
    async start() {
      threadId = (await client.post('/api/paste-assistant-thread')).body.id;
    },
    send(message: string, challenge?: string) {
      return client.request('POST', '/api/paste-assistant-message', {
        json: { threadId, message, ...(challenge ? { challenge } : {}) },
        headers: isBrowser ? BROWSER : {},
      });
    },
  };
}

describe('challenge near the hourly quota', () => {
  it('an API client without the header is never challenged and gets 429 rate_limited at the quota, as before', async () => {
    const api = reader({ isBrowser: false });
    await api.start();
    for (let index = 1; index <= 5; index += 1) expect((await api.send(`Question ${index}`)).status).toBe(200);
    const refused = await api.send('Question 6');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.challenge).toBeUndefined();
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('a browser is challenged at 80%, a solution buys CHALLENGE_ALLOWANCE messages (past the quota), at most CHALLENGE_MAX_PER_HOUR times', async () => {
    const browser = reader({ isBrowser: true });
    await browser.start();
    for (let index = 1; index <= 3; index += 1) expect((await browser.send(`Question ${index}`)).status).toBe(200);

    // The 4th message would use 80% of 5.
    const challenged = await browser.send('Question 4');
    expect(challenged.status).toBe(429);
    expect(challenged.body.error).toMatchObject({ code: 'challenge_required', message: expect.stringMatching(/challenge/i) });
    const challenge = challenged.body.error.challenge as TChallenge;
    expect(challenge).toMatchObject({ algorithm: 'SHA-256', maxnumber: 2000, challenge: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(challenge.salt).toMatch(/expires=\d+/);

    expect((await browser.send('Question 4', await solve(challenge))).status).toBe(200);
    expect((await browser.send('Question 5')).status).toBe(200); // the pass's second message
    // The quota (5) is used up; another solution lets two more through.
    const again = await browser.send('Question 6');
    expect(again.body.error.code).toBe('challenge_required');
    expect((await browser.send('Question 6', await solve(again.body.error.challenge))).status).toBe(200);
    expect((await browser.send('Question 7')).status).toBe(200);
    // A third solution within the hour does not count: the extra is bounded.
    const third = await browser.send('Question 8');
    expect(third.body.error.code).toBe('challenge_required');
    const refused = await browser.send('Question 8', await solve(third.body.error.challenge));
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  describe('bad solutions', () => {
    let browser: ReturnType<typeof reader>;
    let challenge: TChallenge;
    beforeAll(async () => {
      browser = reader({ isBrowser: true });
      await browser.start();
      for (let index = 1; index <= 3; index += 1) await browser.send(`Question ${index}`);
      challenge = (await browser.send('Question 4')).body.error.challenge;
    });

    it('malformed → 400', async () => {
      for (const bad of ['not-base64-json', Buffer.from('{"algorithm":"SHA-256"}').toString('base64')]) {
        const response = await browser.send('Question 4', bad);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('bad_request');
      }
      const notString = await browser.client.request('POST', '/api/paste-assistant-message', { json: { threadId: 'thread_x1', message: 'x', challenge: 42 }, headers: BROWSER });
      expect(notString.status).toBe(400);
    });

    it('a wrong number or a forged signature → 403', async () => {
      const solved = JSON.parse(Buffer.from(await solve(challenge), 'base64').toString()) as { number: number };
      const wrong = await browser.send('Question 4', encodeSolution({ ...challenge, number: solved.number + 1 }));
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('forbidden');
      const forged = await createChallenge({ hmacKey: 'not-the-key', maxnumber: 10, number: 3, expires: new Date(Date.now() + 60_000), params: { s: 'x' } });
      const response = await browser.send('Question 4', encodeSolution({ ...forged, algorithm: 'SHA-256', maxnumber: 10, number: 3 } as never));
      expect(response.status).toBe(403);
    });

    it('expired → 403', async () => {
      // Signed with the server's key, but expired a minute ago (and for this session: the salt is copied).
      const session = new URLSearchParams(challenge.salt.split('?')[1]).get('s') ?? '';
      const expired = await createChallenge({
        hmacKey: challengeKey(TEST_SESSION_SECRET),
        maxnumber: 10,
        number: 4,
        expires: new Date(Date.now() - 60_000),
        params: { s: session },
      });
      const response = await browser.send('Question 4', encodeSolution({ algorithm: 'SHA-256', challenge: expired.challenge, salt: expired.salt, signature: expired.signature, number: 4 }));
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(/expired/);
    });

    it('another session’s solution → 403', async () => {
      const other = reader({ isBrowser: true });
      await other.start();
      const response = await other.send('Hello', await solve(challenge));
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(/another session/);
    });

    it('reused → 403; the first use went through', async () => {
      const solution = await solve(challenge);
      expect((await browser.send('Question 4', solution)).status).toBe(200);
      const reused = await browser.send('Question 5', solution);
      expect(reused.status).toBe(403);
      expect(reused.body.error.message).toMatch(/already used/);
    });
  });

  it('CHALLENGE=off: a browser meets the quota like any client', async () => {
    const off = await createTestApp({ env: { ...ENV, CHALLENGE: 'off' } });
    const offServer = await startTestServer(off);
    try {
      const client = createClient(offServer.url);
      const threadId = (await client.post('/api/paste-assistant-thread')).body.id;
      const send = (message: string) => client.request('POST', '/api/paste-assistant-message', { json: { threadId, message }, headers: BROWSER });
      for (let index = 1; index <= 5; index += 1) expect((await send(`Question ${index}`)).status).toBe(200);
      expect((await send('Question 6')).body.error.code).toBe('rate_limited');
    } finally {
      await offServer.close();
      await off.db.close();
    }
  });
});

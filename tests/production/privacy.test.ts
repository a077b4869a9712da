import { describe, expect, it } from 'vitest';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER, encodeSolution, solveChallenge, type TChallenge } from '@/lib/shared/challenge';
import { mainClient, modelRequests, newThread, send, slackCalls, strictClient } from './helpers/tier';

// Privacy against `next start`: personal data masked before the model (the fake model server) and Slack (the
// fake Slack) see it; all of a reader's threads deleted at once; the browser challenge on the strict server
// (1 message an hour per session: a browser is challenged at once, a client without the header is not).

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const KEY = `sk-${'proj-'}Zk9xT3pBcWx2R0s3bVhZc1dlMnJQdUg4amNOMUZ5dEs`;

describe('personal data', () => {
  it('is masked in the stored message, the model’s requests and the Slack posts', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const marker = `privacy-${Date.now()}`;
    const run = await send(reader, threadId, `${marker}: my key ${KEY} fails for ${EMAIL}, card ${CARD}. How do I configure Slack?`);
    expect(run.status).toBe('completed');
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { role: string; content: { text: { value: string } }[]; metadata: Record<string, string> }[];
    const question = messages.find((message) => message.role === 'user');
    expect(question?.content[0]?.text.value).toBe(`${marker}: my key [secret removed] fails for [email removed], card [card number removed]. How do I configure Slack?`);
    expect(question?.metadata.pii_removed).toBe('email,card,secret');

    const asked = (await modelRequests()).filter((request) => request.question.includes(marker));
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked) for (const secret of [EMAIL, CARD, KEY]) expect(request.question).not.toContain(secret);

    const deadline = Date.now() + 15_000;
    let posts = (await slackCalls()).filter((call) => call.text?.includes(marker));
    while (posts.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      posts = (await slackCalls()).filter((call) => call.text?.includes(marker));
    }
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.text).toContain('[card number removed]');
      for (const secret of [EMAIL, CARD, KEY]) expect(post.text).not.toContain(secret);
    }
  });
});

describe('DELETE /api/paste-assistant-thread', () => {
  it('deletes every thread of the caller and no one else’s', async () => {
    const reader = mainClient();
    const other = mainClient();
    await newThread(reader);
    await newThread(reader);
    const theirs = await newThread(other);
    const deleted = await reader.delete('/api/paste-assistant-thread');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ object: 'thread.deleted_all', deleted: true, count: 2 });
    expect((await reader.get('/api/paste-assistant-thread')).body.data).toEqual([]);
    expect((await other.get(`/api/paste-assistant-thread/${theirs}`)).status).toBe(200);
  });
});

describe('the browser challenge (strict server: 1 message an hour)', () => {
  const sendAsBrowser = (client: ReturnType<typeof strictClient>, threadId: string, message: string, challenge?: string) =>
    client.request('POST', '/api/paste-assistant-message', {
      json: { threadId, message, ...(challenge ? { challenge } : {}) },
      headers: { [CHALLENGE_HEADER]: CHALLENGE_CAPABILITY },
    });

  it('challenges a browser, accepts its solution once, and refuses it reused (403) or malformed (400)', async () => {
    const browser = strictClient();
    const threadId = await newThread(browser);
    const challenged = await sendAsBrowser(browser, threadId, 'How do I configure Slack?');
    expect(challenged.status).toBe(429);
    expect(challenged.body.error.code).toBe('challenge_required');
    const solution = await solveChallenge(challenged.body.error.challenge as TChallenge);
    expect(solution).not.toBeNull();
    const encoded = encodeSolution(solution!);
    expect((await sendAsBrowser(browser, threadId, 'How do I configure Slack?', encoded)).status).toBe(200);
    const reused = await sendAsBrowser(browser, threadId, 'And the channel?', encoded);
    expect(reused.status).toBe(403);
    expect(reused.body.error.code).toBe('forbidden');

    const another = strictClient();
    const otherThread = await newThread(another);
    const malformed = await sendAsBrowser(another, otherThread, 'Hi', 'bm90LWEtc29sdXRpb24=');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// "Research this" (issue 71) through the routes and the database, with the offline model on the fixture docs: under
// a quick answer the docs did not cover, the reader's tap asks for a research run of the same stored question (POST
// …/runs with mode "research"), which create_run_for_message_by_id allows in that one case. The question is stored
// once, the quick answer stays and the research answer follows it; a covered answer, a research answer, a quick
// re-run of either and a question that is no longer the last are refused as any Retry of an answered question is.

const NOT_COVERED = 'zyxwvut qwertyuiop';
const COVERED = 'How do I invite the bot to the Slack channel?';
// Not covered by the fixture docs, though a search made of what its weak results share finds sections near it.
const HELM = 'How do I deploy the slack bot to kubernetes with helm charts?';
// An earlier turn the offline model cannot answer either (after a covered one it would search that one's words too).
const EARLIER = 'xyzzy plugh frobnicate?';

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

type TMessage = { id: string; role: string; run_id: string | null; metadata: Record<string, unknown>; content: { text: { value: string } }[] };

async function messagesOf(reader: ReturnType<typeof createClient>, threadId: string): Promise<TMessage[]> {
  const listed = await reader.get(`/api/paste-assistant-messages/${threadId}`);
  expect(listed.status).toBe(200);
  return listed.body.data;
}

const turns = (messages: TMessage[]) => messages.map((message) => `${message.role}:${message.content[0]?.text.value.slice(0, 20)}`);

async function ask(reader: ReturnType<typeof createClient>, threadId: string, message: string) {
  const sent = await reader.post('/api/paste-assistant-message', { threadId, message });
  expect(sent.status).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  return sent.body.run as { id: string };
}

describe('Research this: a research run of the question a quick answer did not cover', () => {
  it('researches the stored question once more: one copy of it, the quick answer then the research answer, a research run', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    // An earlier turn, which the research run must still read.
    await ask(reader, threadId, EARLIER);
    const quick = await ask(reader, threadId, NOT_COVERED);
    const before = await messagesOf(reader, threadId);
    const question = before[2]!;
    expect(question).toMatchObject({ role: 'user', run_id: quick.id });
    expect(before[3]!.metadata).toMatchObject({ no_docs_match: true });

    const researched = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question.id, mode: 'research' });
    expect(researched.status).toBe(200);
    expect(researched.body.run).toMatchObject({ object: 'thread.run', status: 'completed', thread_id: threadId });
    expect(researched.body.run.metadata).toMatchObject({ mode: 'research', retry_of: quick.id });
    const { rows } = await querySql<{ options: Record<string, unknown> }>(app.db, 'select options from assistant_run where id = $1', [researched.body.run.id]);
    expect(rows[0]!.options.mode).toBe('research');

    const after = await messagesOf(reader, threadId);
    expect(after.filter((message) => message.role === 'user').map((message) => message.content[0]!.text.value)).toEqual([EARLIER, NOT_COVERED]);
    expect(after.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'assistant']);
    // The quick answer is kept as it was; the research answer comes after it, the question now the research run's.
    expect(after[3]).toEqual(before[3]);
    expect(after[4]).toMatchObject({ role: 'assistant', run_id: researched.body.run.id, metadata: expect.objectContaining({ research: true, no_docs_match: true }) });
    // The research found nothing either: it says so first, as the quick answer did, and is no answer from the closest page.
    expect(after[4]!.content[0]!.text.value).toMatch(/^The docs don't cover this: nothing in them matches your question/);
    expect(after[2]).toMatchObject({ id: question.id, run_id: researched.body.run.id });
    const latest = await reader.get(`/api/paste-assistant-thread/${threadId}/runs`);
    expect(latest.body.data[0].id).toBe(researched.body.run.id);

    // What the research run read: the conversation up to its question, the question once and not the quick answer.
    const context = await querySql<{ context: { messages: TMessage[] } }>(app.db, 'select get_run_context_by_id($1) as context', [researched.body.run.id]);
    expect(turns(context.rows[0]!.context.messages)).toEqual(turns(before.slice(0, 3)));
  });

  it('says first that the docs do not cover a question its further searches only came near, with no_docs_match, and offers no second research', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    await ask(reader, threadId, HELM);
    const [question, quick] = await messagesOf(reader, threadId);
    expect(quick!.metadata).toMatchObject({ no_docs_match: true });
    const researched = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expect(researched.status).toBe(200);
    const answer = (await messagesOf(reader, threadId)).at(-1)!;
    expect(answer.metadata).toMatchObject({ research: true, no_docs_match: true });
    const text = answer.content[0]!.text.value;
    expect(text).toMatch(/^The docs don't cover this: nothing in them matches your question well enough to answer it\. I searched \d+ times? and read \d+ pages? whole; nothing I found answers it\./);
    expect(text).not.toMatch(/\*\*Summary\.\*\*|closest answer is in/);
    // The hand-off offer reads no_docs_match; "Research this" is not offered again: a second research run is refused.
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' }), 409, 'conflict');
  });

  it('refuses (409) to research a research answer, even one that found nothing, and a quick re-run of the quick answer', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    await ask(reader, threadId, NOT_COVERED);
    const [question] = await messagesOf(reader, threadId);
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id }), 409, 'conflict');
    const researched = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expect(researched.status).toBe(200);
    expect((await messagesOf(reader, threadId)).at(-1)!.metadata).toMatchObject({ research: true, no_docs_match: true });

    const again = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expectError(again, 409, 'conflict');
    expect(again.body.error.message).toMatch(/This question was answered/);
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id }), 409, 'conflict');
    expect((await messagesOf(reader, threadId)).map((message) => message.role)).toEqual(['user', 'assistant', 'assistant']);
  });

  it('refuses (409) to research a not-covered answer that a later question follows, and a covered quick answer', async () => {
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    await ask(reader, threadId, NOT_COVERED);
    await ask(reader, threadId, COVERED);
    const [earlier, notCovered, covered, coveredAnswer] = await messagesOf(reader, threadId);
    expect(notCovered!.metadata).toMatchObject({ no_docs_match: true });
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: earlier!.id, mode: 'research' }), 409, 'conflict');

    expect(coveredAnswer!.metadata.no_docs_match).toBeUndefined();
    const refused = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: covered!.id, mode: 'research' });
    expectError(refused, 409, 'conflict');
    expect(refused.body.error.message).toMatch(/This question was answered/);
    expect(await messagesOf(reader, threadId)).toHaveLength(4);
  });
});

describe('Research this within the reader\'s limits', () => {
  const apps: { app: TApp; server: TTestServer }[] = [];
  async function serve(env: Record<string, string>) {
    const served = await createTestApp({ env });
    const started = await startTestServer(served);
    apps.push({ app: served, server: started });
    return started.url;
  }
  afterAll(async () => {
    for (const { app: served, server: started } of apps) {
      await started.close();
      await served.db.close();
    }
  });

  it('is one research run at a time: refused (409) while another of the reader\'s is going', async () => {
    // Each offline step waits, so that the other research run is still going when the reader taps.
    const reader = createClient(await serve({ OFFLINE_MODEL_DELAY_MS: '400' }));
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    await ask(reader, threadId, NOT_COVERED);
    const [question] = await messagesOf(reader, threadId);
    const other = (await reader.post('/api/paste-assistant-thread')).body.id;
    const going = await reader.post('/api/paste-assistant-message', { threadId: other, message: COVERED, mode: 'research', wait: false });
    expect(going.status).toBe(200);
    const busy = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expectError(busy, 409, 'conflict');
    expect(busy.body.error.message).toMatch(/one research question at a time/);
    await reader.post(`/api/paste-assistant-thread/${other}/run/${going.body.run.id}/cancel`);
    expect((await messagesOf(reader, threadId)).map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('costs RESEARCH_COST messages of the hour: past them, refused (429) and nothing stored', async () => {
    const reader = createClient(await serve({ RATE_LIMIT_MESSAGES_PER_HOUR: '3', RESEARCH_COST: '3' }));
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
    await ask(reader, threadId, NOT_COVERED);
    const [question] = await messagesOf(reader, threadId);
    // One quick question taken, two left: a research run needs three.
    const refused = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect((await messagesOf(reader, threadId)).map((message) => message.role)).toEqual(['user', 'assistant']);
  });
});

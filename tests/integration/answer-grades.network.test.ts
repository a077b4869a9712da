import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { gradeDigestLines, formatDigestText } from '@/lib/maintainers/digest';
import { getDashboardForMaintainers, resolveDashboardWindow } from '@/lib/maintainers/dashboard';
import type { TModelClient, TModelRequest } from '@/lib/model/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { runEval } from '@/scripts/eval';
import { createTestApp } from '../helpers/app';
import { onlyLocalUnhandled } from '../helpers/instances';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV } from '../helpers/slack';
import { querySql } from '../helpers/stores';

// Issue 69, item 3, as a maintainer meets it: a week of conversations made through the API (over HTTP, each reader
// with their own session) with a scripted model — answered, not covered, voted down, rephrased, handed off, a cited
// source opened — then the grades the database keeps for them, when they become final, what the dashboard and the
// digest say, and an answer made an eval case whose downloaded JSONL `npm run eval` runs against the same site.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterAll(() => server.close());

const TOKEN = 'maintainer-token-for-grades-0123';
const MINUTE_MS = 60_000;

/**
 * The model at the network edge of a run, scripted: it searches the docs for the reader's question, then answers
 * citing the first result, or says the docs do not cover a question about unicorns.
 */
function scriptedDocsModel(): TModelClient {
  const lastUser = (request: TModelRequest) => [...request.input].reverse().find((item) => item.type === 'message' && item.role === 'user');
  return {
    name: 'scripted-docs-v2',
    mode: 'chat',
    async respond(request) {
      const last = request.input.at(-1);
      const question = lastUser(request);
      const text = question?.type === 'message' ? question.content : '';
      if (last?.type === 'message') {
        return { output: { type: 'tool_calls', calls: [{ call_id: `call_${request.input.length}`, name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: text }) }] } };
      }
      if (/unicorn/i.test(text)) return { output: { type: 'message', text: 'The docs don’t cover teleporting unicorns.' } };
      const output = last?.type === 'function_call_output' ? (JSON.parse(last.output) as { results: { title: string; url: string }[] }) : { results: [] };
      const top = output.results[0]!;
      const answer = `See [${top.title}](${top.url}).`;
      return {
        output: { type: 'message', text: answer, annotations: [{ type: 'url_citation', url: top.url, title: top.title, start_index: 4, end_index: answer.length - 1 }] },
      };
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
}

let app: TApp | undefined;
let http: TTestServer | undefined;
afterEach(async () => {
  server.resetHandlers();
  await http?.close();
  await app?.db.close();
  app = http = undefined;
});

type TAsked = { threadId: string; answerId: string; cited: string[] };

async function ask(reader: ReturnType<typeof createClient>, text: string, threadId?: string): Promise<TAsked> {
  const id = threadId ?? ((await reader.post('/api/paste-assistant-thread')).body as { id: string }).id;
  const sent = await reader.post('/api/paste-assistant-message', { threadId: id, message: text });
  expect(sent.body.run?.status, JSON.stringify(sent.body)).toBe('completed');
  const messages = (await reader.get(`/api/paste-assistant-messages/${id}?order=desc&limit=1`)).body as {
    data: { id: string; role: string; content: { text: { annotations: { url: string }[] } }[] }[];
  };
  const answer = messages.data[0]!;
  expect(answer.role).toBe('assistant');
  return { threadId: id, answerId: answer.id, cited: answer.content.flatMap((part) => part.text.annotations.map((annotation) => annotation.url)) };
}

/** Moves a conversation (its messages, votes, hand-offs, opened sources) `days` back in time. */
async function backdate(current: TApp, threadId: string, days: number) {
  const interval = `${days} days`;
  await querySql(current.db, `update assistant_message set created_at = created_at - $2::interval where thread_id = $1`, [threadId, interval]);
  await querySql(current.db, `update message_vote set created_at = created_at - $2::interval, updated_at = updated_at - $2::interval where thread_id = $1`, [threadId, interval]);
  await querySql(current.db, `update handoff set created_at = created_at - $2::interval where thread_id = $1`, [threadId, interval]);
  await querySql(
    current.db,
    `update answer_source_open set opened_at = opened_at - $2::interval where message_id in (select id from assistant_message where thread_id = $1)`,
    [threadId, interval],
  );
}

async function gradeOf(current: TApp, messageId: string) {
  const { rows } = await querySql<{ grade: string; reasons: string[]; topic: string | null; source_kind: string | null; door: string; is_sampled: boolean }>(
    current.db,
    'select grade, reasons, topic, source_kind, door, is_sampled from answer_grade where message_id = $1',
    [messageId],
  );
  return rows[0] ?? null;
}

describe('answer grades over a week of conversations', () => {
  it('grades each settled answer from what its reader did, shows it on the dashboard and in the digest, and makes an eval case npm run eval runs', async () => {
    const slack = createFakeSlack();
    server.use(slack.handler);
    app = await createTestApp({
      env: { ...SLACK_ENV, HANDOFF_TO: 'slack', MAINTAINER_TOKEN: TOKEN, EVAL_SAMPLE: '0' },
      overrides: { model: scriptedDocsModel(), reviewChannelOptions: { pollMs: 50 } },
    });
    const current = app;
    http = await startTestServer(current);
    const reader = () => createClient(http!.url);

    // Six days ago: answered, and the reader opened the source it cites.
    const a = reader();
    const answered = await ask(a, 'How do I create a Slack bot token?');
    expect(answered.cited.length).toBeGreaterThan(0);
    expect((await a.post('/api/paste-assistant-source-opened', { threadId: answered.threadId, messageId: answered.answerId, url: answered.cited[0] })).body).toEqual({ recorded: true });
    // Only a source the answer cites counts, and only its reader records it.
    expect((await a.post('/api/paste-assistant-source-opened', { threadId: answered.threadId, messageId: answered.answerId, url: '/docs/elsewhere' })).body).toEqual({ recorded: false });
    const stranger = await reader().post('/api/paste-assistant-source-opened', { threadId: answered.threadId, messageId: answered.answerId, url: answered.cited[0] });
    expect(stranger.status).toBe(404);
    expect((await a.post('/api/paste-assistant-source-opened', { threadId: answered.threadId, messageId: 'not-an-id', url: 'x' })).status).toBe(400);
    // Five days ago: the docs don't cover it.
    const notCovered = await ask(reader(), 'Can I teleport unicorns with the docs?');
    // Four days ago: voted down, with a reason.
    const c = reader();
    const votedDown = await ask(c, 'How do I make a primary button?');
    expect((await c.post('/api/paste-assistant-message-vote', { threadId: votedDown.threadId, messageId: votedDown.answerId, vote: 'down', reason: 'Not the colours.' })).status).toBe(200);
    // Three days ago: asked again in other words a moment later, in the same conversation.
    const d = reader();
    const rephrasedFirst = await ask(d, 'How do I choose the Slack channel?');
    const rephrasedAgain = await ask(d, 'Which Slack channel should I choose for notifications?', rephrasedFirst.threadId);
    // Two days ago: handed to the maintainers.
    const e = reader();
    const handedOff = await ask(e, 'How do I make a destructive button?');
    const handoff = await e.post(`/api/paste-assistant-thread/${handedOff.threadId}/handoff`, { note: 'The example does not work.' });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    // Today: answered just now, so not settled yet.
    const fresh = await ask(reader(), 'How do I create a Slack bot token for the channel?');

    await backdate(current, answered.threadId, 6);
    await backdate(current, notCovered.threadId, 5);
    await backdate(current, votedDown.threadId, 4);
    await backdate(current, rephrasedFirst.threadId, 3);
    await backdate(current, handedOff.threadId, 2);
    // The first two answers came from the model used before this one: four days ago, the model changed.
    await querySql(current.db, `update assistant_run set model = 'scripted-docs-v1' where thread_id = any($1)`, [[answered.threadId, notCovered.threadId]]);

    // The dashboard grades what settled (lazily, as it is read): not today's conversation, idle for less than 30 minutes.
    const window = resolveDashboardWindow({ days: 7 });
    const first = await getDashboardForMaintainers({ deps: current, window });
    expect(await gradeOf(current, fresh.answerId)).toBeNull();
    expect(first.grades?.totals.graded).toBe(6);

    expect(await gradeOf(current, answered.answerId)).toMatchObject({ grade: 'answered', reasons: ['source_opened'], topic: 'Slack notifications', source_kind: 'folder', door: 'site' });
    expect(await gradeOf(current, notCovered.answerId)).toMatchObject({ grade: 'not_answered', reasons: ['not_covered'], topic: null, source_kind: null });
    expect(await gradeOf(current, votedDown.answerId)).toMatchObject({ grade: 'not_answered', reasons: ['voted_down', 'sources_not_opened'], topic: 'Buttons' });
    expect(await gradeOf(current, rephrasedFirst.answerId)).toMatchObject({ grade: 'partly', reasons: ['rephrased', 'sources_not_opened'] });
    expect(await gradeOf(current, rephrasedAgain.answerId)).toMatchObject({ grade: 'answered', reasons: ['sources_not_opened'] });
    expect(await gradeOf(current, handedOff.answerId)).toMatchObject({ grade: 'not_answered', reasons: ['handed_off', 'sources_not_opened'] });
    // No model judges here (EVAL_SAMPLE=0): nothing is sampled.
    expect((await gradeOf(current, answered.answerId))?.is_sampled).toBe(false);

    // Half an hour on, today's conversation has settled: graded, and a grade once written stays as it was.
    expect(await current.grading.gradeSettled(new Date(Date.now() + 31 * MINUTE_MS))).toBe(1);
    expect(await gradeOf(current, fresh.answerId)).toMatchObject({ grade: 'answered' });
    const view = await getDashboardForMaintainers({ deps: current, window });
    const grades = view.grades!;
    expect(grades.totals).toEqual({ graded: 7, answered: 3, partly: 1, notAnswered: 3, rate: 3 / 7 });
    const today = new Date().toISOString().slice(0, 10);
    const dayOf = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    expect(grades.days.find((entry) => entry.day === dayOf(3))).toMatchObject({ graded: 2, answered: 1, partly: 1, notAnswered: 0 });
    expect(grades.days.find((entry) => entry.day === dayOf(5))).toMatchObject({ graded: 1, notAnswered: 1 });
    expect(grades.marks).toEqual(
      expect.arrayContaining([
        { day: dayOf(4), kind: 'model', detail: 'scripted-docs-v2' },
        { day: today, kind: 'reindex', detail: '' },
      ]),
    );
    expect(grades.topics.map((group) => [group.label, group.graded, group.answered])).toEqual([
      ['Slack notifications', 4, 3],
      ['Buttons', 2, 0],
      ['No source cited', 1, 0],
    ]);
    expect(grades.kinds.map((group) => [group.label, group.graded])).toEqual([
      ['Docs', 6],
      ['No source cited', 1],
    ]);
    expect(grades.doors.map((group) => [group.label, group.graded, group.answered])).toEqual([['Site', 7, 3]]);
    // The week's worst: the not answered first (most signs of trouble first), then the partly; never an answered one.
    expect(grades.week.worst.map((item) => item.messageId)).toEqual([handedOff.answerId, votedDown.answerId, notCovered.answerId, rephrasedFirst.answerId]);
    expect(grades.week.worst[1]).toMatchObject({ grade: 'not_answered', reasons: ['voted_down', 'sources_not_opened'], question: 'How do I make a primary button?', door: 'Site' });
    expect(grades.week.worst[1]!.transcriptUrl).toMatch(/\/maintainers\/threads\/thread_\w+\?exp=\d+&sig=/);
    expect(grades.week.worstTopic).toMatchObject({ label: 'Buttons', graded: 2, answered: 0 });

    // The weekly digest says it in two lines.
    const lines = gradeDigestLines(grades.week);
    expect(lines[0]).toBe('*Answered:* 43% (3 of 7) of graded answers this week · last week none graded');
    expect(lines[1]).toMatch(/^\*Worst:\* topic “Buttons” \(2 of 2 not fully answered\) · answer “How do I make a destructive button\?” — not answered: handed to the maintainers, none of its sources was opened · <https?:\/\/.+\|transcript>$/);
    expect(formatDigestText(view, 'https://docs.example/maintainers').split('\n').slice(1, 3)).toEqual(lines);

    // One step makes the voted-down answer an eval case: its question, and the page the maintainer chose.
    const maintainer = (method: string, route: string, json?: unknown) =>
      createClient(http!.url).request(method, route, { headers: { authorization: `Bearer ${TOKEN}` }, ...(json === undefined ? {} : { json }) });
    const buttons = grades.pages.find((page) => page.title === 'Buttons')!;
    expect(buttons).toBeDefined();
    expect((await reader().post('/api/maintainers/eval-cases', { messageId: votedDown.answerId, path: buttons.path })).status).toBe(401);
    const badBody = await maintainer('POST', '/api/maintainers/eval-cases', { messageId: votedDown.answerId });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.code).toBe('bad_request');
    expect((await maintainer('POST', '/api/maintainers/eval-cases', { messageId: votedDown.answerId, path: 'guides/missing.mdx' })).status).toBe(400);
    expect((await maintainer('POST', '/api/maintainers/eval-cases', { messageId: 'msg_doesnotexist', path: buttons.path })).status).toBe(404);
    const made = await maintainer('POST', '/api/maintainers/eval-cases', { messageId: votedDown.answerId, path: buttons.path });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ question: 'How do I make a primary button?', expected_path: buttons.path, expected_title: 'Buttons', thread_id: votedDown.threadId });
    expect((await maintainer('PUT', '/api/maintainers/eval-cases', {})).status).toBe(405);
    const again = await getDashboardForMaintainers({ deps: current, window });
    expect(again.grades!.week.worst.find((item) => item.messageId === votedDown.answerId)?.evalCaseId).toBe(made.body.id);
    expect(again.grades!.evalCases).toEqual([expect.objectContaining({ id: made.body.id, question: 'How do I make a primary button?', expectedPath: buttons.path })]);

    // Downloaded as the JSONL npm run eval reads, and run by it against the same site: the page is found.
    const download = await fetch(`${http.url}/api/maintainers/eval-cases?format=jsonl`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="eval-cases.jsonl"');
    const jsonl = await download.text();
    expect(jsonl).toBe(`${JSON.stringify({ question: 'How do I make a primary button?', expected: [buttons.path] })}\n`);
    const file = path.join(makeTempDir('eval-cases-'), 'eval-cases.jsonl');
    writeFileSync(file, jsonl);
    const out: string[] = [];
    const status = await runEval({ argv: [file, '--url', http.url, '--json', '--min-recall', '1', '--min-cited', '1'], env: {}, cwd: process.cwd(), out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(status, out.join('\n')).toBe(0);
    const report = JSON.parse(out.join('\n')) as { columns: { totals: { recallAt5: number; citedRight: number } }[] };
    expect(JSON.stringify(report)).toContain(buttons.path);

    const removed = await maintainer('DELETE', `/api/maintainers/eval-cases?id=${made.body.id}`);
    expect(removed.body).toEqual({ id: made.body.id, deleted: true });
    expect((await maintainer('DELETE', `/api/maintainers/eval-cases?id=${made.body.id}`)).status).toBe(404);
    expect((await maintainer('GET', '/api/maintainers/eval-cases')).body).toEqual({ data: [] });
  });
});

import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { getDashboardForMaintainers, resolveDashboardWindow } from '@/lib/maintainers/dashboard';
import { judgedShare } from '@/lib/maintainers/grades/grade';
import { GRADE_JUDGE_INSTRUCTIONS, GRADE_JUDGE_INSTRUCTIONS_START } from '@/lib/maintainers/grades/judge';
import { createTestApp } from '../helpers/app';
import { onlyLocalUnhandled } from '../helpers/instances';
import { answer, chatDialect, docsCall, failWith, scriptModel, toolCalls, type TReply } from '../helpers/openai';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// The model as a judge (EVAL_SAMPLE): with a model configured, the sampled answers are graded by it too, and it is
// sent only the reader's question, the answer and the sections the answer cites — asserted on the request the model
// server received (Chat Completions at the network edge): not the conversation's other messages, not who asked.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterAll(() => server.close());

let app: TApp | undefined;
let http: TTestServer | undefined;
afterEach(async () => {
  server.resetHandlers();
  await http?.close();
  await app?.db.close();
  app = http = undefined;
});

const EARLIER = 'Earlier question about ZEBRA-PRIVATE-PROJECT deadlines?';
const QUESTION = 'How do I create a Slack bot token?';

/** The site's runs: search, then answer with a link to the first result. The judge: a verdict, or what the test says. */
function replies(judge: () => TReply) {
  return (body: any): TReply => {
    const messages = body.messages as { role: string; content: string | null }[];
    if ((messages[0]?.content ?? '').startsWith(GRADE_JUDGE_INSTRUCTIONS_START)) return judge();
    const last = messages.at(-1)!;
    if (last.role === 'user') return toolCalls(docsCall(last.content ?? '', `call_${messages.length}`));
    const results = (JSON.parse(last.content ?? '{}') as { results?: { title: string; url: string }[] }).results ?? [];
    return answer(results[0] ? `Follow [${results[0].title}](${results[0].url}).` : 'The docs do not cover it.');
  };
}

describe('the model as a judge of a sampled share', () => {
  it('sends only the question, the answer and its cited sections, and its worse grade is the one counted', async () => {
    const verdict: TReply = answer('{"grade": "not_answered", "reason": "It links a page but never says how to make the token."}');
    const model = scriptModel(chatDialect, [replies(() => verdict)]);
    server.use(model.handler);
    app = await createTestApp({ env: { ...chatDialect.env, EVAL_SAMPLE: '1' } });
    const current = app;
    expect(judgedShare(current)).toBe(1);
    http = await startTestServer(current);
    const reader = createClient(http.url);
    const threadId = ((await reader.post('/api/paste-assistant-thread')).body as { id: string }).id;
    expect((await reader.post('/api/paste-assistant-message', { threadId, message: EARLIER })).body.run.status).toBe('completed');
    expect((await reader.post('/api/paste-assistant-message', { threadId, message: QUESTION })).body.run.status).toBe('completed');
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}?order=asc`)).body.data as {
      id: string;
      role: string;
      content: { text: { value: string; annotations: { url: string }[] } }[];
    }[];
    const last = messages.at(-1)!;
    const cited = last.content[0]!.text.annotations.map((annotation) => annotation.url);
    expect(cited.length).toBe(1);
    await querySql(current.db, `update assistant_message set created_at = created_at - interval '2 hours' where thread_id = $1`, [threadId]);

    expect(await current.grading.gradeSettled()).toBe(2);
    const before = model.requests.length;
    // The model fails once: nothing is recorded, and the next round asks again.
    server.use(scriptModel(chatDialect, [failWith(401, { error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key' } })]).handler);
    expect(await current.grading.judgeSampled()).toBe(0);
    server.resetHandlers(model.handler);
    expect(await current.grading.judgeSampled()).toBe(2);
    expect(await current.grading.judgeSampled()).toBe(0);

    const judged = model.requests.slice(before).filter((request) => chatDialect.instructions(request.body).startsWith(GRADE_JUDGE_INSTRUCTIONS_START));
    expect(judged).toHaveLength(2);
    const request = judged.find((entry) => JSON.parse(entry.body.messages[1].content).question === QUESTION)!.body;
    // Exactly two messages (the instructions and the quoted data), no tools, nothing else about the reader or the site.
    expect(request.messages).toHaveLength(2);
    expect(request.messages[0].content).toBe(GRADE_JUDGE_INSTRUCTIONS);
    expect(request.messages[1].role).toBe('user');
    expect(request.tools ?? []).toEqual([]);
    const sent = JSON.parse(request.messages[1].content) as { question: string; answer: string; sections: { url: string; heading: string; text: string }[] };
    expect(Object.keys(sent).sort()).toEqual(['answer', 'question', 'sections']);
    expect(sent.question).toBe(QUESTION);
    expect(sent.answer).toBe(last.content[0]!.text.value);
    expect(sent.sections).toHaveLength(1);
    expect(sent.sections[0]).toMatchObject({ url: cited[0], heading: 'Creating a bot token' });
    expect(sent.sections[0]!.text).toMatch(/bot token/i);
    expect(Object.keys(sent.sections[0]!).sort()).toEqual(['heading', 'text', 'url']);
    const raw = JSON.stringify(request);
    expect(raw).not.toContain('ZEBRA-PRIVATE-PROJECT');
    expect(raw).not.toContain(threadId);

    // Offline it answered; the model's grade is worse, so it is the one counted, with its reason.
    const { rows } = await querySql<{ grade: string; judge_grade: string; judge_reason: string }>(
      current.db,
      'select grade, judge_grade, judge_reason from answer_grade where message_id = $1',
      [last.id],
    );
    expect(rows[0]).toEqual({ grade: 'answered', judge_grade: 'not_answered', judge_reason: 'It links a page but never says how to make the token.' });
    const view = await getDashboardForMaintainers({ deps: current, window: resolveDashboardWindow({ days: 7 }) });
    // The earlier question's answer said the docs don't cover it: the model agreeing makes nothing worse.
    expect(view.grades!.judge).toEqual({ sample: 1, sampled: 2, judged: 2, worse: 1 });
    const worst = view.grades!.week.worst.find((item) => item.messageId === last.id);
    expect(worst).toMatchObject({ grade: 'not_answered', judge: { grade: 'not_answered', reason: 'It links a page but never says how to make the token.' } });
  });

  it('judges nothing with the offline model', () => {
    expect(judgedShare({ model: { mode: 'offline' }, config: { grades: { evalSample: 0.5, idleSeconds: 1800, rephraseSeconds: 600 } } })).toBe(0);
    expect(judgedShare({ model: { mode: 'chat' }, config: { grades: { evalSample: 0.5, idleSeconds: 1800, rephraseSeconds: 600 } } })).toBe(0.5);
  });
});

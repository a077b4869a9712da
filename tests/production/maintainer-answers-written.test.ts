import { describe, expect, inject, it } from 'vitest';
import { PRODUCTION_MAINTAINER_TOKEN } from './helpers/global-setup';
import { answeredThread, mainClient, type TClient } from './helpers/tier';

// Issue 56, item 5, under `next start`: a maintainer writes a question and its answer on the dashboard's route
// (POST /api/maintainers/answers without an id), proposed or approved at once; approved, a reader's search finds it
// and the reader's answer cites it, as a Slack-born one; its links meet the answers' link policy on its page; the
// error contract (401, 403, 400, 405, 409, 413). The words are this file's own (a made-up product), so that the
// tier's other files never meet its answers.

const BEARER = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
const run = Date.now().toString(36);

type TAnswer = { id: number; question: string; answer: string; status: string; origin: string; createdAt: string; decidedAt: string | null; url?: string };

const post = (client: TClient, json: unknown, headers: Record<string, string> = BEARER) => client.request('POST', '/api/maintainers/answers', { json, headers });
const answerUrls = async (client: TClient, prompt: string) =>
  ((await client.post('/api/docs-search', { prompt, limit: 10 })).body.data as { kind: string; url: string }[]).filter((hit) => hit.kind === 'answer').map((hit) => hit.url);

describe('maintainers’ answers written on the dashboard (next start)', () => {
  it('written and approved in one step: a reader’s search finds it and the reader’s answer cites it; its page keeps the link policy', async () => {
    const maintainer = mainClient();
    const reader = mainClient();
    const otherWords = `Why does the Brindlewort carousel skip slides on touch screens?`;
    expect(await answerUrls(reader, otherWords)).toEqual([]);

    const written = await post(maintainer, {
      question: `Does the Brindlewort carousel skip slides when swiped on a touch screen? (${run})`,
      answer: `Yes, before 3.2: set \`brindlewortSwipeLock\` to true. See [the guide](https://example.com/brindlewort) or [this](javascript:alert(1)); mail help.${run}@example.com.`,
      status: 'approved',
    });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const answer = written.body as TAnswer;
    expect(answer).toMatchObject({ status: 'approved', origin: 'dashboard', url: `/docs/answers/${answer.id}` });
    // Masked as it is published, as an edit is.
    expect(answer.answer).not.toContain('@example.com');

    const listed = (await maintainer.get('/api/maintainers/answers', BEARER)).body as { approved: TAnswer[] };
    expect(listed.approved.find((item) => item.id === answer.id)).toMatchObject({ origin: 'dashboard', status: 'approved' });

    // Found by search at once, and cited by a reader's answer (the fake model cites the tool's first result).
    expect(await answerUrls(reader, otherWords)).toEqual([`/docs/answers/${answer.id}`]);
    const { threadId } = await answeredThread(reader, otherWords);
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    const cited = (messages.body.data as { role: string; content: { text: { value: string; annotations: unknown[] } }[] }[]).find((message) => message.role === 'assistant')!;
    expect(cited.content[0]!.text.value).toContain(`(/docs/answers/${answer.id})`);
    expect(JSON.stringify(cited.content[0]!.text.annotations)).toContain(`/docs/answers/${answer.id}`);

    const page = await fetch(`${inject('mainUrl')}/docs/answers/${answer.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Answered by the maintainers (');
    expect(html).toContain('href="https://example.com/brindlewort"');
    expect(html).not.toContain('javascript:alert');
    expect(html).not.toContain(`help.${run}@example.com`);

    // Withdrawn: back to proposed, then rejected; search forgets it at once.
    expect((await post(maintainer, { id: answer.id, status: null })).body).toMatchObject({ status: 'proposed', origin: 'dashboard' });
    expect(await answerUrls(reader, otherWords)).toEqual([]);
    expect((await post(maintainer, { id: answer.id, status: 'rejected' })).body).toMatchObject({ status: 'rejected' });
    expect((await fetch(`${inject('mainUrl')}/docs/answers/${answer.id}`)).status).toBe(404);
  });

  it('written as a proposal: not searchable until approved, edited and approved by id; the same question again is a 409', async () => {
    const maintainer = mainClient();
    const reader = mainClient();
    const question = `Can the Snorkelbane tooltip open on focus only? (${run})`;
    const otherWords = 'Snorkelbane tooltip keyboard focus without hover';
    const written = await post(maintainer, { question, answer: 'Yes: pass snorkelbaneTrigger="focus".', status: null });
    expect(written.status).toBe(201);
    const proposal = written.body as TAnswer;
    expect(proposal).toMatchObject({ status: 'proposed', origin: 'dashboard', decidedAt: null });
    expect(proposal.url).toBeUndefined();
    expect(await answerUrls(reader, otherWords)).toEqual([]);

    const again = await post(maintainer, { question: `  can the snorkelbane tooltip   open on focus only? (${run}) `, answer: 'Another answer.', status: 'approved' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: { code: 'conflict', message: expect.stringContaining(String(proposal.id)) } });

    const approved = await post(maintainer, { id: proposal.id, status: 'approved', answer: 'Yes: pass snorkelbaneTrigger="focus" to the Snorkelbane tooltip.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: proposal.id, status: 'approved', origin: 'dashboard' });
    expect(await answerUrls(reader, otherWords)).toEqual([`/docs/answers/${proposal.id}`]);
    expect((await post(maintainer, { id: proposal.id, status: 'rejected' })).status).toBe(200);
  });

  it('keeps the error contract: 401 without the token, 403 cross-site, 400 for bad input, 405, 413', async () => {
    const anyone = mainClient();
    const draft = { question: `Who may write answers? (${run})`, answer: 'Maintainers only.', status: 'approved' };
    const denied = await post(anyone, draft, {});
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await post(anyone, draft, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    const foreign = await post(anyone, draft, { ...BEARER, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);

    const maintainer = mainClient();
    for (const body of [
      { question: 'No answer?', status: 'approved' },
      { answer: 'No question.', status: null },
      { question: 'No status?', answer: 'None.' },
      { question: '   ', answer: 'Blank question.', status: null },
      { question: 'Rejected at birth?', answer: 'No.', status: 'rejected' },
      { question: 'Too long?', answer: 'x'.repeat(8001), status: null },
      { question: 'q'.repeat(4001), answer: 'Too long a question.', status: null },
      { question: 'Extra?', answer: 'Extra.', status: null, origin: 'slack' },
    ]) {
      const bad = await post(maintainer, body);
      expect(bad.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(bad.body).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    }
    const put = await maintainer.request('PUT', '/api/maintainers/answers', { json: draft, headers: BEARER });
    expect(put.status).toBe(405);
    const huge = await post(maintainer, { question: 'Huge?', answer: 'x'.repeat(2_000_000), status: null });
    expect(huge.status).toBe(413);
    const listed = (await maintainer.get('/api/maintainers/answers', BEARER)).body as { proposed: TAnswer[]; approved: TAnswer[] };
    expect([...listed.proposed, ...listed.approved].some((item) => item.question.startsWith('Who may write answers?'))).toBe(false);
  });
});

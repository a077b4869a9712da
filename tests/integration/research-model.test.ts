import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer, type TMessage } from '../helpers/chat-server';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// A research run with a model (issue 71): a scripted Chat Completions server on 127.0.0.1 (a real socket) plays a
// model that researches. It is told it researches, searches with queries rewritten into the docs' words, reads the page
// its searches found, and searches on until the run's step bound takes its tools away and tells it to answer and say
// so; its answer's links are checked against what the run read (a link to an indexed page it never read is unlinked).

let model: TChatServer;
let app: TApp;
let api: TTestServer;
const REWRITTEN = ['Slack bot token scope', 'Slack channel id invite'];

beforeAll(async () => {
  model = await startChatServer({
    script: ({ messages, hasTools }) => {
      const rounds = messages.filter((message) => message.role === 'assistant' && message.tool_calls);
      if (!hasTools) {
        return {
          text:
            '**Summary.** Invite the bot to the channel ([Choosing the channel](/docs/guides/slack#choosing-the-channel)) after creating its token. ' +
            'A destructive button warns ([Destructive button](/docs/guides/buttons#destructive-button)). The research stopped at its limit before it was done.',
        };
      }
      if (rounds.length === 0) return { calls: REWRITTEN.map((prompt) => ({ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) })) };
      if (rounds.length === 1) {
        const found = JSON.parse(messages.at(-1)?.content ?? '{}') as { results?: { url: string }[] };
        const page = (found.results?.[0]?.url ?? '/docs/guides/slack').split('#')[0];
        return { calls: [{ name: 'read_page', arguments: JSON.stringify({ url: page }) }] };
      }
      // It would search on for ever: the step bound stops it.
      return { calls: [{ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: `Slack notifications ${rounds.length}` }) }] };
    },
  });
  app = await createTestApp({ env: { OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model', OPENAI_RETRY_BASE_MS: '1', RESEARCH_MAX_STEPS: '4' } });
  api = await startTestServer(app);
});

afterAll(async () => {
  await api?.close();
  await app?.db.close();
  await model?.close();
  setApp(undefined);
});

describe('a research run with a scripted model', () => {
  it('plans, searches with rewritten queries, reads, stops at its step bound and answers citing only what it read', async () => {
    const reader = createClient(api.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const before = model.requests.length;
    const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'How do I get pinged in Slack?', mode: 'research' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    const steps = model.requests.slice(before).filter((request) => request.body.messages.some((message: TMessage) => message.role === 'user' && message.content === 'How do I get pinged in Slack?'));
    // RESEARCH_MAX_STEPS=4: three steps of tools, then the answer.
    expect(steps).toHaveLength(4);
    const system = (index: number) => steps[index]!.body.messages.find((message: TMessage) => message.role === 'system').content as string;
    expect(system(0)).toMatch(/This is a research question/);
    expect(system(0)).toMatch(/You have 3 more step\(s\)/);
    expect(steps[0]!.body.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(expect.arrayContaining(['get_relevant_docs', 'read_page']));
    // The last step is offered no tools and told to answer from what it read.
    expect(steps[3]!.body.tools ?? []).toEqual([]);
    expect(system(3)).toMatch(/answer now from what you have read/);

    const { rows } = await querySql<{ tool_rounds: { tool_calls: { function: { name: string; arguments: string } }[] }[]; options: Record<string, unknown> }>(
      app.db,
      'select tool_rounds, options from assistant_run where id = $1',
      [sent.body.run.id],
    );
    const calls = rows[0]!.tool_rounds.map((round) => round.tool_calls.map((call) => `${call.function.name} ${JSON.parse(call.function.arguments).prompt ?? JSON.parse(call.function.arguments).url}`));
    expect(calls).toEqual([REWRITTEN.map((query) => `get_relevant_docs ${query}`), ['read_page /docs/guides/slack'], ['get_relevant_docs Slack notifications 2']]);

    const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
    const answer = messages.body.data[1];
    const text: string = answer.content[0].text.value;
    expect(text).toContain('[Choosing the channel](/docs/guides/slack#choosing-the-channel)');
    // An indexed section the run was never given (on a page it did not read): its link is its plain text, and no citation.
    expect(text).toContain('A destructive button warns (Destructive button)');
    expect(answer.content[0].text.annotations.map((annotation: { url: string }) => annotation.url)).toEqual(['/docs/guides/slack#choosing-the-channel']);
    expect(answer.metadata.research_unread_links).toBe(1);
    // A model's research answer is marked research too (the engine marks it): no "Research this" under it.
    expect(answer.metadata.research).toBe(true);
  });
});

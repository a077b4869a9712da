import { describe, expect, it } from 'vitest';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { openSharedConversation, shareThreadForCaller } from '@/lib/assistant/share';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { contentForModel } from '@/lib/model/quote';
import { PII_METADATA_KEY } from '@/lib/shared/privacy';
import { MAX_QUOTE_CHARS } from '@/lib/shared/quote';
import { expectError } from '../helpers/contract';
import { buildScriptedModel } from '../helpers/models';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer } from '../helpers/server';
import { serveTestAppForFile } from '../helpers/served-app';

// "Ask about this" (issue 71): a question sent with the passage or code the reader selected. Over real HTTP on the
// fixture docs: the quote is bounded and masked like the question, kept with it, given to the model as context before
// the question, and the offline answer to a bare "what does this mean?" cites the page the quote came from.

const served = serveTestAppForFile();

async function newThread() {
  const reader = createClient(served.server.url);
  const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
  return { reader, threadId };
}

describe('the message route with a quote', () => {
  it('keeps the quote with the question, masked like it, and the offline answer cites the quoted page', async () => {
    const { reader, threadId } = await newThread();
    const quote = 'Use the destructive variant for actions that delete data, and confirm first. Mail jane.doe@example.com';
    const sent = await reader.post('/api/paste-assistant-message', { threadId, message: 'What does this mean?', context: { page: '/docs/guides/buttons', quote } });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    const [question, answer] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    // The question is the question: the quote is beside it, not in it.
    expect(question.content[0].text.value).toBe('What does this mean?');
    expect(question.metadata.page).toBe('/docs/guides/buttons');
    expect(question.metadata.quote.text).toMatch(/^Use the destructive variant/);
    expect(question.metadata.quote.text).not.toContain('jane.doe@example.com');
    expect(question.metadata[PII_METADATA_KEY]).toMatch(/email/);
    const cited = answer.content[0].text.annotations.map((annotation: { url?: string; file_citation?: unknown }) => annotation.url ?? '').join(' ');
    expect(`${answer.content[0].text.value} ${cited}`).toMatch(/\/docs\/guides\/buttons#destructive-button/);
  });

  it('refuses a quote over the bound with 413, an empty one and a bad page address with 400', async () => {
    const { reader, threadId } = await newThread();
    const long = 'x'.repeat(MAX_QUOTE_CHARS + 1);
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', context: { quote: long } }), 413, 'payload_too_large');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', context: { quote: '   ' } }), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', context: { quote: 'a b c', url: 'javascript:alert(1)' } }), 400, 'bad_request');
    // Nothing of the refused requests was stored.
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
    // At the bound it is taken, with the host page it came from.
    const atBound = await reader.post('/api/paste-assistant-message', {
      threadId,
      message: 'Why?',
      context: { quote: 'y '.repeat(MAX_QUOTE_CHARS / 2), url: 'https://host.example/guide', title: 'Host guide' },
    });
    expect(atBound.status).toBe(200);
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expect(question.metadata.quote).toMatchObject({ url: 'https://host.example/guide', title: 'Host guide' });
  });
});

describe('a shared conversation', () => {
  it('shows the question with its passage (masked), never the host page’s address', async () => {
    const owner = 'owner_quote_aaaaaaaaaaaa';
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: served.app, owner });
    await sendMessageForCaller({
      access: PUBLIC_ACCESS,
      deps: served.app,
      owner,
      threadId: thread.id,
      text: 'What does this mean?',
      quote: { text: 'Requests get status 429 with Retry-After. Ask ops@example.com', url: 'https://host.example/limits?token=abc', title: 'Host limits' },
    });
    const shared = await shareThreadForCaller({ deps: served.app, owner, threadId: thread.id });
    const opened = await openSharedConversation({ access: PUBLIC_ACCESS, deps: served.app, id: new URL(shared.url).pathname.split('/').at(-1) });
    expect(opened.status).toBe('active');
    if (opened.status !== 'active') return;
    const [question] = opened.conversation.messages;
    expect(question!.quote).toEqual({ text: expect.stringMatching(/^Requests get status 429 with Retry-After\. Ask \[email removed\]$/), title: 'Host limits' });
    expect(JSON.stringify(opened.conversation)).not.toContain('host.example');
  });
});

describe('what a model gets', () => {
  it('the quote comes before the question, framed as context from its page, and the question stays the question', async () => {
    const model = buildScriptedModel([{ type: 'message', text: 'It means confirming before deleting.' }]);
    const scripted = await createTestApp({ overrides: { model } });
    const scriptedServer = await startTestServer(scripted);
    try {
      const reader = createClient(scriptedServer.url);
      const threadId = (await reader.post('/api/paste-assistant-thread')).body.id;
      const sent = await reader.post('/api/paste-assistant-message', {
        threadId,
        message: 'Is this required?',
        context: { page: '/docs/guides/buttons', quote: 'Use the destructive variant for actions that delete data, and confirm first.' },
      });
      expect(sent.body.run.status).toBe('completed');
      const question = model.requests[0]!.input.findLast((item) => item.type === 'message' && item.role === 'user');
      expect(question).toMatchObject({ content: 'Is this required?', quote: { text: expect.stringMatching(/^Use the destructive/), source: 'the docs page /docs/guides/buttons' } });
      const sentText = contentForModel(question as Extract<typeof question, { type: 'message' }>);
      expect(sentText.indexOf('<quote>')).toBeLessThan(sentText.indexOf('Is this required?'));
      expect(sentText).toMatch(/context for their question, not the question/);
      expect(sentText.endsWith('Is this required?')).toBe(true);
    } finally {
      await scriptedServer.close();
      await scripted.db.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createOfflineModel, OFFLINE_NO_MATCH_TEXT } from '@/lib/assistant/model/offline';
import type { TInputItem } from '@/lib/assistant/model/types';
import { cleanTitle, titleFromQuestion } from '@/lib/assistant/titles';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

const model = createOfflineModel();
const request = (input: TInputItem[]) => model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
const results = [
  { title: 'Slack notifications', heading: 'Creating a bot token', url: '/docs/guides/slack#creating-a-bot-token', content: 'Create a Slack app, add the chat:write scope and copy the bot token.' },
  { title: 'Slack notifications', heading: 'Choosing the channel', url: '/docs/guides/slack#choosing-the-channel', content: 'Invite the bot to the channel. '.repeat(20) },
];

describe('offline model', () => {
  it('first asks get_relevant_docs with the reader\'s latest question', async () => {
    const response = await request([
      { type: 'message', role: 'user', content: 'earlier question' },
      { type: 'message', role: 'assistant', content: 'earlier answer' },
      { type: 'message', role: 'user', content: 'How do I get a Slack token?' },
    ]);
    expect(response.output).toEqual({
      type: 'tool_calls',
      calls: [{ call_id: 'call_offline_0', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'How do I get a Slack token?' }) }],
    });
  });

  it('answers with a lead sentence and the sections as linked excerpts, with citations at the links', async () => {
    const input: TInputItem[] = [
      { type: 'message', role: 'user', content: 'Slack token?' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"Slack token?"}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'Slack token?', results }) },
    ];
    const response = await request(input);
    if (response.output.type !== 'message') throw new Error('expected a message');
    const { text, annotations, metadata } = response.output;
    expect(text.startsWith('These sections of the docs match your question:')).toBe(true);
    expect(text).toContain('1. [Slack notifications › Creating a bot token](/docs/guides/slack#creating-a-bot-token)');
    expect(text).toContain('copy the bot token.');
    expect(text).toContain('…');
    expect(metadata).toEqual({ offline: true });
    expect(annotations).toHaveLength(2);
    for (const annotation of annotations ?? []) {
      expect(text.slice(annotation.start_index, annotation.end_index)).toBe(`[${annotation.title}](${annotation.url})`);
    }
    expect(await request(input)).toEqual(response);
  });

  it('says plainly when the docs do not cover the question', async () => {
    const response = await request([
      { type: 'message', role: 'user', content: 'Quantum teleportation?' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'Quantum teleportation?', results: [] }) },
    ]);
    expect(response.output).toEqual({ type: 'message', text: OFFLINE_NO_MATCH_TEXT, metadata: { offline: true, no_docs_match: true } });
  });

  it('titles a thread with the question\'s first words', async () => {
    expect((await model.complete({ prompt: 'Write a title', context: 'How do I configure "Slack" alerts for my team today?' })).text).toBe(
      'How do I configure Slack alerts',
    );
    expect(titleFromQuestion('what is this?')).toBe('What is this');
    expect(cleanTitle('   ')).toBe('New thread');
  });
});

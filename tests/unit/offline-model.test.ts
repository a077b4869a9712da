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

describe('offline excerpts', () => {
  const answerFor = async (content: string) => {
    const response = await request([
      { type: 'message', role: 'user', content: 'q' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"q"}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'q', results: [{ title: 'T', heading: 'H', url: '/docs/t#h', content }] }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    return response.output.text;
  };

  it('quotes the prose of a section, leaving its code blocks and tables out', async () => {
    const text = await answerFor('Run the tests with one command.\n\n```bash\nnpm test\n```\n\n| Variable | Default |\n| `A` | 1 |\n\nThey need no network.');
    expect(text).toContain('Run the tests with one command. They need no network.');
    expect(text).not.toContain('npm test');
    expect(text).not.toContain('| Variable');
  });

  it('shows a code-only section as an indented code block inside the list item', async () => {
    const text = await answerFor('```bash\ncurl -X POST localhost:3000/api/paste-assistant-thread\n```');
    expect(text).toContain('1. [T › H](/docs/t#h)\n   ```bash\n   curl -X POST localhost:3000/api/paste-assistant-thread\n   ```');
  });

  it('never cuts an excerpt inside inline code', async () => {
    const text = await answerFor(`${'word '.repeat(44)}then \`SOME_VARIABLE_NAME_THAT_RUNS_LONG\` and more words after it`);
    const excerptLine = text.split('\n').find((line) => line.endsWith('…')) ?? '';
    expect((excerptLine.match(/`/g) ?? []).length % 2).toBe(0);
  });
});

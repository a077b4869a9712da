import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/model/offline';
import { ENGLISH_DOCS_NOTES } from '@/lib/model/offline/language-note';
import type { TInputItem } from '@/lib/model/types';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

// The offline model quotes the English docs whatever the question's language, and tells a reader who asked in
// another language so, in that language (lib/model/offline/language-note.ts).

const model = createOfflineModel();
const results = [
  { title: 'Slack notifications', heading: 'Creating a bot token', url: '/docs/guides/slack#creating-a-bot-token', content: 'Create a Slack app, add the chat:write scope and copy the bot token.' },
];

async function answer(question: string, evidence: 'strong' | 'weak' = 'strong') {
  const input: TInputItem[] = [
    { type: 'message', role: 'user', content: question },
    { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: question, evidence, results: evidence === 'weak' ? [] : results }) },
  ];
  const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
  if (response.output.type !== 'message') throw new Error('expected a message');
  return response.output;
}

describe('the offline answer in the reader’s language', () => {
  it.each([
    ['fr', 'Comment créer un jeton de bot Slack ?'],
    ['es', '¿Cómo creo un token de bot de Slack?'],
    ['de', 'Wie erstelle ich ein Slack-Bot-Token?'],
    ['pt', 'Como eu crio um token de bot do Slack?'],
  ])('%s: opens with the note in that language, and still cites the section at the right place', async (language, question) => {
    const { text, annotations, metadata } = await answer(question);
    const note = ENGLISH_DOCS_NOTES[language as keyof typeof ENGLISH_DOCS_NOTES];
    expect(note).toBeTruthy();
    expect(text.startsWith(`_${note}_\n\n`)).toBe(true);
    expect(metadata).toMatchObject({ offline: true, language });
    expect(annotations).toHaveLength(1);
    const [citation] = annotations ?? [];
    expect(citation?.url).toBe('/docs/guides/slack#creating-a-bot-token');
    expect(text.slice(citation?.start_index, citation?.end_index)).toBe(citation?.title);
  });

  it('says it in the reader’s language when the docs do not cover the question too', async () => {
    const { text, metadata } = await answer('Pourquoi est-ce que le composant ne marche pas sur mon téléphone ?', 'weak');
    expect(text.startsWith(`_${ENGLISH_DOCS_NOTES.fr}_`)).toBe(true);
    expect(metadata).toMatchObject({ no_docs_match: true, language: 'fr' });
  });

  it('adds nothing to an English question’s answer', async () => {
    const { text, metadata } = await answer('How do I create a Slack bot token?');
    expect(text.startsWith('**')).toBe(true);
    expect(metadata).toEqual({ offline: true });
  });

  it('has a note for every language it detects but English, each different', () => {
    const notes = Object.entries(ENGLISH_DOCS_NOTES);
    expect(notes.length).toBeGreaterThanOrEqual(7);
    expect(new Set(notes.map(([, note]) => note)).size).toBe(notes.length);
  });
});

import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/model/offline';
import { ENGLISH_DOCS_NOTES } from '@/lib/model/offline/language-note';
import { OFFLINE_LINES } from '@/lib/model/offline/lines';
import type { TInputItem } from '@/lib/model/types';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { QUESTION_LANGUAGES } from '@/lib/relevance/language';

// The offline answer's own lines (lib/model/offline/lines.ts) come in the question's language; the quoted docs stay
// English as written.

const model = createOfflineModel();
const slack = { title: 'Slack notifications', heading: 'Creating a bot token', url: '/docs/guides/slack#creating-a-bot-token', content: 'Create a Slack app, add the chat:write scope and copy the bot token.' };
const other = { title: 'Embedding', heading: 'The loader', url: '/docs/embed#the-loader', content: 'Add the widget script to your page.' };

async function answer(question: string, results: object[], evidence: 'strong' | 'weak' = 'strong') {
  const input: TInputItem[] = [
    { type: 'message', role: 'user', content: question },
    { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: question, evidence, results }) },
  ];
  const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
  if (response.output.type !== 'message') throw new Error('expected a message');
  return response.output.text;
}

describe('the offline answer’s own lines in the question’s language', () => {
  it.each([
    ['fr', 'Comment créer un jeton de bot Slack ?'],
    ['es', '¿Cómo creo un token de bot de Slack?'],
    ['de', 'Wie erstelle ich ein Slack-Bot-Token?'],
  ] as const)('%s: the opening, Related and the searched line are in that language; the quote is English', async (language, question) => {
    const text = await answer(question, [slack, other]);
    const lines = OFFLINE_LINES[language];
    // Its words are not the docs' (English): the answer says what it found, not that it answers (issue 56, item 2).
    expect(text.startsWith(`_${ENGLISH_DOCS_NOTES[language]}_\n\n**${slack.title} › ${slack.heading}** ${lines.lowConfidence}`)).toBe(true);
    expect(text).toContain(`**${lines.related}**`);
    expect(text).toContain(`_${lines.searched.replace('{queries}', `“${question}”`)}_`);
    expect(text).toContain(slack.content);
    expect(text).not.toContain(OFFLINE_LINES.en.lowConfidence);
    expect(text).not.toContain('**Related**');
  });

  it('says the docs do not cover it in French, with the search link', async () => {
    const question = 'Pourquoi est-ce que le composant ne marche pas sur mon téléphone ?';
    const text = await answer(question, [], 'weak');
    expect(text).toContain(OFFLINE_LINES.fr.notCovered);
    expect(text).toContain(OFFLINE_LINES.fr.askAgain);
    expect(text).toMatch(/\[chercher dans la documentation\]\(\/docs[^)]*\)/);
    expect(text).not.toContain(OFFLINE_LINES.en.notCovered);
  });

  it('keeps an English question’s answer as it was', async () => {
    const text = await answer('How do I create a Slack bot token?', [slack, other]);
    expect(text.startsWith(`**${slack.title} › ${slack.heading}**\n\n`)).toBe(true);
    expect(text).toContain('**Related**');
    expect(text).toContain('_Searched the docs for “How do I create a Slack bot token?”._');
  });

  it('every detected language has every line, and no line is left in English', () => {
    const keys = Object.keys(OFFLINE_LINES.en).sort();
    for (const language of QUESTION_LANGUAGES) {
      expect(Object.keys(OFFLINE_LINES[language]).sort()).toEqual(keys);
      if (language === 'en') continue;
      for (const key of keys) {
        const line = OFFLINE_LINES[language][key as keyof typeof OFFLINE_LINES.en];
        expect(line === OFFLINE_LINES.en[key as keyof typeof OFFLINE_LINES.en], `${language}.${key}`).toBe(false);
        // The placeholders survive translation.
        expect(line.match(/\{\w+\}/g) ?? []).toEqual(OFFLINE_LINES.en[key as keyof typeof OFFLINE_LINES.en].match(/\{\w+\}/g) ?? []);
      }
    }
  });
});

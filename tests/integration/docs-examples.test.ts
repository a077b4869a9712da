import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantTools } from '@/lib/assistant/tools';
import type { TDb } from '@/lib/db/types';
import { listDocFiles } from '@/lib/docs/folder/load';
import { readSiteConfig } from '@/lib/docs/site/site-config';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { offlineAnswer } from '../../scripts/lib/answer-eval';
import { indexIntoMemory } from '../../scripts/lib/search-eval';

// Issue 69, item 1: every example question this site's docs show a reader leads with the section it is there to
// illustrate. The questions are read from the docs themselves (content/docs and the README), as they mark them: a
// question in quotes followed by the link, in parentheses, to the section that answers it
// ('"how do I send conversations to Slack?" ([Slack setup › Configure the server](/docs/guides/slack#configure-the-server))').
// The panel's suggested questions (the index page's front matter, `assistant.questions`) are shown to every reader, so
// each must be shown so in the docs too. A new example is checked without a change here. Asked of the offline assistant
// with the server's defaults, as a reader asks it: the answer's first source is that section (or that page, when the
// link names no section), and the answer starts with it.

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS_DIR = path.join(ROOT, 'content/docs');

/** A quoted question, then a parenthesised Markdown link to a docs page (its label may wrap across lines). */
const EXAMPLE = /["“]([^"”]+\?)["”]\s*\(\[[^\]]+\]\((\/docs[^)\s]*)\)\)/g;

type TExample = { question: string; url: string; file: string };

/** Every marked example of a Markdown file, outside its code blocks. */
function examplesOf(file: string): TExample[] {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return [...text.matchAll(EXAMPLE)].map((match) => ({ question: match[1]!.replace(/\s+/g, ' ').trim(), url: match[2]!, file: path.relative(ROOT, file) }));
}

const examples = [...listDocFiles(DOCS_DIR).map((file) => path.join(DOCS_DIR, file)), path.join(ROOT, 'README.md')].flatMap(examplesOf);

describe('the example questions the docs show a reader', () => {
  let db: TDb;

  beforeAll(async () => {
    ({ db } = await indexIntoMemory(DOCS_DIR));
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('are there, and the panel suggests none that the docs do not show with the section it illustrates', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const shown = new Set(examples.map((example) => example.question.toLowerCase()));
    for (const suggested of readSiteConfig({ docsDir: DOCS_DIR }).assistant?.questions ?? []) expect(shown, `"${suggested}" is suggested but not shown with its section`).toContain(suggested.toLowerCase());
  });

  it.each(examples.map((example) => [example.question, example] as const))('"%s" leads with the section it illustrates', async (_question, example) => {
    const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const answer = await offlineAnswer({ tools, model: createOfflineModel(), question: example.question });
    const lead = answer.annotations?.[0]?.url ?? '';
    const expected = example.url.includes('#') ? lead : lead.split('#')[0];
    expect(expected, `${example.file}: "${example.question}" led with ${lead || 'nothing'}:\n${answer.text.slice(0, 300)}`).toBe(example.url);
    // It starts with that section, not with a line about the answer.
    expect(answer.text.startsWith(`**${answer.annotations?.[0]?.title.replace(/[\\`*_[\]<>#|]/g, '\\$&')}**`)).toBe(true);
  });
});

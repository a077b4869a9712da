import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { groupByWeightedWords, groupQuestions } from '@/lib/maintainers/gaps/grouping';
import { groupBySimilarity } from '@/lib/maintainers/similarity';
import { createTestApp } from '../helpers/app';

// Topics offline, on this site's own docs (content/docs: a real index in PGlite): four wordings of one thing the docs never
// mention (faxing a transcript) share few words with each other, but the words they share are the ones the docs
// don't use, which is what weighs. Plain shared stems leave them apart.

const FAX = ['How do I fax a transcript of my conversation?', 'Can I send the chat transcript by fax?', 'Is faxing a transcript supported?', 'fax the transcript to my team'];
// Written after the weights were chosen, never used to choose them.
const POWERPOINT = ['Can I export the dashboard as a PowerPoint deck?', 'Is there a PowerPoint export of the report?', 'How do I get the weekly report into PowerPoint slides?'];
const OTHER = ['How do I change the width of the assistant panel?', 'Can I send the conversation to Slack?'];
// Issue 54: four readers ask about Microsoft Teams in their own words; the name, written out, abbreviated or cut
// short, is what they share. The others share common words with them (channels, conversations, the bot, answers)
// but name something else, or nothing.
const TEAMS = ['answer in Microsoft Teams channels', 'a Microsoft Teams integration like the Slack one', 'connect the bot to MS Teams', 'post conversations to a Teams channel'];
const COMMON_WORDS = ['post conversations to a Discord channel', 'connect the bot to our CRM', 'answer in our support channels'];
let app: TApp;

beforeAll(async () => {
  app = await createTestApp({ env: { DOCS_DIR: path.join(process.cwd(), 'content/docs') } });
});
afterAll(async () => {
  await app.db.close();
});

describe('grouping readers\' questions into topics, offline', () => {
  it('puts four wordings of one missing thing in one topic, and questions about other things apart', async () => {
    const groups = await groupQuestions({ deps: { embedder: null, log: app.log, db: app.db }, items: [...FAX, ...OTHER], textOf: (text) => text });
    expect(groups).toContainEqual(FAX);
    for (const other of OTHER) expect(groups).toContainEqual([other]);
  });

  it('does the same for wordings it was not tuned on', async () => {
    const groups = await groupQuestions({ deps: { embedder: null, log: app.log, db: app.db }, items: [...POWERPOINT, ...FAX], textOf: (text) => text });
    expect(groups).toEqual([POWERPOINT, FAX]);
  });

  it('puts four wordings about Microsoft Teams in one topic ("MS Teams" and "a Teams channel" are the same name), and questions that only share common words apart', async () => {
    const groups = await groupQuestions({ deps: { embedder: null, log: app.log, db: app.db }, items: [...TEAMS, ...COMMON_WORDS], textOf: (text) => text });
    expect(groups).toContainEqual(TEAMS);
    for (const other of COMMON_WORDS) expect(groups).toContainEqual([other]);
    // In another order, the same topics (each keeps the order it was given): reversed, and shuffled.
    const deps = { embedder: null, log: app.log, db: app.db };
    const reversed = await groupQuestions({ deps, items: [...COMMON_WORDS, ...TEAMS].reverse(), textOf: (text) => text });
    expect(reversed).toContainEqual([...TEAMS].reverse());
    for (const other of COMMON_WORDS) expect(reversed).toContainEqual([other]);
    const shuffled = [TEAMS[2]!, COMMON_WORDS[0]!, TEAMS[1]!, COMMON_WORDS[2]!, TEAMS[3]!, COMMON_WORDS[1]!, TEAMS[0]!];
    const groups2 = await groupQuestions({ deps, items: shuffled, textOf: (text) => text });
    expect(groups2).toContainEqual([TEAMS[2], TEAMS[1], TEAMS[3], TEAMS[0]]);
    for (const other of COMMON_WORDS) expect(groups2).toContainEqual([other]);
  });

  it('plain shared stems (no docs index) do not group them: the weights are what does', () => {
    const plain = groupBySimilarity(FAX, (text) => text).map((group) => group.items);
    expect(plain.length).toBeGreaterThan(1);
  });

  it('weighs what is given: equal weights are a plain weighted Jaccard at the threshold', () => {
    const even = (text: string) => new Map(text.split(' ').map((word) => [word, 1]));
    expect(groupByWeightedWords(['a b', 'a b c', 'c d e'], even)).toEqual([['a b', 'a b c'], ['c d e']]);
  });
});

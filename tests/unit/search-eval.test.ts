import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, listOffTopicFiles, listQuestionSetFiles, loadOffTopicQuestions, loadQuestionSet, splitQuestionSet } from '../../scripts/lib/search-eval';

// Every JSON file in evals/ is a question set with expected pages, except the off-topic lists (off-topic*.json: no
// pages answer them), each listed by the loaders eval:search uses.
const evalFiles = listQuestionSetFiles().map((file) => path.basename(file));

describe('question sets in evals/', () => {
  it.each(evalFiles)('%s loads', (file) => {
    const set = loadQuestionSet(path.join('evals', file));
    expect(set.questions.length).toBeGreaterThan(0);
    for (const question of set.questions) expect(question.pages.length).toBeGreaterThan(0);
  });

  it.each(readdirSync('evals/checks').filter((file) => file.endsWith('.json')))('checks/%s (never fitted) loads and says it was written blind', (file) => {
    const set = loadQuestionSet(path.join('evals', 'checks', file));
    expect(set.questions.length).toBeGreaterThan(0);
    expect(set.description).toMatch(/blind/);
    expect(set.description).toMatch(/never used to fit/);
  });

  it.each(listOffTopicFiles())('%s loads as plain questions', (file) => {
    const questions = loadOffTopicQuestions(file);
    expect(questions.length).toBeGreaterThanOrEqual(12);
    for (const question of questions) expect(question.trim()).not.toBe('');
  });

  it('has both off-topic lists and leaves them out of the question sets', () => {
    expect(listOffTopicFiles().map((file) => path.basename(file))).toEqual(['off-topic-heldout.json', 'off-topic.json']);
    expect(evalFiles.some((file) => file.startsWith('off-topic'))).toBe(false);
  });

  it('paste-real splits into disjoint dev and test halves that cover every question', () => {
    const set = loadQuestionSet('evals/paste-real.json');
    const parts = splitQuestionSet(set);
    expect(parts.map((part) => part.split)).toEqual(['dev', 'test']);
    const ids = parts.flatMap((part) => part.set.questions.map((question) => question.id));
    expect(new Set(ids).size).toBe(set.questions.length);
    for (const part of parts) expect(part.set.questions.every((question) => question.split === part.split)).toBe(true);
  });

  it('a set without splits stays whole', () => {
    const set = loadQuestionSet('evals/paste-docs.json');
    expect(splitQuestionSet(set)).toEqual([{ split: 'all', set }]);
  });

  it('a split set with an unsplit question is refused', () => {
    const set = loadQuestionSet('evals/paste-real.json');
    const broken = { ...set, questions: [...set.questions, { q: 'stray', pages: ['a.mdx'] }] };
    expect(() => splitQuestionSet(broken)).toThrow(/without a split/);
  });
});

describe('evaluate', () => {
  it('scores page-level recall@1, recall@5 and MRR over the first ten results', async () => {
    const set = {
      corpus: 't',
      questions: [
        { q: 'first', pages: ['a.mdx'] },
        { q: 'third', pages: ['c.mdx', 'z.mdx'] },
        { q: 'missing', pages: ['nowhere.mdx'] },
      ],
    };
    const result = await evaluate(set, async () => ['a.mdx', 'b.mdx', 'c.mdx', 'd.mdx']);
    expect(result.recallAt1).toBeCloseTo(1 / 3);
    expect(result.recallAt5).toBeCloseTo(2 / 3);
    expect(result.mrr).toBeCloseTo((1 + 1 / 3) / 3);
    expect(result.misses.map((miss) => miss.q)).toEqual(['missing']);
  });
});

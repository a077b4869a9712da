import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/assistant/model/offline';
import type { TInputItem } from '@/lib/assistant/model/types';
import { createAssistantTools, TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import type { TDb } from '@/lib/db/types';
import { createLogger } from '@/lib/log';
import { evaluate, indexIntoMemory, loadOffTopicQuestions, loadQuestionSet, postgresSearch, splitQuestionSet } from '../../scripts/lib/search-eval';
import { PASTE_CORPUS_DIR } from '../helpers/corpus';

// Retrieval quality on the real Paste corpus, held in CI (issue 14). The floors sit just below the figures of the
// ranking that landed (supabase/migrations/20261122000001_docs_search_ranking.sql) on the test half of
// evals/paste-real.json, as re-split at 35 questions: recall@5 0.882 (15 of 17), MRR 0.706. The ranking did not
// change; the set grew, so the halves and the floor moved (23 questions: 10 of 11, MRR 0.700). A change that
// loses one of those 15 questions (14 of 17 = 0.824) fails here. Ranking is tuned on the dev half only; this test
// reads the test half.
const TEST_HALF_FLOOR = { recallAt5: 0.88, mrr: 0.7 };

const EVALS = path.resolve(import.meta.dirname, '../../evals');

describe('docs search quality on the Paste corpus', () => {
  let db: TDb;
  let tools: ReturnType<typeof createAssistantTools>;
  const model = createOfflineModel();

  beforeAll(async () => {
    ({ db } = await indexIntoMemory(PASTE_CORPUS_DIR));
    tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000' });
  }, 240_000);

  afterAll(async () => {
    await db?.close();
  });

  /** The offline assistant's answer to a question: search through the tool, then compose. */
  async function answer(question: string) {
    const input: TInputItem[] = [{ type: 'message', role: 'user', content: question }];
    const first = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
    if (first.output.type !== 'tool_calls') throw new Error('the offline model searches first');
    for (const call of first.output.calls) {
      input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
      const output = await tools.run({ id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } });
      input.push({ type: 'function_call_output', call_id: call.call_id, output });
    }
    const final = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
    if (final.output.type !== 'message') throw new Error('expected an answer');
    return final.output;
  }

  it('holds recall@5 and MRR on the held-out test half of the real questions', async () => {
    const [, test] = splitQuestionSet(loadQuestionSet(path.join(EVALS, 'paste-real.json')));
    expect(test?.split).toBe('test');
    const result = await evaluate(test!.set, postgresSearch(db));
    expect(result.recallAt5, JSON.stringify(result.misses, null, 2)).toBeGreaterThanOrEqual(TEST_HALF_FLOOR.recallAt5);
    expect(result.mrr).toBeGreaterThanOrEqual(TEST_HALF_FLOOR.mrr);
  }, 120_000);

  it('says "not covered", with no sources, to at least 11 of the 12 off-topic questions', async () => {
    const notCovered: string[] = [];
    for (const question of loadOffTopicQuestions(path.join(EVALS, 'off-topic.json'))) {
      const output = await answer(question);
      if (output.metadata?.no_docs_match === true) {
        expect(output.text).toMatch(/^The docs don't cover this/);
        expect(output.annotations).toEqual([]);
        notCovered.push(question);
      }
    }
    expect(notCovered.length).toBeGreaterThanOrEqual(11);
  }, 120_000);

  it('answers every docs question of the Paste sets with sources', async () => {
    const questions = ['paste-real.json', 'paste-docs.json'].flatMap((file) =>
      loadQuestionSet(path.join(EVALS, file)).questions.map((question) => question.q),
    );
    const withoutSources: string[] = [];
    for (const question of questions) {
      const output = await answer(question);
      if ((output.annotations ?? []).length === 0) withoutSources.push(question);
    }
    expect(withoutSources).toEqual([]);
  }, 180_000);
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineModel } from '@/lib/model/offline';
import { createAssistantTools } from '@/lib/assistant/tools';
import type { TDb } from '@/lib/db/types';
import { createLogger } from '@/lib/log';
import { getRankIndex, rankDocsSections } from '@/lib/docs/search/ranking/store';
import { crossValidate } from '../../scripts/lib/search-cv';
import { EVIDENCE_FLOOR } from '@/lib/docs/search/search';
import { crossValidateFloor, fitFloor, type TFloorSample } from '../../scripts/lib/floor-cv';
import { buildMiniSearch, evaluate, indexIntoMemory, listOffTopicFiles, listQuestionSetFiles, loadOffTopicQuestions, loadQuestionSet, questionEvidence } from '../../scripts/lib/search-eval';
import { offlineAnswer } from '../../scripts/lib/answer-eval';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Retrieval quality on the real Paste corpus, held in CI (issues 14 and 24). Measured as 5-fold cross-validation
// over every real question of evals/paste-real.json (weights fitted on four folds from the hand-set start, scored
// on the held-out fifth; scripts/lib/search-cv.ts), beside the MiniSearch BM25 baseline in the same run. The
// in-memory ranker measured recall@5 0.865 (32 of 37) and MRR 0.650 under cross-validation, BM25 0.730 and
// 0.575. The floors sit one question below (for MRR, one question's first place: 1/37 ≈ 0.027): a change that
// loses two questions at the top five, or two first places, or falls to BM25, fails here.
const CV_FLOOR = { recallAt5: 0.83, mrr: 0.62 };

const EVALS = path.resolve(import.meta.dirname, '../../evals');

describe('docs search quality on the Paste corpus', () => {
  let db: TDb;
  let tools: ReturnType<typeof createAssistantTools>;
  const model = createOfflineModel();

  beforeAll(async () => {
    ({ db } = await indexIntoMemory(PASTE_CORPUS_DIR));
    tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  });

  afterAll(async () => {
    await db?.close();
  });

  /** The offline assistant's answer to a question: search through the tool, then compose. */
  const answer = (question: string) => offlineAnswer({ tools, model, question });

  it('holds cross-validated recall@5 and MRR on the real questions, above BM25 in the same run', async () => {
    const set = loadQuestionSet(path.join(EVALS, 'paste-real.json'));
    const { index } = await getRankIndex(db);
    const cv = crossValidate(index, set.questions);
    const bm25 = await evaluate(set, buildMiniSearch(PASTE_CORPUS_DIR));
    expect(cv.questions).toBe(set.questions.length);
    expect(cv.recallAt5).toBeGreaterThanOrEqual(CV_FLOOR.recallAt5);
    expect(cv.mrr).toBeGreaterThanOrEqual(CV_FLOOR.mrr);
    expect(cv.recallAt5).toBeGreaterThan(bm25.recallAt5);
    expect(cv.mrr).toBeGreaterThan(bm25.mrr);
  }, 600_000);

  it('does not claim to answer at least 11 of the 12 off-topic questions: "not covered" with no sources, or "the docs don\'t mention" a name they ask about', async () => {
    const honest: string[] = [];
    for (const question of loadOffTopicQuestions(path.join(EVALS, 'off-topic.json'))) {
      const output = await answer(question);
      if (output.metadata?.no_docs_match !== true) continue;
      if (output.text.startsWith("The docs don't cover this")) expect(output.annotations).toEqual([]);
      else expect(output.text).toMatch(/^The docs don't mention \S/);
      expect(output.text).not.toMatch(/answers? your question/);
      honest.push(question);
    }
    // "What is the capital of France?" finds the Capitalization guidelines, and Paste's docs do name France.
    expect(honest.length).toBeGreaterThanOrEqual(11);
  });

  // Issue 54: the floor decided on held-out questions. Measured: 5-fold cross-validated, 38 of 42 off-topic questions
  // "not covered" and 174 of 179 Paste questions with sources (36 and 173 before a word the docs never write counted in
  // the evidence's share); the floors sit one question below each.
  it('holds the relevance floor as fitted on every off-topic and Paste question, and its cross-validated verdicts', async () => {
    const offTopic = listOffTopicFiles(EVALS).flatMap((file) => loadOffTopicQuestions(file));
    const covered = [...listQuestionSetFiles(EVALS), ...listQuestionSetFiles(path.join(EVALS, 'checks'))]
      .map((file) => loadQuestionSet(file))
      .filter((set) => set.corpus === 'paste-docs')
      .flatMap((set) => set.questions.map((question) => question.q));
    const [offEvidence, coveredEvidence] = [await questionEvidence(db, offTopic), await questionEvidence(db, covered)];
    const samples: TFloorSample[] = [
      ...offTopic.map((q, at) => ({ q, evidence: offEvidence[at]!, isCovered: false })),
      ...covered.map((q, at) => ({ q, evidence: coveredEvidence[at]!, isCovered: true })),
    ];
    expect(fitFloor(samples).floor).toBeCloseTo(EVIDENCE_FLOOR, 4);
    const cv = crossValidateFloor(samples);
    expect(cv.offTopic).toBe(42);
    expect(cv.offTopicWeak).toBeGreaterThanOrEqual(37);
    expect(cv.coveredStrong).toBeGreaterThanOrEqual(173);
  });

  it('says the docs do not cover "Explain quantum entanglement simply" (an outside check\'s question, now in evals/off-topic-heldout.json)', async () => {
    const output = await answer('Explain quantum entanglement simply');
    expect(output.metadata?.no_docs_match).toBe(true);
    expect(output.annotations ?? []).toEqual([]);
  }, 60_000);

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

  // A reader writes open what the docs name closed: "tool tip" for Tooltip, "top bar" for Topbar (ranking/rank.ts
  // closedCompounds). Before, none of these led, and Topbar was not in the first five.
  it('finds the page a reader names by its title written as two words', async () => {
    const cases: [string, string][] = [
      ['tool tip on hover', 'components/tooltip/index.mdx'],
      ['check box', 'components/checkbox/index.mdx'],
      ['a side bar with links', 'components/sidebar/index.mdx'],
      ['top bar of the app', 'components/topbar/index.mdx'],
      ['a text area for long comments', 'components/textarea/index.mdx'],
    ];
    for (const [question, page] of cases) expect((await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: question, limit: 5 }))[0]?.path, question).toBe(page);
  });
});

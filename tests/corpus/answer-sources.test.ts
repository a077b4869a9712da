import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantTools } from '@/lib/assistant/tools';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { getRankIndex } from '@/lib/docs/search/ranking/store';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { docsPathOf, offlineAnswer } from '../../scripts/lib/answer-eval';
import { crossValidate, crossValidateAnswers } from '../../scripts/lib/search-cv';
import { indexIntoMemory, loadQuestionSet } from '../../scripts/lib/search-eval';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';

// Issue 56, item 2, on the real Paste docs: which sections the offline answer cites. Two honest measures:
// - the real readers' questions (evals/paste-real.json), 5-fold cross-validated: each question searched with the
//   ranker's weights fitted on the other folds, and the answer composed from those results as the model composes it
//   (scripts/lib/search-cv.ts, answerSources);
// - the blind checks (evals/checks/: paraphrases and plain words, never fitted on), answered through the tool and the
//   offline model with the server's defaults, as a reader gets them.
// Measured (see MEASURED): the first source is where the search ranks first (a right page for half of the checks); a
// right page among the cited sources rose when a section on another page close behind the lead is quoted too
// (ANSWER_CHOICE.otherPage, lib/model/offline/answer.ts). The floors sit one question below what was measured; the
// cited floors fail with the change reverted (paste-real 21 of 37, the checks 59 of 94).
const MEASURED = { realLeads: 17, realCited: 30, checksFirst: 47, checksCited: 65 };

const EVALS = path.resolve(import.meta.dirname, '../../evals');

describe('the sections the offline answer cites, on the Paste corpus', () => {
  let db: TDb;

  beforeAll(async () => {
    ({ db } = await indexIntoMemory(PASTE_CORPUS_DIR));
  });

  afterAll(async () => {
    await db?.close();
  });

  it('cites a right page for the real questions, cross-validated, and leads with one as often as before', async () => {
    const { questions } = loadQuestionSet(path.join(EVALS, 'paste-real.json'));
    const { index } = await getRankIndex(db);
    const contents = new Map((await listDocsSectionsForRanking({ db })).map((section) => [section.id, section.content]));
    const cv = crossValidate(index, questions);
    expect(cv.fitted).toHaveLength(5);
    const [counts] = crossValidateAnswers([{ index, questions, contentOf: (id) => contents.get(id) }], cv.fitted);
    console.log(`paste-real, cross-validated: first source on a right page ${counts!.leads} of ${questions.length}, a right page cited ${counts!.cited}`);
    expect(counts!.cited).toBeGreaterThanOrEqual(MEASURED.realCited - 1);
    expect(counts!.leads).toBeGreaterThanOrEqual(MEASURED.realLeads - 1);
  }, 600_000);

  it('cites a right page for the blind checks, answered as a reader gets them', async () => {
    const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const model = createOfflineModel();
    const pathOf = docsPathOf(PASTE_CORPUS_DIR);
    let [questions, first, cited] = [0, 0, 0];
    for (const file of ['paste-paraphrases.json', 'paste-plain-words.json']) {
      for (const question of loadQuestionSet(path.join(EVALS, 'checks', file)).questions) {
        const answer = await offlineAnswer({ tools, model, question: question.q });
        const paths = (answer.annotations ?? []).map((annotation) => pathOf(annotation.url));
        questions += 1;
        if (paths[0] !== undefined && question.pages.includes(paths[0])) first += 1;
        if (paths.some((found) => question.pages.includes(found))) cited += 1;
        // At most three sections quoted: the rest are Related links.
        expect(paths.length).toBeLessThanOrEqual(3);
      }
    }
    console.log(`checks: first source on a right page ${first} of ${questions}, a right page cited ${cited}`);
    expect(cited).toBeGreaterThanOrEqual(MEASURED.checksCited - 1);
    expect(first).toBeGreaterThanOrEqual(MEASURED.checksFirst - 1);
  }, 600_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { createAssistantTools } from '@/lib/assistant/tools';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { docsPathOf, offlineAnswer } from '../../scripts/lib/answer-eval';
import { ranksOf, summarise } from '../../scripts/lib/search-cv';
import { judgeTwins, loadBlindCorpora, loadTwinReports, twinFigures, type TBlindCorpus, type TTwinOutcome, type TTwinReport } from '../../scripts/lib/search-blind-eval';

// Issue 69 on the blind sets, held out: the test split of evals/vite-real.json and evals/pnpm-real.json (real readers'
// questions written before the code, never tuned on), searched with the server's default weights and answered by the
// offline assistant as a reader gets it; and every report of evals/bug-reports/vite-pnpm.json beside its one-line twin.
// `npm run eval:search -- --blind-only` prints these figures with each corpus held out of the fit and BM25 beside them.
// The goals (BLIND_GOALS in scripts/lib/search-blind-eval.ts) are held where they are met; where one is not,
// the figure measured today is held one question below (FLOORS), so that a change for the worse fails. Measured: Vite
// 13 of 14 in the first five, MRR 0.817, first source 11 and a right page cited 13 of 14 (the goals: met); pnpm 11 of
// 13, MRR 0.650, 4 and 10 of 13 (the goals: not met); the same first page for 18 of 24 reports (goal 0.80: not met; 6
// before the report was searched by its title and errors, 16 before its description's prose was searched too and its
// stack frames left out), and none names a sample value (17 did).
// evals/pnpm-fresh.json (24 questions written after pnpm-real's test split had been judged, all held out): recall@5
// 0.875, MRR 0.806, first source 18 and cited 21 of 24 (the goals on MRR and first source met, barely for MRR): each
// held one question below (a first result moved to second costs MRR 0.02).
// evals/vite-fresh.json (20) and evals/pnpm-fresh-2.json (24), written on 2026-11-29 after every set before them had
// been judged, measured once before any change: Vite recall@5 0.950, MRR 0.830, first source 12 and cited 18 of 20
// (the first-source goal not met on fresh questions); pnpm 0.833, 0.719, 13 and 18 of 24 (none met). Each held one
// question below.
// evals/vite-fresh-2.json (20) and evals/pnpm-fresh-3.json (24), written on 2026-11-29 after those had been judged, first
// measured before any change (Vite 1.000, 0.847, 17 and 18 of 20: the goals met; pnpm 0.792, 0.694, 13 and 18 of 24: none
// met), then after pages took in their partials (lib/docs/folder/partials.ts: pnpm 0.792, 0.668, 13 and 18). Each held
// one question below the second.
// evals/pnpm-fresh-4.json (24), written on 2026-11-30 after those had been judged, first measured before any change
// (0.792, 0.660, 14 and 17 of 24), then after a section named by an identifier was also named by its definition
// (lib/docs/search/ranking/definition.ts: 0.833, 0.621, 14 and 18), held one question below the second. That change
// cost vite-fresh-2 two first sources (17 → 15 of 20; its floor follows, one question below) and vite-fresh one page
// cited (18 → 17: at its floor), while the pnpm sets gained four pages cited: said in the search guide.
const FLOORS = {
  'evals/vite-real.json': { recallAt5: 0.9, mrr: 0.8, first: 0.7, cited: 0.9 },
  'evals/pnpm-real.json': { recallAt5: 0.76, mrr: 0.57, first: 0.23, cited: 0.69 },
  'evals/pnpm-fresh.json': { recallAt5: 0.83, mrr: 0.76, first: 0.7, cited: 0.83 },
  'evals/vite-fresh.json': { recallAt5: 0.9, mrr: 0.8, first: 0.55, cited: 0.85 },
  'evals/pnpm-fresh-2.json': { recallAt5: 0.79, mrr: 0.69, first: 0.5, cited: 0.7 },
  'evals/vite-fresh-2.json': { recallAt5: 0.94, mrr: 0.82, first: 0.69, cited: 0.84 },
  'evals/pnpm-fresh-3.json': { recallAt5: 0.74, mrr: 0.64, first: 0.49, cited: 0.7 },
  'evals/pnpm-fresh-4.json': { recallAt5: 0.79, mrr: 0.58, first: 0.54, cited: 0.7 },
} as const;
const SAME_FIRST_PAGE_FLOOR = 0.7;
const CORPUS_OF = {
  'evals/vite-real.json': 'vite',
  'evals/pnpm-real.json': 'pnpm',
  'evals/pnpm-fresh.json': 'pnpm',
  'evals/vite-fresh.json': 'vite',
  'evals/pnpm-fresh-2.json': 'pnpm',
  'evals/vite-fresh-2.json': 'vite',
  'evals/pnpm-fresh-3.json': 'pnpm',
  'evals/pnpm-fresh-4.json': 'pnpm',
} as const;

describe('the blind sets of Vite\'s and pnpm\'s docs, test split', () => {
  let corpora: TBlindCorpus[] = [];

  beforeAll(async () => {
    corpora = await loadBlindCorpora(['vite', 'pnpm']);
  }, 600_000);

  afterAll(async () => {
    for (const corpus of corpora) await corpus.db.close();
  });

  it.each(Object.keys(FLOORS) as (keyof typeof FLOORS)[])('%s: recall@5, MRR, the offline answer\'s first source and a right page cited', async (file) => {
    const corpus = corpora.find((entry) => entry.name === CORPUS_OF[file])!;
    const questions = corpus.sets.filter((set) => set.file === file).flatMap((set) => set.questions.filter((question) => question.split === 'test'));
    expect(questions.length).toBeGreaterThan(10);
    const scores = summarise(ranksOf([{ index: corpus.index, questions }], DEFAULT_RANK_WEIGHTS));
    const tools = createAssistantTools({ db: corpus.db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const model = createOfflineModel();
    const pathOf = docsPathOf(corpus.docsDir);
    let [first, cited] = [0, 0];
    for (const question of questions) {
      const answer = await offlineAnswer({ tools, model, question: question.q });
      const paths = (answer.annotations ?? []).map((annotation) => pathOf(annotation.url));
      if (paths[0] !== undefined && question.pages.includes(paths[0])) first += 1;
      if (paths.some((path) => question.pages.includes(path))) cited += 1;
      // The answer starts with what answers, never with a line about it.
      expect(answer.text).not.toMatch(/^(These|This) (are the )?sections?/);
    }
    const floors = FLOORS[file];
    console.log(`${file} test: recall@5 ${scores.recallAt5.toFixed(3)}, MRR ${scores.mrr.toFixed(3)}, first ${first}/${questions.length}, cited ${cited}/${questions.length}`);
    expect(scores.recallAt5).toBeGreaterThanOrEqual(floors.recallAt5);
    expect(scores.mrr).toBeGreaterThanOrEqual(floors.mrr);
    expect(first / questions.length).toBeGreaterThanOrEqual(floors.first);
    expect(cited / questions.length).toBeGreaterThanOrEqual(floors.cited);
  }, 900_000);

  it('finds the same first page for a report pasted in its template as for its one-line twin, and names none of its sample values', async () => {
    const byFolder = new Map(corpora.map((corpus) => [corpus.docsDir.split('/').pop()!, corpus]));
    const pairs: { report: TTwinReport; outcome: TTwinOutcome }[] = [];
    for (const report of loadTwinReports()) {
      const corpus = byFolder.get(report.corpus)!;
      pairs.push({ report, outcome: await judgeTwins(corpus.db, corpus.docsDir, report) });
    }
    const figures = twinFigures(pairs);
    console.log(`twins: the same first page for ${figures.sameFirst} of ${figures.reports}; a "not in the docs" name for ${figures.noted}`);
    expect(figures.reports).toBe(24);
    expect(figures.sameFirst / figures.reports).toBeGreaterThanOrEqual(SAME_FIRST_PAGE_FLOOR);
    expect(figures.noted).toBe(0);
  }, 900_000);
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { createAssistantTools, GET_RELEVANT_DOCS } from '@/lib/assistant/tools';
import { listDocsSectionsForRanking } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { getRankIndex } from '@/lib/docs/search/ranking/store';
import type { TRankIndex } from '@/lib/docs/search/ranking/build';
import { DEFAULT_RANK_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { docsPathOf, offlineAnswer } from './answer-eval';
import { answerOf, fitWeights, ranksOf, summarise, type TScores } from './search-cv';
import { buildMiniSearch, evaluate, indexIntoMemory, loadQuestionSet, type TQuestion } from './search-eval';

// Issue 69: the blind sets, held out. Every figure here is on the `test` split of the sets that have one (evals/vite-real.json,
// evals/pnpm-real.json, evals/own-docs-heldout.json, evals/paste-real.json; evals/vite-fresh.json, vite-fresh-2.json,
// pnpm-fresh.json, pnpm-fresh-2.json, pnpm-fresh-3.json and pnpm-fresh-4.json, all of them test):
// questions written before the code and never tuned on. Two ways of scoring them:
// - with the server's default weights (lib/docs/search/ranking/weights.ts), which were fitted on the other splits only;
// - leaving one corpus out (Paste, Vite, pnpm, this site's docs): the ranker's weights fitted on the training questions
//   (every question but a `test` one) of the three other corpora, and the fourth corpus's test questions scored with them,
//   so that a figure says how the ranker does on docs it has never seen a question of.
// Beside them, BM25 (MiniSearch) on the same questions, and the offline answer: its first source on a right page, a right
// page among its cited sources, how often it says "The first section below answers your question" (or that the sections
// answer it) and how often that claim is over a wrong page. Then the bug reports of evals/bug-reports/vite-pnpm.json (and the
// fresh held-out ones of FRESH_TWINS_FILES, every one `test`, pooled with its test split in a row of their own): the
// report pasted in its template and its one-line twin, whether the search's first page (and the answer's first source)
// is the same for both, and whether the answer calls anything of the report a name the docs don't mention.

/** The corpora the fits leave out one at a time, each with its docs folder and question sets. */
export const BLIND_CORPORA = [
  { name: 'paste', docsDir: '../shared/corpora/paste-docs', sets: ['evals/paste-real.json', 'evals/paste-docs.json'] },
  // The fresh sets (evals/vite-fresh.json, vite-fresh-2.json, pnpm-fresh.json, pnpm-fresh-2.json, pnpm-fresh-3.json, pnpm-fresh-4.json): every question `test`, written
  // as fresh held-out checks after the test splits before them had been judged, so fitOnTraining never fits on them.
  // evals/vite-dev.json and pnpm-dev.json: every question `dev` (tuning questions, fitted on beside the dev splits).
  { name: 'vite', docsDir: '../shared/corpora/vite-docs', sets: ['evals/vite-real.json', 'evals/vite-fresh.json', 'evals/vite-fresh-2.json', 'evals/vite-dev.json'] },
  { name: 'pnpm', docsDir: '../shared/corpora/pnpm-docs', sets: ['evals/pnpm-real.json', 'evals/pnpm-fresh.json', 'evals/pnpm-fresh-2.json', 'evals/pnpm-fresh-3.json', 'evals/pnpm-fresh-4.json', 'evals/pnpm-dev.json'] },
  { name: 'own', docsDir: 'content/docs', sets: ['evals/own-docs.json', 'evals/own-docs-heldout.json'] },
] as const;

/** The issue's goals on the blind sets of Vite's and pnpm's docs (held out, test split). */
export const BLIND_GOALS = { recallAt5: 0.9, mrr: 0.8, firstSource: 0.7, cited: 0.9, wrongClaims: 0.1, sameFirstPage: 0.8 };

export type TBlindCorpus = { name: string; docsDir: string; db: TDb; index: TRankIndex; contentOf: (id: number) => string | undefined; sets: { file: string; questions: TQuestion[] }[] };

/** Each corpus indexed in memory, with its sets' questions. */
export async function loadBlindCorpora(only?: readonly string[]): Promise<TBlindCorpus[]> {
  const corpora: TBlindCorpus[] = [];
  for (const corpus of BLIND_CORPORA) {
    if (only && !only.includes(corpus.name)) continue;
    const docsDir = path.resolve(corpus.docsDir);
    const { db } = await indexIntoMemory(docsDir);
    const { index } = await getRankIndex(db);
    const contents = new Map((await listDocsSectionsForRanking({ db })).map((section) => [section.id, section.content]));
    corpora.push({ name: corpus.name, docsDir, db, index, contentOf: (id) => contents.get(id), sets: corpus.sets.map((file) => ({ file, questions: loadQuestionSet(file).questions })) });
  }
  return corpora;
}

const isTest = (question: TQuestion) => question.split === 'test';

/** The weights fitted on every training question (never a `test` one) of `corpora`. */
export function fitOnTraining(corpora: TBlindCorpus[]): TRankWeights {
  return fitWeights(corpora.map(({ index, sets }) => ({ index, questions: sets.flatMap((set) => set.questions.filter((question) => !isTest(question))) })));
}

/** Whether an answer says its sections answer the question (lines.ts oneSection, manySections, leadAnswers). */
export function claimsToAnswer(text: string): boolean {
  return /answers? your question/.test(text);
}

export type TAnswerTally = { questions: number; first: number; cited: number; claims: number; wrongClaims: number };

function tallyAnswer(tally: TAnswerTally, question: TQuestion, sources: string[], text: string): void {
  const isFirst = sources[0] !== undefined && question.pages.includes(sources[0]);
  tally.questions += 1;
  if (isFirst) tally.first += 1;
  if (sources.some((found) => question.pages.includes(found))) tally.cited += 1;
  if (claimsToAnswer(text)) {
    tally.claims += 1;
    if (!isFirst) tally.wrongClaims += 1;
  }
}

const emptyTally = (): TAnswerTally => ({ questions: 0, first: 0, cited: 0, claims: 0, wrongClaims: 0 });

export type TBlindSetFigures = {
  set: string;
  corpus: string;
  questions: number;
  defaults: TScores;
  heldOutCorpus: TScores;
  bm25: TScores;
  /** The offline answer as a reader gets it (the tool and the model, default weights). */
  answers: TAnswerTally;
  /** The offline answer composed from the ranking with the weights fitted without this corpus. */
  heldOutAnswers: TAnswerTally;
};

/**
 * The figures of each set's test split (sets without one are training sets only, and are skipped), and the weights each
 * corpus's held-out fit found.
 */
export async function blindSetFigures(corpora: TBlindCorpus[]): Promise<{ sets: TBlindSetFigures[]; fitted: Map<string, TRankWeights> }> {
  const figures: TBlindSetFigures[] = [];
  const fitted = new Map<string, TRankWeights>();
  for (const corpus of corpora) {
    const tests = corpus.sets.map((set) => ({ ...set, questions: set.questions.filter(isTest) })).filter((set) => set.questions.length > 0);
    if (tests.length === 0) continue;
    const others = corpora.filter((other) => other !== corpus);
    const weights = others.length > 0 ? fitOnTraining(others) : DEFAULT_RANK_WEIGHTS;
    fitted.set(corpus.name, weights);
    const tools = createAssistantTools({ db: corpus.db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const model = createOfflineModel();
    const pathOf = docsPathOf(corpus.docsDir);
    const baseline = buildMiniSearch(corpus.docsDir);
    for (const set of tests) {
      const group = [{ index: corpus.index, questions: set.questions }];
      const answers = emptyTally();
      const heldOutAnswers = emptyTally();
      for (const question of set.questions) {
        const answer = await offlineAnswer({ tools, model, question: question.q });
        tallyAnswer(answers, question, (answer.annotations ?? []).map((annotation) => pathOf(annotation.url)), answer.text);
        const composed = answerOf(corpus.index, question.q, weights, corpus.contentOf);
        tallyAnswer(heldOutAnswers, question, composed.sources, composed.text);
      }
      const bm25 = await evaluate({ corpus: corpus.name, questions: set.questions }, baseline);
      figures.push({
        set: path.basename(set.file, '.json'),
        corpus: corpus.name,
        questions: set.questions.length,
        defaults: summarise(ranksOf(group, DEFAULT_RANK_WEIGHTS)),
        heldOutCorpus: summarise(ranksOf(group, weights)),
        bm25,
        answers,
        heldOutAnswers,
      });
    }
  }
  return { sets: figures, fitted };
}

const ZTwinReports = z.object({
  reports: z.array(
    z.object({ id: z.string(), split: z.enum(['dev', 'test']), corpus: z.string(), title: z.string(), body: z.string(), oneLine: z.string(), expected: z.array(z.string()).min(1) }),
  ),
});

export type TTwinReport = z.infer<typeof ZTwinReports>['reports'][number];

export function loadTwinReports(file = 'evals/bug-reports/vite-pnpm.json'): TTwinReport[] {
  return ZTwinReports.parse(JSON.parse(readFileSync(file, 'utf8'))).reports;
}

/** More tuning reports (every one `dev`), written so that tuning how a pasted report is searched has more than 16. */
export const DEV_TWINS_FILE = 'evals/bug-reports/vite-pnpm-dev-2.json';

/** The fresh held-out twins (every report `test`), each written after the sets before it had been judged. */
export const FRESH_TWINS_FILES = ['evals/bug-reports/vite-pnpm-fresh.json', 'evals/bug-reports/vite-pnpm-fresh-2.json', 'evals/bug-reports/vite-pnpm-fresh-3.json', 'evals/bug-reports/vite-pnpm-fresh-4.json'] as const;

/** A report as a reader pastes it: its title, a blank line, its body (template and all). */
export const pastedReport = (report: Pick<TTwinReport, 'title' | 'body'>) => `${report.title}\n\n${report.body}`;

export type TTwinOutcome = {
  /** The first page of the assistant's search (its tool, as a run calls it) for the report and for its one line. */
  reportFirst: string | null;
  lineFirst: string | null;
  /** The offline answer's first source for each. */
  reportLead: string | null;
  lineLead: string | null;
  /** The names the answer to the pasted report says the docs don't mention. */
  notInDocs: string[];
  opening: string;
};

/** One report and its twin, asked of its corpus's database as a reader asks the assistant. */
export async function judgeTwins(db: TDb, docsDir: string, report: TTwinReport): Promise<TTwinOutcome> {
  const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const model = createOfflineModel();
  const pathOf = docsPathOf(docsDir);
  const firstOf = async (prompt: string) => {
    const output = JSON.parse(await tools.run({ id: 'call_eval', type: 'function', function: { name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt }) } }, { access: PUBLIC_ACCESS })) as {
      results?: { url: string }[];
      not_in_docs?: string[];
    };
    return { first: output.results?.[0] ? pathOf(output.results[0].url) : null, notInDocs: output.not_in_docs ?? [] };
  };
  const pasted = pastedReport(report);
  const [reportSearch, lineSearch] = [await firstOf(pasted), await firstOf(report.oneLine)];
  const reportAnswer = await offlineAnswer({ tools, model, question: pasted });
  const lineAnswer = await offlineAnswer({ tools, model, question: report.oneLine });
  const leadOf = (answer: typeof reportAnswer) => (answer.annotations?.[0] ? pathOf(answer.annotations[0].url) : null);
  const notInDocs = Array.isArray(reportAnswer.metadata?.not_in_docs) ? (reportAnswer.metadata.not_in_docs as string[]) : reportSearch.notInDocs;
  return {
    reportFirst: reportSearch.first,
    lineFirst: lineSearch.first,
    reportLead: leadOf(reportAnswer),
    lineLead: leadOf(lineAnswer),
    notInDocs,
    opening: reportAnswer.text.split('\n')[0]!.slice(0, 140),
  };
}

export type TTwinFigures = { reports: number; sameFirst: number; sameLead: number; reportRight: number; lineRight: number; noted: number };

export function twinFigures(pairs: { report: TTwinReport; outcome: TTwinOutcome }[]): TTwinFigures {
  const count = (test: (pair: (typeof pairs)[number]) => boolean) => pairs.filter(test).length;
  return {
    reports: pairs.length,
    sameFirst: count(({ outcome }) => outcome.reportFirst !== null && outcome.reportFirst === outcome.lineFirst),
    sameLead: count(({ outcome }) => outcome.reportLead !== null && outcome.reportLead === outcome.lineLead),
    reportRight: count(({ report, outcome }) => outcome.reportFirst !== null && report.expected.includes(outcome.reportFirst)),
    lineRight: count(({ report, outcome }) => outcome.lineFirst !== null && report.expected.includes(outcome.lineFirst)),
    noted: count(({ outcome }) => outcome.notInDocs.length > 0 || /docs don.t mention/i.test(outcome.opening)),
  };
}

const share = (count: number, of: number) => `${count} of ${of} (${(count / Math.max(of, 1)).toFixed(3)})`;
const scores = (value: Pick<TScores, 'recallAt1' | 'recallAt5' | 'mrr'>) => `${value.recallAt1.toFixed(3)} / ${value.recallAt5.toFixed(3)} / ${value.mrr.toFixed(3)}`;

/**
 * Prints the blind sets' section of `npm run eval:search` (also `npm run eval:search -- --blind-only`): the corpora are
 * indexed here, and closed when it ends.
 */
export async function printBlindSets(isVerbose: boolean): Promise<void> {
  const corpora = await loadBlindCorpora();
  try {
    const { sets, fitted } = await blindSetFigures(corpora);
    console.log(
      '\nBlind sets, test split (issue 69: written before the code, never tuned on). recall@1 / recall@5 / MRR@10 with the default weights, ' +
        'and with the weights fitted on the three other corpora\'s training questions (leave one corpus out); the offline answer with the defaults ' +
        '(as a reader gets it) and composed from the held-out corpus ranking\n\n' +
        '| set | test questions | default weights | corpus held out | BM25 | first source right | right page cited | "answers your question" said / over a wrong page | held out: first source / cited |\n' +
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const entry of sets) {
      const { answers, heldOutAnswers: held } = entry;
      console.log(
        `| ${entry.set} | ${entry.questions} | ${scores(entry.defaults)} | ${scores(entry.heldOutCorpus)} | ${scores(entry.bm25)} | ${share(answers.first, answers.questions)} | ` +
          `${share(answers.cited, answers.questions)} | ${answers.claims} / ${answers.wrongClaims} | ${share(held.first, held.questions)} / ${share(held.cited, held.questions)} |`,
      );
    }
    const claims = sets.reduce((sum, entry) => sum + entry.answers.claims, 0);
    const wrong = sets.reduce((sum, entry) => sum + entry.answers.wrongClaims, 0);
    console.log(`\n"answers your question" over every blind test question: said ${claims} times, over a wrong first page ${wrong} (${(wrong / Math.max(claims, 1)).toFixed(3)}; goal at most ${BLIND_GOALS.wrongClaims})`);
    for (const [name, weights] of fitted) {
      const moved = Object.entries(weights).filter(([key, value]) => DEFAULT_RANK_WEIGHTS[key as keyof TRankWeights] !== value);
      console.log(`  fitted without ${name}: ${moved.map(([key, value]) => `${key}=${value}`).join(', ') || 'the default weights'}`);
    }
    await printTwins(corpora, isVerbose);
  } finally {
    for (const corpus of corpora) await corpus.db.close();
  }
}

/** The bug reports beside their one-line twins, asked of the corpora given (those not given are skipped). */
async function printTwins(corpora: TBlindCorpus[], isVerbose: boolean): Promise<void> {
  const byCorpus = new Map(corpora.map((corpus) => [`${path.basename(corpus.docsDir)}`, corpus]));
  const judgeAll = async (reports: TTwinReport[]) => {
    const judged: { report: TTwinReport; outcome: TTwinOutcome }[] = [];
    for (const report of reports) {
      const corpus = byCorpus.get(report.corpus);
      if (!corpus) continue;
      judged.push({ report, outcome: await judgeTwins(corpus.db, corpus.docsDir, report) });
    }
    return judged;
  };
  const pairs = await judgeAll([...loadTwinReports(), ...loadTwinReports(DEV_TWINS_FILE)]);
  const fresh: [string, typeof pairs][] = [];
  for (const file of FRESH_TWINS_FILES) fresh.push([`fresh (${path.basename(file)})`, await judgeAll(loadTwinReports(file))]);
  const freshPairs = fresh.flatMap(([, group]) => group);
  console.log(
    `\nBug reports in their templates beside their one-line twins (evals/bug-reports/vite-pnpm.json, its dev reports with ${path.basename(DEV_TWINS_FILE)}'s, and the fresh held-out ${FRESH_TWINS_FILES.map((file) => path.basename(file)).join(', ')}; goal: the same first page for 0.80)\n\n` +
      '| split | reports | same first page (search) | same first source (answer) | report first page right | one line first page right | a "not in the docs" name |\n| --- | --- | --- | --- | --- | --- | --- |',
  );
  const rows: [string, typeof pairs][] = [
    ['dev', pairs.filter((pair) => pair.report.split === 'dev')],
    ['test', pairs.filter((pair) => pair.report.split === 'test')],
    ...fresh,
    ['pooled held out (test + fresh)', [...pairs.filter((pair) => pair.report.split === 'test'), ...freshPairs]],
    ['pooled all', [...pairs, ...freshPairs]],
  ];
  for (const [label, group] of rows) {
    const figures = twinFigures(group);
    console.log(
      `| ${label} | ${figures.reports} | ${share(figures.sameFirst, figures.reports)} | ${share(figures.sameLead, figures.reports)} | ${share(figures.reportRight, figures.reports)} | ` +
        `${share(figures.lineRight, figures.reports)} | ${figures.noted} |`,
    );
  }
  if (isVerbose) {
    // Dev reports only: the held-out ones (test, fresh) are judged in total, never one by one.
    for (const { report, outcome } of pairs.filter((pair) => pair.report.split === 'dev')) {
      console.log(`  ${report.id}: report ${outcome.reportFirst} / line ${outcome.lineFirst} (expected ${report.expected.join(', ')}); not in docs ${JSON.stringify(outcome.notInDocs)}\n    ${outcome.opening}`);
    }
  }
}

/** The twins alone (`npm run eval:search -- --twins-only`): only the corpora the reports are asked of are indexed. */
export async function printTwinsOnly(isVerbose: boolean): Promise<void> {
  const names = new Set([...loadTwinReports(), ...loadTwinReports(DEV_TWINS_FILE), ...FRESH_TWINS_FILES.flatMap((file) => loadTwinReports(file))].map((report) => report.corpus));
  const corpora = await loadBlindCorpora(BLIND_CORPORA.filter((corpus) => names.has(path.basename(corpus.docsDir))).map((corpus) => corpus.name));
  try {
    await printTwins(corpora, isVerbose);
  } finally {
    for (const corpus of corpora) await corpus.db.close();
  }
}

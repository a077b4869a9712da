import { buildRankIndex, type TRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { DEFAULT_RANK_WEIGHTS, FITTED_THREAD_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import { crossValidatePooled, fitWeights, FOLDS, foldOf, meanScores, ranksOf, summarise, type TCorpusQuestions, type TScores } from './search-cv';
import type { TQuestion } from './search-eval';
import { createThreadSync } from './search-thread-index';
import { threadQuestions, type TGithubCorpus, type TReaderQuestion, type TThreadQuestion } from './search-thread-set';

// Ranking across kinds, measured (issue 37, item 4): the thread-answer questions (./search-thread-set.ts) and every
// docs question set, with the GitHub threads indexed beside the docs, under pooled 5-fold cross-validation
// (./search-cv.ts), beside the docs sets as they are without threads (the pooled cross-validation over the docs sets
// alone: today's figures). Each fold keeps the docs weights today's fit found on its training folds and fits the
// thread weights (FITTED_THREAD_WEIGHTS) after them, on the same training folds of every set with threads on and of
// the thread set; the held-out fold is scored with them. A docs set's figures with threads thus differ from today's
// by the thread weights and the threads alone.
// Held out honestly, as if a new reader asked: a question asked by a thread of the corpus (a thread-set question
// from its title, or a real reader's question whose issue is in the corpus) is ranked with that thread not synced at
// all (./search-thread-index.ts). Reported beside it, never fitted on: the same questions with every thread indexed,
// as an outside evaluator would run them (the asking thread itself then takes a first place).
// The whole is run over THREAD_CV_PARTITIONS cuts into folds, and a docs set with threads is judged against itself
// without them by the mean over the cuts; the first cut (partition 0) is the one whose per-question rows and fitted
// weights are reported.

/**
 * How many cuts into folds the figures are averaged over. With a few dozen questions a set, one cut is noisy: an edit
 * of this site's own docs (one set of the pool) moved the pooled fits and, with them, paste-real's recall@5 with
 * threads from 32 to 31 of 37 on partition 0 (33 without), with no change to the ranker (search-cv.ts's
 * crossValidateRepeated says the same of the docs figures). Each further cut costs two pooled fits (the docs weights,
 * then the thread weights): about a minute on two cores for the second and third, less for later ones, as the rank
 * cache of search-cv.ts holds more of what the cuts' fits try alike.
 */
export const THREAD_CV_PARTITIONS = 3;

export type TDocsSetInput = { name: string; docs: TRankSection[]; questions: TQuestion[] };

/**
 * One row of figures: a set, how it was run, its cross-validated scores on the first cut into folds (`cv`) and their
 * mean over every cut (`cvMean`), and its scores with the default weights.
 */
export type TThreadEvalRow = { set: string; view: TView; cv: TScores; cvMean: TScores; defaults: TScores };

export type TView = 'docs only' | 'threads on' | 'threads on, asking thread indexed';

export type TThreadEvaluation = {
  rows: TThreadEvalRow[];
  questions: TThreadQuestion[];
  /** How many cuts into folds `cvMean` is the mean of. */
  partitions: number;
  /** The weights each pooled fold of the first cut fitted (with threads on), and the fit on every question. */
  fitted: TRankWeights[];
  fittedOnAll: TRankWeights;
  /** Per thread question: its held-out rank (0-based, -1: not in the first 10) under its fold's weights, first cut. */
  threadRanks: { question: TThreadQuestion; rank: number; indexedRank: number }[];
};

export type TGroup = TCorpusQuestions & { set: string; view: TView };

/** The corpus thread a docs question comes from (its source is a thread of the repository), if any. */
function askingThread(question: TQuestion, corpus: TGithubCorpus, numbers: Set<number>): number | null {
  const prefix = `https://github.com/${corpus.repo.owner}/${corpus.repo.name}/`.toLowerCase();
  const source = question.source?.toLowerCase() ?? '';
  if (!source.startsWith(prefix)) return null;
  const number = Number(/^(?:issues|pull|discussions)\/(\d+)$/.exec(source.slice(prefix.length))?.[1]);
  return numbers.has(number) ? number : null;
}

/** The groups the evaluation ranks: each docs set without threads, then with them, then the thread set. */
export type TThreadGroups = { docsOnly: TGroup[]; groups: TGroup[]; questions: TThreadQuestion[] };

/**
 * The questions of every set with the indexes they are asked of (see the top of this file). `threadDocs`: the docs
 * the threads' repository documents (the thread questions are asked of them and the threads). Indexes are shared by
 * the groups asking of the same docs and the same threads.
 */
export async function buildThreadGroups({
  sets,
  threadDocs,
  corpus,
  readers,
}: {
  sets: TDocsSetInput[];
  threadDocs: TRankSection[];
  corpus: TGithubCorpus;
  readers: TReaderQuestion[];
}): Promise<TThreadGroups> {
  const questions = threadQuestions(corpus, readers);
  const numbers = new Set(corpus.issues.map((issue) => issue.number));
  const sync = await createThreadSync(corpus);
  const groups: TGroup[] = [];
  const docsOnly: TGroup[] = [];
  try {
    const every = await sync.sections();
    const indexes = new Map<TRankSection[], Map<number | null | 'docs', TRankIndex>>();
    const indexOf = async (docs: TRankSection[], without: number | null | 'docs') => {
      let byWorld = indexes.get(docs);
      if (!byWorld) indexes.set(docs, (byWorld = new Map()));
      let index = byWorld.get(without);
      if (!index) {
        const threads = without === 'docs' ? [] : without === null ? every : await sync.sections([without]);
        byWorld.set(without, (index = buildRankIndex([...docs, ...threads])));
      }
      return index;
    };
    const byWorld = async (set: string, docs: TRankSection[], asked: { question: TQuestion; without: number | null }[]) => {
      const worlds = new Map<number | null, TQuestion[]>();
      for (const { question, without } of asked) worlds.set(without, [...(worlds.get(without) ?? []), question]);
      for (const [without, list] of worlds) groups.push({ set, view: 'threads on', index: await indexOf(docs, without), questions: list });
      if (asked.some(({ without }) => without !== null)) {
        const all = asked.map(({ question }) => question);
        groups.push({ set, view: 'threads on, asking thread indexed', index: await indexOf(docs, null), questions: all, isScoredOnly: true });
      }
    };
    for (const set of sets) {
      docsOnly.push({ set: set.name, view: 'docs only', index: await indexOf(set.docs, 'docs'), questions: set.questions });
      await byWorld(set.name, set.docs, set.questions.map((question) => ({ question, without: askingThread(question, corpus, numbers) })));
    }
    await byWorld('threads', threadDocs, questions.map((question) => ({ question, without: question.isAskerIndexed ? question.asker : null })));
  } finally {
    await sync.close();
  }
  return { docsOnly, groups, questions };
}

/**
 * Per set and view, the scores of the ranks given per group (in the groups' order), one list of them per cut into
 * folds (the first cut first).
 */
export function rowsOf(list: TGroup[], ranksPerCut: number[][][], defaults: TRankWeights = DEFAULT_RANK_WEIGHTS): TThreadEvalRow[] {
  const rows: TThreadEvalRow[] = [];
  const keys = [...new Set(list.map((group) => `${group.set}\u0000${group.view}`))];
  for (const key of keys) {
    const members = list.map((group, at) => ({ group, at })).filter(({ group }) => `${group.set}\u0000${group.view}` === key);
    const { set, view } = members[0]!.group;
    const cuts = ranksPerCut.map((ranks) => summarise(members.flatMap(({ at }) => ranks[at]!)));
    rows.push({
      set,
      view,
      cv: cuts[0]!,
      cvMean: meanScores(cuts),
      defaults: summarise(ranksOf(members.map(({ group }) => group), defaults)),
    });
  }
  return rows;
}

/**
 * Every figure of the thread section of `npm run eval:search` and of tests/corpus/thread-search-quality.test.ts,
 * over `partitions` cuts into folds (THREAD_CV_PARTITIONS unless given).
 */
export async function evaluateThreadRanking(input: Parameters<typeof buildThreadGroups>[0], partitions = THREAD_CV_PARTITIONS): Promise<TThreadEvaluation> {
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`partitions: a whole number of at least 1, not ${partitions}`);
  const { docsOnly, groups, questions } = await buildThreadGroups(input);
  // Each fold of each cut: the docs weights as today's fit found them on the docs sets alone, then the thread weights
  // fitted from there on the same folds with threads on; so a docs set's figures with threads differ from today's by
  // the thread weights alone, cut by cut.
  const cuts = Array.from({ length: partitions }, (_, partition) => {
    const today = crossValidatePooled(docsOnly, FOLDS, partition);
    const withThreads = crossValidatePooled(groups, FOLDS, partition, (training, fold) => fitWeights(training, today.fitted[fold]!, FITTED_THREAD_WEIGHTS));
    return { today, withThreads };
  });
  const first = cuts[0]!.withThreads;
  return {
    rows: [...rowsOf(docsOnly, cuts.map(({ today }) => today.ranks)), ...rowsOf(groups, cuts.map(({ withThreads }) => withThreads.ranks))],
    questions,
    partitions,
    fitted: first.fitted,
    fittedOnAll: fitWeights(groups, fitWeights(docsOnly), FITTED_THREAD_WEIGHTS),
    threadRanks: threadRanksOf(groups, questions, first.fitted),
  };
}

/** Each thread question's rank with its fold's weights (`fitted`: the first cut's), held out and with the asking thread indexed. */
function threadRanksOf(groups: TGroup[], questions: TThreadQuestion[], fitted: TRankWeights[]): TThreadEvaluation['threadRanks'] {
  const rankIn = (view: TView, question: TThreadQuestion) => {
    const group = groups.find((entry) => entry.set === 'threads' && entry.view === view && entry.questions.includes(question));
    if (!group) return null;
    return ranksOf([{ index: group.index, questions: [question] }], fitted[foldOf(question, fitted.length, 0)]!)[0]!;
  };
  return questions.map((question) => {
    const rank = rankIn('threads on', question)!;
    return { question, rank, indexedRank: rankIn('threads on, asking thread indexed', question) ?? rank };
  });
}

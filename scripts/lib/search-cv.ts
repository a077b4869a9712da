import { createHash } from 'node:crypto';
import { composeAnswer, fuseRankings, searchQueriesFor } from '@/lib/model/offline';
import { CONTENT_CHARS_PER_RESULT, RESULTS_PER_CALL } from '@/lib/assistant/tools';
import type { TPassage } from '@/lib/model/types';
import type { TRankIndex } from '@/lib/docs/search/ranking/build';
import { EVIDENCE_FLOOR } from '@/lib/docs/search/search';
import { publicSourceKind } from '@/lib/docs/search/kinds';
import { leadSectionPositions } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { placeRelatedPages } from '@/lib/docs/search/related';
import { FITTED_WEIGHTS, START_RANK_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import type { TQuestion } from './search-eval';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Honest retrieval figures: k-fold cross-validation. The questions are cut into k folds (by a hash of each
// question's id or text, so the cut does not depend on file order or on the ranking); for each fold the ranker's
// weights are fitted on the other k−1 folds (coordinate ascent over the grids in FITTED_WEIGHTS, maximising
// MRR + recall@5) and the held-out fold is scored with them. Every question is scored exactly once, by weights
// that never saw it. Nothing is written per question: no rules, no term lists.

export const FOLDS = 5;

export type TScores = { questions: number; recallAt1: number; recallAt5: number; mrr: number };

// A question's rank under given weights is computed once per index. The ranker is a pure function of the index,
// the question and the weights, and the folds' fits start from the same weights and mostly try the same
// candidates, each on four fifths of the questions: without this, cross-validation ranked the same question under
// the same weights up to four times (48 CPU-s of the corpus tier's search-quality test).
const ranksByIndex = new WeakMap<TRankIndex, Map<string, number>>();

const sectionEntry = (index: TRankIndex, position: number) => {
  const { path, kind, meta } = index.sections[position]!;
  return { path, kind: kind ?? 'folder', meta };
};

/** The 0-based rank of the first result on an expected page among the first 10 (-1: none). */
function rankOf(index: TRankIndex, question: TQuestion, weights: TRankWeights): number {
  let ranks = ranksByIndex.get(index);
  if (!ranks) ranksByIndex.set(index, (ranks = new Map()));
  const key = JSON.stringify([weights, question.q, question.pages]);
  const known = ranks.get(key);
  if (known !== undefined) return known;
  // As search places them (lib/docs/search/related.ts): the pages a result names as answering it, right after it.
  const leads = leadSectionPositions(index);
  const hits = placeRelatedPages({
    hits: rankSections(index, question.q, { access: MAINTAINER_ACCESS, weights, limit: 10 }).map((hit) => sectionEntry(index, hit.section)),
    limit: 10,
    leadOf: (path) => leads.get(path),
    asPlaced: (position) => sectionEntry(index, position),
  });
  const rank = hits.findIndex((hit) => question.pages.includes(hit.path));
  ranks.set(key, rank);
  return rank;
}

export function summarise(ranks: number[]): TScores {
  const count = Math.max(ranks.length, 1);
  return {
    questions: ranks.length,
    recallAt1: ranks.filter((rank) => rank === 0).length / count,
    recallAt5: ranks.filter((rank) => rank >= 0 && rank < 5).length / count,
    mrr: ranks.reduce((sum, rank) => sum + (rank >= 0 ? 1 / (rank + 1) : 0), 0) / count,
  };
}

/**
 * Questions with the index they are asked of: one fit may span several corpora. `isScoredOnly`: scored with each
 * fold's weights but never fitted on (another view of questions that are fitted in another group: the thread set
 * with the asking thread left indexed, as an outside evaluator might run it).
 */
export type TCorpusQuestions = {
  index: TRankIndex;
  questions: TQuestion[];
  isScoredOnly?: boolean;
  /** A section's text by its id, for the offline answers (answerSources); the ranking never reads it. */
  contentOf?: (id: number) => string | undefined;
};

/** Each question's rank (0-based, -1: not in the first 10) under `weights`, in the groups' order. */
export function ranksOf(groups: TCorpusQuestions[], weights: TRankWeights): number[] {
  return groups.flatMap(({ index, questions }) => questions.map((question) => rankOf(index, question, weights)));
}

export function scoreWeights(groups: TCorpusQuestions[], weights: TRankWeights): TScores {
  return summarise(ranksOf(groups, weights));
}

const objective = (scores: TScores) => scores.mrr + scores.recallAt5;

/** The weights a fit may move, each over its grid. */
export type TGrids = Partial<Record<keyof TRankWeights, number[]>>;

/**
 * Weights fitted on `questions`: coordinate ascent from the hand-set start, two sweeps over each fitted weight's grid
 * (`grids`: FITTED_WEIGHTS unless given).
 */
export function fitWeights(every: TCorpusQuestions[], start: TRankWeights = START_RANK_WEIGHTS, grids: TGrids = FITTED_WEIGHTS): TRankWeights {
  const groups = every.filter((group) => !group.isScoredOnly);
  let best = { ...start };
  let bestScore = objective(scoreWeights(groups, best));
  for (let sweep = 0; sweep < 2; sweep += 1) {
    let hasImproved = false;
    for (const [name, grid] of Object.entries(grids) as [keyof TRankWeights, number[]][]) {
      for (const value of grid) {
        if (value === best[name]) continue;
        const candidate = { ...best, [name]: value };
        const score = objective(scoreWeights(groups, candidate));
        // Ties keep the current value: a weight moves only when the training folds say it helps.
        if (score > bestScore + 1e-9) {
          best = candidate;
          bestScore = score;
          hasImproved = true;
        }
      }
    }
    if (!hasImproved) break;
  }
  return best;
}

/**
 * The question's fold. `partition` picks one of several cuts into folds (each a different hash of the questions);
 * partition 0 is the cut every figure is reported on.
 */
export function foldOf(question: TQuestion, folds = FOLDS, partition = 0): number {
  const key = question.id ?? question.q;
  return createHash('sha256').update(partition === 0 ? key : `${partition}\u0000${key}`).digest().readUInt32BE(0) % folds;
}

/** k-fold cross-validated scores of the ranker on `questions`, and the weights each fold fitted. */
export function crossValidate(index: TRankIndex, questions: TQuestion[], folds = FOLDS): TScores & { fitted: TRankWeights[] } {
  const ranks: number[] = [];
  const fitted: TRankWeights[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const heldOut = questions.filter((question) => foldOf(question, folds) === fold);
    if (heldOut.length === 0) continue;
    const weights = fitWeights([{ index, questions: questions.filter((question) => foldOf(question, folds) !== fold) }]);
    fitted.push(weights);
    for (const question of heldOut) ranks.push(rankOf(index, question, weights));
  }
  return { ...summarise(ranks), fitted };
}

/**
 * k-fold cross-validation over several sets at once: for each fold, weights are fitted on the other k−1 folds of
 * every set together (one ranker serves every corpus, as the server's defaults do) and the fold's questions of
 * each set are scored with them. Returns each set's scores, in the order given, and the weights each fold fitted.
 */
export function crossValidatePooled(
  groups: TCorpusQuestions[],
  folds = FOLDS,
  partition = 0,
  /** How a fold's weights are fitted on its training questions (default: fitWeights from the start weights). */
  fit: (training: TCorpusQuestions[], fold: number) => TRankWeights = (training) => fitWeights(training),
): { scores: TScores[]; fitted: TRankWeights[]; ranks: number[][] } {
  const ranks: number[][] = groups.map(() => []);
  const fitted: TRankWeights[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const training = groups.map(({ index, questions, isScoredOnly }) => ({
      index,
      isScoredOnly,
      questions: questions.filter((question) => foldOf(question, folds, partition) !== fold),
    }));
    const weights = fit(training, fold);
    fitted.push(weights);
    groups.forEach(({ index, questions }, at) => {
      for (const question of questions.filter((entry) => foldOf(entry, folds, partition) === fold)) ranks[at]!.push(rankOf(index, question, weights));
    });
  }
  return { scores: ranks.map(summarise), fitted, ranks };
}

/**
 * The pages the offline answer cites, in its order (the first is its lead), its ranking made with `weights`: the
 * searches the offline model asks for (the question, and a long question's opening sentence), each as many results as
 * the tool returns, fused as the model fuses them, and the answer composed from them as the model composes it
 * (composeAnswer: the lead chosen by the sections' text and the search's order, the sections nearly as strong quoted
 * after it). `contentOf` gives a section's text by its id (the tool's results carry it, cut as the tool cuts it);
 * without it sections are matched by their titles and headings alone. Empty when every search is below the relevance
 * floor (the answer then cites nothing). The model's path without the database and the tool's JSON, so that the
 * ranker's weights can change per fold.
 */
export function answerSources(index: TRankIndex, question: string, weights: TRankWeights, contentOf?: (id: number) => string | undefined): string[] {
  return answerOf(index, question, weights, contentOf).sources;
}

/** answerSources with the answer's text (its first lines are judged too: scripts/lib/search-blind-eval.ts). */
export function answerOf(index: TRankIndex, question: string, weights: TRankWeights, contentOf?: (id: number) => string | undefined): { sources: string[]; text: string } {
  const rankings = searchQueriesFor(question).map((prompt) => rankSections(index, prompt, { access: MAINTAINER_ACCESS, weights, limit: RESULTS_PER_CALL }));
  if (rankings.every((hits) => hits.length === 0 || Math.max(...hits.map((hit) => hit.evidence)) < EVIDENCE_FLOOR)) return { sources: [], text: '' };
  const pathByUrl = new Map<string, string>();
  const asResults = rankings.map((hits) =>
    hits.map((hit): TPassage => {
      const section = index.sections[hit.section]!;
      // The URL as the tool gives it: a page's sections share it up to the anchor (the answer groups them by it).
      const url = `/docs/${section.slug}#${section.anchor || hit.section}`;
      pathByUrl.set(url, section.path);
      const content = (contentOf?.(section.id) ?? '').slice(0, CONTENT_CHARS_PER_RESULT);
      return { title: section.title, heading: section.heading, url, content, kind: publicSourceKind(section.kind ?? 'folder') };
    }),
  );
  const answer = composeAnswer({ results: fuseRankings(asResults), searched: [question], question, absentNames: [] });
  return { sources: answer.annotations.map((annotation) => pathByUrl.get(annotation.url) ?? annotation.url), text: answer.text };
}

/** The page the offline answer leads with (answerSources' first), or null when it cites nothing. */
export function answerLead(index: TRankIndex, question: string, weights: TRankWeights, contentOf?: (id: number) => string | undefined): string | null {
  return answerSources(index, question, weights, contentOf)[0] ?? null;
}

/** Per set, how many answers lead on a right page, and how many cite a right page among their sources. */
export type TAnswerCounts = { leads: number; cited: number };

/**
 * The offline answers, cross-validated: each question answered with the weights its pooled fold fitted without it
 * (`fitted`, in fold order, as crossValidatePooled returns them). Per set, how many lead on a right page and how many
 * cite one.
 */
export function crossValidateAnswers(groups: TCorpusQuestions[], fitted: TRankWeights[], folds = FOLDS, partition = 0): TAnswerCounts[] {
  return groups.map(({ index, questions, contentOf }) => {
    const counts = { leads: 0, cited: 0 };
    for (const question of questions) {
      const cited = answerSources(index, question.q, fitted[foldOf(question, folds, partition)]!, contentOf);
      if (cited[0] !== undefined && question.pages.includes(cited[0])) counts.leads += 1;
      if (cited.some((path) => question.pages.includes(path))) counts.cited += 1;
    }
    return counts;
  });
}

/** crossValidateAnswers' leads alone: per set, how many answers lead on a right page. */
export function crossValidateLeads(groups: TCorpusQuestions[], fitted: TRankWeights[], folds = FOLDS, partition = 0): number[] {
  return crossValidateAnswers(groups, fitted, folds, partition).map((counts) => counts.leads);
}

/**
 * The mean of one set's scores over several cuts into folds. Each cut scores every question of the set once, so
 * `questions` is the set's, not the sum.
 */
export function meanScores(cuts: TScores[]): TScores {
  const count = Math.max(cuts.length, 1);
  const mean = (pick: (scores: TScores) => number) => cuts.reduce((sum, scores) => sum + pick(scores), 0) / count;
  return {
    questions: cuts[0]?.questions ?? 0,
    recallAt1: mean((scores) => scores.recallAt1),
    recallAt5: mean((scores) => scores.recallAt5),
    mrr: mean((scores) => scores.mrr),
  };
}

/** Pooled cross-validation's figures over several cuts into folds: per set, the mean scores and the mean leads. */
export type TRepeatedCv = { scores: TScores[]; leads: number[]; cited: number[]; partitions: number };

/**
 * Pooled cross-validation repeated over `partitions` different cuts into folds (partition 0, the reported one,
 * first), averaged. With a few dozen questions a set, which questions share a fold moves a figure by a question or
 * two, and a fit on four folds picks different weights from one cut to the next: the mean over cuts is the steadier
 * figure to judge a change by (a change that only wins on one cut is noise).
 */
export function crossValidateRepeated(groups: TCorpusQuestions[], partitions: number, folds = FOLDS): TRepeatedCv {
  const cuts = Array.from({ length: partitions }, (_, partition) => {
    const pooled = crossValidatePooled(groups, folds, partition);
    return { scores: pooled.scores, answers: crossValidateAnswers(groups, pooled.fitted, folds, partition) };
  });
  const count = Math.max(partitions, 1);
  return {
    scores: groups.map(({ questions }, at) => ({ ...meanScores(cuts.map((cut) => cut.scores[at]!)), questions: questions.length })),
    leads: groups.map((_, at) => cuts.reduce((sum, cut) => sum + cut.answers[at]!.leads, 0) / count),
    cited: groups.map((_, at) => cuts.reduce((sum, cut) => sum + cut.answers[at]!.cited, 0) / count),
    partitions,
  };
}

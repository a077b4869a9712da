import { FOLDS, foldOf } from './search-cv';

// The relevance floor (lib/docs/search/search.ts EVIDENCE_FLOOR), decided on questions rather than set by hand: each
// question's evidence (the best result's, as the search reports it) and whether the docs answer it (the Paste
// question sets: yes; evals/off-topic*.json: no). A floor is fitted by the cheapest wrong verdicts (a docs question
// called weak costs 1, an off-topic question given sources OFF_TOPIC_COST), placed in the middle of the widest run of
// thresholds that reach that count, so that the margin on both sides is as wide as the questions allow. The figure to
// judge it by is the k-fold cross-validated one: each fold's questions judged by the floor fitted on the other folds.

export type TFloorSample = { q: string; evidence: number; isCovered: boolean };

export type TFloorVerdicts = {
  questions: number;
  /** Off-topic questions below the floor (answered "not covered"), of `offTopic`. */
  offTopicWeak: number;
  offTopic: number;
  /** Docs questions at or above the floor (answered with sources), of `covered`. */
  coveredStrong: number;
  covered: number;
};

/** How the samples fare under `floor`: a question is weak when its evidence is below it. */
export function floorVerdicts(samples: readonly TFloorSample[], floor: number): TFloorVerdicts {
  const verdicts: TFloorVerdicts = { questions: samples.length, offTopicWeak: 0, offTopic: 0, coveredStrong: 0, covered: 0 };
  for (const sample of samples) {
    if (sample.isCovered) {
      verdicts.covered += 1;
      if (sample.evidence >= floor) verdicts.coveredStrong += 1;
    } else {
      verdicts.offTopic += 1;
      if (sample.evidence < floor) verdicts.offTopicWeak += 1;
    }
  }
  return verdicts;
}

/**
 * What an off-topic question answered with sources costs, against 1 for a docs question answered "not covered". A
 * reader told the docs do not cover their question can ask again in other words; one handed pages that do not answer
 * is misled by a confident citation, and an outside check counts off-topic honesty first (issue 54).
 */
export const OFF_TOPIC_COST = 2;

/** The cost of the verdicts' mistakes: each off-topic question given sources OFF_TOPIC_COST, each docs question called weak 1. */
export function errorsOf(verdicts: TFloorVerdicts): number {
  return OFF_TOPIC_COST * (verdicts.offTopic - verdicts.offTopicWeak) + (verdicts.covered - verdicts.coveredStrong);
}

/**
 * The floor with the fewest wrong verdicts on `samples`, in the middle of the widest run of neighbouring thresholds
 * that reach that count (ties: the lower run). Only where a threshold falls between two observed evidence values
 * matters, so the runs are made of those gaps; `margin` is half the run's width.
 */
export function fitFloor(samples: readonly TFloorSample[]): { floor: number; errors: number; margin: number } {
  const values = [...new Set(samples.map((sample) => sample.evidence))].sort((a, b) => a - b);
  if (values.length < 2) return { floor: values[0] ?? 0, errors: samples.length === 0 ? 0 : errorsOf(floorVerdicts(samples, values[0]!)), margin: 0 };
  const gaps = values.slice(1).map((high, at) => ({ low: values[at]!, high, errors: errorsOf(floorVerdicts(samples, (values[at]! + high) / 2)) }));
  const fewest = Math.min(...gaps.map((gap) => gap.errors));
  let best = { low: 0, high: 0, width: -1 };
  for (let at = 0; at < gaps.length; at += 1) {
    if (gaps[at]!.errors !== fewest) continue;
    let end = at;
    while (end + 1 < gaps.length && gaps[end + 1]!.errors === fewest) end += 1;
    const width = gaps[end]!.high - gaps[at]!.low;
    if (width > best.width) best = { low: gaps[at]!.low, high: gaps[end]!.high, width };
    at = end;
  }
  return { floor: (best.low + best.high) / 2, errors: fewest, margin: best.width / 2 };
}

/** k-fold cross-validation of the fitted floor: every question judged by a floor fitted without its fold. */
export function crossValidateFloor(samples: readonly TFloorSample[], folds = FOLDS): TFloorVerdicts & { floors: number[] } {
  const total: TFloorVerdicts = { questions: 0, offTopicWeak: 0, offTopic: 0, coveredStrong: 0, covered: 0 };
  const floors: number[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const isHeldOut = (sample: TFloorSample) => foldOf({ q: sample.q, pages: [] }, folds) === fold;
    const { floor } = fitFloor(samples.filter((sample) => !isHeldOut(sample)));
    floors.push(floor);
    const verdicts = floorVerdicts(samples.filter(isHeldOut), floor);
    for (const key of Object.keys(total) as (keyof TFloorVerdicts)[]) total[key] += verdicts[key];
  }
  return { ...total, floors };
}

import { describe, expect, it } from 'vitest';
import { crossValidateFloor, fitFloor, floorVerdicts, OFF_TOPIC_COST, type TFloorSample } from '@/scripts/lib/floor-cv';

// The relevance floor decided on questions (scripts/lib/floor-cv.ts): the cheapest wrong verdicts (an off-topic question
// given sources costs OFF_TOPIC_COST, a docs question called weak 1), in the middle of the widest run of thresholds that
// reach that cost, and judged by k-fold cross-validation.

const off = (q: string, evidence: number): TFloorSample => ({ q, evidence, isCovered: false });
const on = (q: string, evidence: number): TFloorSample => ({ q, evidence, isCovered: true });

describe('the relevance floor fitted on questions', () => {
  it('separates the two kinds where it can, in the middle of the gap between them', () => {
    const samples = [off('a', 0.1), off('b', 0.2), on('c', 0.5), on('d', 0.6)];
    expect(fitFloor(samples)).toEqual({ floor: 0.35, errors: 0, margin: expect.closeTo(0.15, 10) });
    expect(floorVerdicts(samples, 0.35)).toEqual({ questions: 4, offTopicWeak: 2, offTopic: 2, coveredStrong: 2, covered: 2 });
  });

  it('takes the cheapest errors where the kinds overlap, and the widest run of thresholds among equals', () => {
    // From 0.1 to 0.31 the off-topic 0.4 is given sources (OFF_TOPIC_COST, 2); from 0.31 to 0.4 that and the docs 0.31
    // called weak (3); from 0.4 to 0.45 only the docs 0.31 (1): the cheapest; above 0.45, two docs questions (2). With
    // errors weighed alike the first run (1) would tie it and win as the wider.
    expect(OFF_TOPIC_COST).toBe(2);
    const samples = [off('a', 0.1), on('c', 0.31), off('b', 0.4), on('d', 0.45), on('e', 0.5)];
    const fit = fitFloor(samples);
    expect(fit.errors).toBe(1);
    expect(fit.floor).toBeCloseTo(0.425, 10);
  });

  it('weighs an off-topic question given sources above a docs question called weak', () => {
    // One off-topic question at 0.4 among docs questions at 0.3 and 0.5: letting it through costs 2, calling the docs
    // question at 0.3 weak costs 1, so the floor goes above the off-topic one.
    const fit = fitFloor([on('c', 0.3), off('b', 0.4), on('e', 0.5)]);
    expect(fit).toMatchObject({ floor: 0.45, errors: 1 });
  });

  it('judges each fold by the floor fitted on the others', () => {
    const samples = Array.from({ length: 40 }, (_, at) => (at % 2 === 0 ? off(`off ${at}`, 0.1 + at / 1000) : on(`on ${at}`, 0.5 + at / 1000)));
    const cv = crossValidateFloor(samples);
    expect(cv.floors).toHaveLength(5);
    expect(cv).toMatchObject({ questions: 40, offTopic: 20, offTopicWeak: 20, covered: 20, coveredStrong: 20 });
  });
});

import { describe, expect, it } from 'vitest';
import { crossValidateFloor, fitFloor, floorVerdicts, type TFloorSample } from '@/scripts/lib/floor-cv';

// The relevance floor decided on questions (scripts/lib/floor-cv.ts): the fewest wrong verdicts, in the middle of the
// widest run of thresholds that reach them, and judged by k-fold cross-validation.

const off = (q: string, evidence: number): TFloorSample => ({ q, evidence, isCovered: false });
const on = (q: string, evidence: number): TFloorSample => ({ q, evidence, isCovered: true });

describe('the relevance floor fitted on questions', () => {
  it('separates the two kinds where it can, in the middle of the gap between them', () => {
    const samples = [off('a', 0.1), off('b', 0.2), on('c', 0.5), on('d', 0.6)];
    expect(fitFloor(samples)).toEqual({ floor: 0.35, errors: 0, margin: expect.closeTo(0.15, 10) });
    expect(floorVerdicts(samples, 0.35)).toEqual({ questions: 4, offTopicWeak: 2, offTopic: 2, coveredStrong: 2, covered: 2 });
  });

  it('takes the fewest errors where the kinds overlap, and the widest run of thresholds among equals', () => {
    // From 0.1 to 0.31 one error (the off-topic 0.4 above it); from 0.4 to 0.45 one too (the docs 0.31 below it); between,
    // two: the wider of the two runs wins.
    const samples = [off('a', 0.1), on('c', 0.31), off('b', 0.4), on('d', 0.45), on('e', 0.5)];
    const fit = fitFloor(samples);
    expect(fit.errors).toBe(1);
    expect(fit.floor).toBeCloseTo(0.205, 10);
  });

  it('judges each fold by the floor fitted on the others', () => {
    const samples = Array.from({ length: 40 }, (_, at) => (at % 2 === 0 ? off(`off ${at}`, 0.1 + at / 1000) : on(`on ${at}`, 0.5 + at / 1000)));
    const cv = crossValidateFloor(samples);
    expect(cv.floors).toHaveLength(5);
    expect(cv).toMatchObject({ questions: 40, offTopic: 20, offTopicWeak: 20, covered: 20, coveredStrong: 20 });
  });
});

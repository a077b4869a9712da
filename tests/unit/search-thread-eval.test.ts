import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rowsOf, type TGroup } from '../../scripts/lib/search-thread-eval';

// The thread evaluation's rows over several cuts into folds: the first cut's figures as they were, and beside them
// the mean over every cut, which the corpus test judges each docs set by.

const index = buildRankIndex([section('components/button/index.mdx', 'Button', 'Disabled', 'A disabled button cannot be clicked.')]);
const question = (q: string) => ({ q, pages: ['components/button/index.mdx'] });

describe('rowsOf', () => {
  it('reports the first cut\'s scores and, beside them, their mean over the cuts, per set and view', () => {
    const groups: TGroup[] = [
      { set: 'docs', view: 'threads on', index, questions: [question('a'), question('b')] },
      { set: 'docs', view: 'threads on', index, questions: [question('c')] },
      { set: 'docs', view: 'threads on, asking thread indexed', index, questions: [question('a'), question('b'), question('c')], isScoredOnly: true },
    ];
    // Per cut, each group's held-out ranks (0-based, -1: not in the first 10).
    const cuts = [
      [[0, 7], [-1], [0, 0, 0]],
      [[0, 1], [3], [0, 0, -1]],
      [[0, 0], [-1], [0, 0, 0]],
    ];
    const rows = rowsOf(groups, cuts);
    expect(rows.map((row) => row.view)).toEqual(['threads on', 'threads on, asking thread indexed']);
    const [threadsOn, indexed] = rows;
    // The first cut: 1 of 3 in the top 5 (rank 7 and none are out).
    expect(threadsOn!.cv).toMatchObject({ questions: 3, recallAt5: 1 / 3, recallAt1: 1 / 3 });
    // Over the cuts: 1, 3 and 2 of 3 in the top 5; every question counted once per cut, so still 3 questions.
    expect(threadsOn!.cvMean.questions).toBe(3);
    expect(threadsOn!.cvMean.recallAt5).toBeCloseTo(2 / 3, 12);
    expect(threadsOn!.cvMean.recallAt1).toBeCloseTo((1 / 3 + 1 / 3 + 2 / 3) / 3, 12);
    expect(threadsOn!.cvMean.mrr).toBeCloseTo(((1 + 1 / 8) / 3 + (1 + 1 / 2 + 1 / 4) / 3 + 2 / 3) / 3, 12);
    expect(indexed!.cv.recallAt5).toBe(1);
    expect(indexed!.cvMean.recallAt5).toBeCloseTo((1 + 2 / 3 + 1) / 3, 12);
  });

  it('with one cut, reports the same figures as the first cut and the mean', () => {
    const groups: TGroup[] = [{ set: 'docs', view: 'docs only', index, questions: [question('a'), question('b')] }];
    const [row] = rowsOf(groups, [[[0, -1]]]);
    expect(row!.cvMean).toEqual(row!.cv);
  });
});

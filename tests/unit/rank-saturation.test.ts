import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex, FIELDS, MAX_FIELD_TF } from '@/lib/docs/search/ranking/build';
import { keptPostingsOf, termSaturation, warmSaturations } from '@/lib/docs/search/ranking/saturation';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';

// A term's saturations are worked out once per index and weights and kept (saturation.ts); after a server builds or
// loads an index they are worked out ahead, between searches (warmSaturations), so that no search pays for them.

const SECTIONS = [
  section('components/button/index.mdx', 'Button', 'About Button', 'A button starts an action. Use a primary button once per view.'),
  section('components/toast/index.mdx', 'Toast', 'Dismissing a toast', 'A toast is dismissed after five seconds or by its close button.'),
  section('foundations/spacing/index.mdx', 'Spacing', 'Spacing scale', 'Space between elements uses the spacing tokens.'),
];

describe('saturations', () => {
  it('are worked out ahead for every term of an index, and a search then reads the kept ones', async () => {
    const index = buildRankIndex(SECTIONS);
    expect(keptPostingsOf(index, DEFAULT_RANK_WEIGHTS)).toBe(0);
    await warmSaturations(index, DEFAULT_RANK_WEIGHTS, 0);
    expect(keptPostingsOf(index, DEFAULT_RANK_WEIGHTS)).toBe(index.compact.sections.length);
    const button = termSaturation(index, 'button', undefined, DEFAULT_RANK_WEIGHTS);
    expect(termSaturation(index, 'button', undefined, DEFAULT_RANK_WEIGHTS)).toBe(button);
    expect(Array.from(button.sections)).toEqual(Array.from(index.postings.get('button')!.sections));
    // Each value a saturation: above 0 and below 1 where the term counts.
    for (const value of button.all) expect(value > 0 && value < 1).toBe(true);
    // Another index (a change applied) starts with none kept.
    expect(keptPostingsOf(buildRankIndex(SECTIONS.slice(1)), DEFAULT_RANK_WEIGHTS)).toBe(0);
  });

  it('keep a word’s count in one field of a section up to MAX_FIELD_TF', () => {
    const index = buildRankIndex([section('reference/index.mdx', 'Reference', 'Types', Array.from({ length: 300 }, () => 'string').join(' '))]);
    const body = FIELDS.indexOf('body');
    expect(index.postings.get('string')!.tf[body]).toBe(MAX_FIELD_TF);
    expect(MAX_FIELD_TF).toBeLessThan(300);
  });
});

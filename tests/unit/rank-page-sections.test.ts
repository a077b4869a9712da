import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';

// Issue 56, item 2: the page whose several sections answer a reader's description ranks above a page one section of
// which happens to say most of its words (weights.ts pageSections: a page's candidates' scores summed, each further
// one discounted by samePage; fitted by cross-validation, scripts/lib/search-cv.ts).

describe("a page's sections' evidence together", () => {
  const SECTIONS = [
    section('components/button/index.mdx', 'Button', 'Circle buttons', 'A circle button can show it is loading.'),
    section('components/spinner/index.mdx', 'Spinner', 'About Spinner', 'A spinner is a circle that shows something is loading.'),
    section('components/spinner/index.mdx', 'Spinner', 'When to use a Spinner', 'Show the circle while something is loading.'),
    section('components/spinner/index.mdx', 'Spinner', 'Accessibility', 'Give the loading circle a title that shows what is loading.'),
    section('components/modal/index.mdx', 'Modal', 'About Modal', 'A dialog over the page.'),
  ];
  const index = buildRankIndex(SECTIONS);
  const firstPage = (weights: typeof DEFAULT_RANK_WEIGHTS) =>
    SECTIONS[rankSections(index, 'the circle that shows something is loading', { weights, limit: 5 })[0]!.section]!.path;

  it('ranks the page several sections of which match first', () => {
    expect(firstPage(DEFAULT_RANK_WEIGHTS)).toBe('components/spinner/index.mdx');
  });

  it('is what moves it: each page by its best section alone ranks the other first', () => {
    expect(firstPage({ ...DEFAULT_RANK_WEIGHTS, pageSections: 0 })).toBe('components/button/index.mdx');
  });
});

import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { applyRankDelta } from '@/lib/docs/search/ranking/delta';
import { rankSections, type TSectionFilter } from '@/lib/docs/search/ranking/rank';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';

// The ranker's filters (kinds, versions, the reader's audiences: lib/audiences) are kept per index and filter as a flag per section
// (rank.ts#keptSections): the same filter asked again, or another one, or an index changed in place, each leaves out
// exactly the sections its test leaves out.

const SECTIONS = [
  section('guides/toasts.md', 'Toasts', 'Dismissing toasts', 'A toast is dismissed after five seconds or by its close button.'),
  { ...section('github/issues/12', 'Toast never dismisses', 'Question', 'My toast never dismisses after five seconds.'), kind: 'github', meta: { isPrivate: true } },
  { ...section('github/issues/13', 'Toast dismiss timing', 'Question', 'Can a toast be dismissed sooner than five seconds?'), kind: 'github', meta: {} },
  { ...section('v1/toasts.md', 'Toasts (v1)', 'Dismissing toasts', 'In version one a toast is dismissed by its close button only.'), meta: { version: '1.x' } },
];

const paths = (index: ReturnType<typeof buildRankIndex>, filter: TSectionFilter) =>
  rankSections(index, 'dismiss a toast after five seconds', { weights: DEFAULT_RANK_WEIGHTS, limit: 10, ...filter })
    .map((hit) => index.sections[hit.section]!.path)
    .sort();

describe('the ranker’s filters', () => {
  it('leave out what each filter leaves out, asked once or many times, in any order', () => {
    const index = buildRankIndex(SECTIONS);
    const all = ['github/issues/12', 'github/issues/13', 'guides/toasts.md', 'v1/toasts.md'];
    for (let round = 0; round < 2; round += 1) {
      expect(paths(index, { access: MAINTAINER_ACCESS,})).toEqual(all);
      expect(paths(index, { access: PUBLIC_ACCESS })).toEqual(['github/issues/13', 'guides/toasts.md', 'v1/toasts.md']);
      expect(paths(index, { access: MAINTAINER_ACCESS, kinds: new Set(['github']) })).toEqual(['github/issues/12', 'github/issues/13']);
      expect(paths(index, { kinds: new Set(['github']), access: PUBLIC_ACCESS })).toEqual(['github/issues/13']);
      expect(paths(index, { access: MAINTAINER_ACCESS, versions: new Set(['2.x']) })).toEqual(['github/issues/12', 'github/issues/13', 'guides/toasts.md']);
      expect(paths(index, { access: MAINTAINER_ACCESS })).toEqual(all);
    }
  });

  it('apply to an index changed in place as to a new one (a thread made private)', () => {
    const index = buildRankIndex(SECTIONS);
    expect(paths(index, { access: PUBLIC_ACCESS })).toContain('github/issues/13');
    const madePrivate = { ...SECTIONS[2]!, id: 1_000_000, meta: { isPrivate: true } };
    const changed = applyRankDelta(index, { removedIds: new Set([SECTIONS[2]!.id]), added: [madePrivate], learned: [] })!;
    expect(paths(changed, { access: PUBLIC_ACCESS })).toEqual(['guides/toasts.md', 'v1/toasts.md']);
    expect(paths(changed, { access: MAINTAINER_ACCESS,})).toContain('github/issues/13');
  });

  it("keep a page of an audience for a reader holding it or a maintainer, and for no one else", () => {
    const staff = { ...section('internal/toasts.md', 'Toaster internals', 'Timing', 'The toaster dismisses a toast after five seconds.'), meta: { audiences: ['staff'] } };
    const index = buildRankIndex([...SECTIONS, staff]);
    for (let round = 0; round < 2; round += 1) {
      expect(paths(index, { access: PUBLIC_ACCESS })).not.toContain('internal/toasts.md');
      expect(paths(index, { access: { audiences: ['beta'], isMaintainer: false } })).not.toContain('internal/toasts.md');
      expect(paths(index, { access: { audiences: ['beta', 'staff'], isMaintainer: false } })).toContain('internal/toasts.md');
      // A reader of an audience is still no maintainer: a private repository's thread (maintainers only) stays out.
      expect(paths(index, { access: { audiences: ['staff'], isMaintainer: false } })).not.toContain('github/issues/12');
      expect(paths(index, { access: MAINTAINER_ACCESS })).toContain('internal/toasts.md');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { rankSection } from '../helpers/rank-sections';
import { buildRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Ranking across kinds (issue 37, item 4): threads (sections of a source whose kind readers see as `thread`) beside
// docs pages. Each weight of weights.ts's thread group shown doing what it is for, and failing without it.

/** A thread's section as the GitHub source stores it: kind 'github', its number, state and last update in meta. */
function threadSection(number: number, title: string, heading: string, content: string, updatedAt = '2024-01-01T00:00:00Z'): TRankSection {
  return {
    ...rankSection(`github:acme/widgets#${number}`, title, heading, content),
    slug: `https://github.com/acme/widgets/issues/${number}`,
    heading_path: heading === title ? [title] : [title, heading],
    anchor: heading === title ? '' : `issuecomment-${number}`,
    kind: 'github',
    description: `Issue #${number} in acme/widgets, closed, updated ${updatedAt.slice(0, 10)}`,
    meta: { number, state: 'closed', updatedAt },
  };
}

const DOCS = [
  rankSection('components/tooltip/index.mdx', 'Tooltip', 'Placement', 'A tooltip opens above its trigger. Set the placement prop to move it to another side of the trigger.'),
  rankSection('components/modal/index.mdx', 'Modal', 'About Modal', 'A dialog over the page that asks the user to finish one task before going back.'),
  rankSection('foundations/spacing/index.mdx', 'Spacing', 'Spacing scale', 'Space between elements uses the spacing tokens.'),
  rankSection('components/combobox/index.mdx', 'Combobox', 'About Combobox', 'A combobox lets a user pick an option from a list while typing to filter it.'),
];

const paths = (index: ReturnType<typeof buildRankIndex>, query: string, weights: TRankWeights, limit = 5) =>
  rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit }).map((hit) => index.sections[hit.section]!.path);

const NEUTRAL: TRankWeights = { ...DEFAULT_RANK_WEIGHTS, threadPrior: 1, threadTitle: 0, recency: 0, threadSamePage: DEFAULT_RANK_WEIGHTS.samePage, threadSlots: 5 };

describe('threads beside the docs', () => {
  it('changes nothing on an index without threads, whatever the thread weights', () => {
    const index = buildRankIndex(DOCS);
    const skewed: TRankWeights = { ...DEFAULT_RANK_WEIGHTS, threadPrior: 0.1, threadTitle: 5, recency: 2, threadSamePage: 0.01, threadSlots: 0 };
    for (const query of ['tooltip placement', 'pick an option from a list', 'space between elements']) {
      expect(rankSections(index, query, { access: MAINTAINER_ACCESS, weights: skewed, limit: 5 })).toEqual(rankSections(index, query, { access: MAINTAINER_ACCESS, weights: NEUTRAL, limit: 5 }));
    }
  });

  it('keeps the docs page first when it answers as well as a thread (the kind prior), and only with it', () => {
    const index = buildRankIndex([
      ...DOCS,
      threadSection(7, 'Move the tooltip to another side', 'Move the tooltip to another side', 'A tooltip opens above its trigger. Set the placement prop to move it to another side of the trigger.'),
    ]);
    expect(paths(index, 'move the tooltip to another side', NEUTRAL)[0]).toBe('github:acme/widgets#7');
    expect(paths(index, 'move the tooltip to another side', { ...NEUTRAL, threadPrior: 0.5 })[0]).toBe('components/tooltip/index.mdx');
  });

  it('puts first a thread whose title is the reader\'s problem (the title bonus), and only with it', () => {
    const index = buildRankIndex([
      ...DOCS,
      rankSection('components/combobox/index.mdx', 'Combobox', 'Combobox in a modal', 'A combobox list inside a modal stays in place when the page scrolls, at the top of its input.'),
      threadSection(12, 'Combobox list stuck at the top of a modal after scrolling', 'Combobox list stuck at the top of a modal after scrolling', 'Open it after scrolling down.'),
    ]);
    const question = 'combobox list stuck at the top of the modal after scrolling';
    const weights = { ...NEUTRAL, threadPrior: 0.2 };
    expect(paths(index, question, weights)[0]).not.toBe('github:acme/widgets#12');
    expect(paths(index, question, { ...weights, threadTitle: 4 })[0]).toBe('github:acme/widgets#12');
  });

  it('ranks a recent thread above an old one that says the same (recency), and only with it', () => {
    const text = 'The combobox list does not close when the page scrolls.';
    const index = buildRankIndex([
      ...DOCS,
      threadSection(3, 'Combobox list stays open', 'Combobox list stays open', text, '2020-05-01T00:00:00Z'),
      threadSection(40, 'Combobox list stays open', 'Combobox list stays open', text, '2025-05-01T00:00:00Z'),
    ]);
    const threads = (weights: TRankWeights) => paths(index, 'combobox list stays open when scrolling', weights).filter((path) => path.startsWith('github:'));
    // Equal scores keep the index's order: the old thread first.
    expect(threads(NEUTRAL)).toEqual(['github:acme/widgets#3', 'github:acme/widgets#40']);
    expect(threads({ ...NEUTRAL, recency: 0.05 })).toEqual(['github:acme/widgets#40', 'github:acme/widgets#3']);
    expect(DEFAULT_RANK_WEIGHTS.recency).toBeGreaterThan(0);
  });

  it('does not let one thread\'s comments fill the first results (threadSamePage), and only with it', () => {
    const comments = [1, 2, 3, 4].map((n) => threadSection(9, 'Spacing tokens between elements', `Comment ${n}`, `Spacing tokens between elements: reply ${n} about the spacing scale.`));
    const index = buildRankIndex([...DOCS, threadSection(9, 'Spacing tokens between elements', 'Spacing tokens between elements', 'Which spacing tokens go between elements?'), ...comments]);
    const first = (weights: TRankWeights) => paths(index, 'spacing tokens between elements', weights, 3);
    expect(first(NEUTRAL).filter((path) => path === 'github:acme/widgets#9').length).toBeGreaterThanOrEqual(2);
    expect(first({ ...NEUTRAL, threadSamePage: 0.01 })).toEqual(['github:acme/widgets#9', 'foundations/spacing/index.mdx', 'github:acme/widgets#9']);
  });

  it('lets threads take at most threadSlots of the first five results, the others just after them', () => {
    const threads = [21, 22, 23, 24].map((n) => threadSection(n, `Modal dialog question ${n}`, `Modal dialog question ${n}`, 'The modal dialog over the page: a task to finish before going back.'));
    const pages = ['Dialog', 'Side modal', 'Alert dialog'].map((title) =>
      rankSection(`components/${title.toLowerCase().replace(' ', '-')}/index.mdx`, title, `About ${title}`, `A ${title.toLowerCase()} shows over the page, a modal dialog.`),
    );
    const index = buildRankIndex([...DOCS, ...pages, ...threads]);
    const open = paths(index, 'modal dialog over the page', NEUTRAL, 8);
    expect(open.slice(0, 5).filter((path) => path.startsWith('github:')).length).toBeGreaterThan(2);
    const capped = paths(index, 'modal dialog over the page', { ...NEUTRAL, threadSlots: 2 }, 8);
    expect(capped.slice(0, 5).filter((path) => path.startsWith('github:'))).toHaveLength(2);
    // Nothing is lost: the same results, the threads beyond the cap moved down.
    expect([...capped].sort()).toEqual([...open].sort());
  });

  it('does not index a thread\'s description (its source\'s line about it, the same words on every thread) as its context', () => {
    const index = buildRankIndex([...DOCS, threadSection(8, 'Combobox option', 'Combobox option', 'Picking an option does nothing.')]);
    expect(paths(index, 'widgets updated', NEUTRAL)).toEqual([]);
    // A docs page's description is its context.
    const described = buildRankIndex([{ ...rankSection('components/tabs/index.mdx', 'Tabs', 'About Tabs', 'Switch views.'), description: 'Widgets updated in place.' }]);
    expect(paths(described, 'widgets updated', NEUTRAL)).toEqual(['components/tabs/index.mdx']);
  });

  it('takes no page or component names from thread titles (a headline, as a blog post\'s)', () => {
    const index = buildRankIndex([...DOCS, threadSection(5, 'Slider crashes the renderer', 'Slider crashes the renderer', 'The renderer crashes when the slider moves.')]);
    expect([...index.namesByVerb.values()].flat()).not.toContain('slider');
    expect(index.pages.find((page) => page.path === 'github:acme/widgets#5')).toMatchObject({ isThread: true, updatedAt: Date.parse('2024-01-01T00:00:00Z') });
    expect(index.newestUpdate).toBe(Date.parse('2024-01-01T00:00:00Z'));
  });
});

import { describe, expect, it } from 'vitest';
import { rankPage, smallRankCorpus } from '../helpers/rank-sections';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { buildRankIndex, isLiveSection, leadSectionPositions, sectionTermsOf, type TLearnedWord, type TRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { baseMaxId, expectedIdDigest, mergeOverlay, overlayRankIndex, removedFromBase, sectionIdDigest } from '@/lib/docs/search/ranking/overlay';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Changes laid over the ranking index (lib/docs/search/ranking/overlay.ts) rank every question as a full build of the
// sections stored afterwards does: the same sections, in the same order, with the same scores, after several changes
// in a row (a page added, edited, removed, edited again); and merged, they are the very index a full build gives.

const page = rankPage;

const BASE = [
  ...smallRankCorpus(),
  ...page('guides/theming.md', 'Theming', [['Colors', 'The theme sets colors and fonts; a loading state uses the spinner colors.']]),
];

const QUERIES = [
  'loading spinner',
  'button props',
  'webhook retries',
  'spacing tokens',
  'spinning',
  'zebrafish',
  'slide',
  'frobn',
  'dialgo over page',
  'quokkafrobnicator',
  'signed secret events',
  'how do I theme colors',
];

type TRanked = { id: number; score: number; evidence: number; coverage: number; pageCoverage: number }[][];

const rankingsOf = (index: TRankIndex): TRanked =>
  QUERIES.map((query) =>
    rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 6 }).map((hit) => ({
      id: index.sections[hit.section]!.id,
      score: hit.score,
      evidence: hit.evidence,
      coverage: hit.coverage,
      pageCoverage: hit.pageCoverage,
    })),
  );

/** What the store does on a change: the sections stored since the base indexed as a segment, laid over the base. */
function layOver(held: TRankIndex, stored: TRankSection[], learned: TLearnedWord[] = []): TRankIndex {
  const base = held.overlay?.base ?? held;
  const sinceBase = stored.filter((entry) => entry.id > baseMaxId(base));
  const removed = removedFromBase(held, sinceBase);
  // A page removed without a successor: the digest of the stored ids tells (store.ts then reads every id).
  const storedIds = new Set(stored.map((entry) => entry.id));
  if (JSON.stringify(expectedIdDigest(base, removed, sinceBase.map((entry) => entry.id))) !== JSON.stringify(sectionIdDigest(storedIds))) {
    for (const entry of base.sections) if (!storedIds.has(entry.id)) removed.add(entry.id);
  }
  const overlaid = overlayRankIndex(base, removed, buildRankIndex(sinceBase, learned));
  expect(overlaid).not.toBeNull();
  return overlaid!;
}

describe('changes laid over the ranking index', () => {
  it('rank as a full build does after a page is added, edited, removed and edited again, and merge into a full build', () => {
    const base = buildRankIndex(BASE);
    let stored = [...BASE];
    let held = base;
    const steps: ((current: TRankSection[]) => TRankSection[])[] = [
      // Added: a page beside components/button/api.mdx makes it an API tab (a kind worked out from its neighbours).
      (current) => [...current, ...page('components/button/index.mdx', 'Button', [['About Button', 'The main action of a view; a loading button spins.']])],
      // Edited: new words, another length, a step list gone.
      (current) => [
        ...current.filter((entry) => entry.path !== 'guides/webhooks.md'),
        ...page('guides/webhooks.md', 'Webhooks', [['Overview', 'Events are delivered as signed HTTP POST requests. Each carries a quokkafrobnicator header.']]),
      ],
      // Removed with no successor (the id digest finds it): the newest update and words only it had go.
      (current) => current.filter((entry) => entry.path !== 'blog/2024-launch.md'),
      // Edited again: the segment's own page replaced, and a base page too.
      (current) => [
        ...current.filter((entry) => entry.path !== 'guides/webhooks.md' && entry.path !== 'foundations/spacing/index.mdx'),
        ...page('guides/webhooks.md', 'Webhooks', [['Overview', 'Signed events, retried with backoff; no quokkas here.']]),
        ...page('foundations/spacing/index.mdx', 'Spacing', [['Spacing scale', 'Spacing tokens; a spinning circle between elements.']]),
      ],
    ];
    for (const step of steps) {
      stored = step(stored);
      held = layOver(held, stored);
      const full = buildRankIndex(stored);
      expect(held.overlay?.base).toBe(base);
      // The same hits with the same scores, question by question; and something to compare.
      const fromOverlay = rankingsOf(held);
      expect(fromOverlay).toEqual(rankingsOf(full));
      expect(fromOverlay.flat().length).toBeGreaterThan(QUERIES.length);
      // What neighbours read: live sections' terms, page leads, words, statistics.
      const live = held.sections.map((_, at) => at).filter((at) => isLiveSection(held, at));
      expect(live.map((at) => held.sections[at]!.id)).toEqual(full.sections.map((entry) => entry.id));
      expect(live.map((at) => sectionTermsOf(held, at))).toEqual(full.sections.map((_, at) => sectionTermsOf(full, at)));
      expect([...leadSectionPositions(held)].map(([path, at]) => [path, held.sections[at]!.id])).toEqual(
        [...leadSectionPositions(full)].map(([path, at]) => [path, full.sections[at]!.id]),
      );
      expect(held.words).toEqual(full.words);
      expect(held.averageLengths).toEqual(full.averageLengths);
      expect(held.averagePageLength).toBe(full.averagePageLength);
      expect(held.newestUpdate).toBe(full.newestUpdate);
      expect(held.maxIdf).toBe(full.maxIdf);
      expect(held.pages.filter((_, at) => at >= base.pages.length || held.overlay!.deadPages[at] === 0).map((entry) => [entry.path, entry.kind])).toEqual(
        full.pages.map((entry) => [entry.path, entry.kind]),
      );
      for (const stem of ['spinner', 'retri', 'quokkafrobnic', 'zebrafish', 'button', 'spin', 'theme']) {
        expect([stem, held.idf.get(stem)]).toEqual([stem, full.idf.get(stem)]);
        expect([stem, held.pageIdf.get(stem)]).toEqual([stem, full.pageIdf.get(stem)]);
        expect([stem, held.postings.has(stem)]).toEqual([stem, full.postings.has(stem)]);
      }
      for (const key of ['quokkafrobnicator', 'zebrafsh', 'frobnicator', 'webhoks']) expect(held.wordsByDeletion.get(key)).toEqual(full.wordsByDeletion.get(key));
      expect(held.namesByVerb).toEqual(full.namesByVerb);
      // Merged, the very index a full build gives.
      expect(rankIndexShape(mergeOverlay(held)!)).toEqual(rankIndexShape(full));
    }
    // The base itself is untouched, and ranks otherwise: the overlay is what made the difference.
    expect(rankingsOf(base)).toEqual(rankingsOf(buildRankIndex(BASE)));
    expect(rankingsOf(base)).not.toEqual(rankingsOf(held));
  });

  it('never returns a removed page, and finds the words a change added', () => {
    const base = buildRankIndex(BASE);
    const stored = [
      ...BASE.filter((entry) => entry.path !== 'blog/2024-launch.md' && entry.path !== 'guides/webhooks.md'),
      ...page('guides/webhooks.md', 'Webhooks', [['Overview', 'Each event carries a quokkafrobnicator header.']]),
    ];
    const held = layOver(base, stored);
    const hits = (query: string) => rankSections(held, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 10 }).map((hit) => held.sections[hit.section]!);
    expect(hits('zebrafish dashboards')).toEqual([]);
    expect(hits('retries eight times three days').some((entry) => entry.heading === 'Retries')).toBe(false);
    expect(hits('quokkafrobnicator')[0]?.path).toBe('guides/webhooks.md');
    expect(rankSections(base, 'quokkafrobnicator', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 10 })).toEqual([]);
  });

  it('keeps the learned vocabulary on changed pages, as a full build does', () => {
    const learned = [
      { word: 'throbber', path: 'components/spinner/index.mdx' },
      { word: 'popup', path: 'components/modal/index.mdx' },
    ];
    const base = buildRankIndex(BASE, learned);
    const stored = [
      ...BASE.filter((entry) => entry.path !== 'components/spinner/index.mdx'),
      ...page('components/spinner/index.mdx', 'Spinner', [['About Spinner', 'A circular loading indicator.']]),
    ];
    const held = layOver(base, stored, learned);
    const full = buildRankIndex(stored, learned);
    expect(rankingsOf(held)).toEqual(rankingsOf(full));
    expect(rankSections(held, 'throbber', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3 }).map((hit) => held.sections[hit.section]!.id)).toEqual(
      rankSections(full, 'throbber', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3 }).map((hit) => full.sections[hit.section]!.id),
    );
    expect(rankIndexShape(mergeOverlay(held)!)).toEqual(rankIndexShape(full));
  });
});

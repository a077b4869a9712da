import { describe, expect, it } from 'vitest';
import { rankSection } from '../helpers/rank-sections';
import { buildRankIndex, type TRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { DOCS, kindStats, MIN_KIND_SECTIONS, THREADS } from '@/lib/docs/search/ranking/kind-stats';
import { overlayRankIndex } from '@/lib/docs/search/ranking/overlay';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Corpus statistics per kind (lib/docs/search/ranking/kind-stats.ts): with threads synced beside the docs, a docs
// question ranks the docs' sections with the very scores it had without them, however many threads say its words.

const TOPICS = ['tooltip', 'button', 'modal', 'combobox', 'toast', 'spinner', 'tabs', 'popover', 'select', 'checkbox', 'alert', 'avatar'];
const ASPECTS = ['placement', 'loading', 'variants', 'accessibility', 'sizes', 'composition', 'events', 'styling', 'disabled', 'focus'];

/** Docs pages, one section each: a topic and an aspect, in a sentence of their own. */
function docsSections(count: number): TRankSection[] {
  return Array.from({ length: count }, (_, at) => {
    const topic = TOPICS[at % TOPICS.length]!;
    const aspect = ASPECTS[Math.floor(at / TOPICS.length) % ASPECTS.length]!;
    return rankSection(`components/${topic}-${at}/index.mdx`, `${topic} ${at}`, `${aspect} of the ${topic}`, `The ${topic} supports ${aspect}. Set the ${aspect} prop on the ${topic} to change it.`);
  });
}

/** GitHub threads as the source stores them, every one of them about the tooltip: what moves a shared idf most. */
function threadSections(count: number, from = 1): TRankSection[] {
  return Array.from({ length: count }, (_, at) => {
    const number = from + at;
    return {
      ...rankSection(`github:acme/widgets#${number}`, `Tooltip bug ${number}`, `Tooltip bug ${number}`, `The tooltip does not show after an upgrade, version ${number}. Steps to reproduce: hover the tooltip trigger.`),
      slug: `https://github.com/acme/widgets/issues/${number}`,
      anchor: '',
      kind: 'github',
      meta: { number, state: 'closed', updatedAt: '2024-01-01T00:00:00Z' },
    };
  });
}

const QUERIES = ['tooltip placement', 'button loading', 'how do I show a tooltip on a disabled button', 'modal focus accessibility', 'spinner sizes'];

/** The docs' results of each question (sections of no source kind: the docs folder's), with their scores and evidence. */
function docsRankings(index: TRankIndex) {
  return QUERIES.map((query) =>
    rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 8, kinds: new Set(['folder']), isExhaustive: true }).map((hit) => ({
      id: index.sections[hit.section]!.id,
      score: hit.score,
      evidence: hit.evidence,
      coverage: hit.coverage,
    })),
  );
}

describe('corpus statistics per kind', () => {
  const docs = docsSections(MIN_KIND_SECTIONS + 40);

  it('ranks a docs question\'s docs sections with the same scores with threads synced as without them', () => {
    const alone = docsRankings(buildRankIndex(docs));
    const withThreads = buildRankIndex([...docs, ...threadSections(MIN_KIND_SECTIONS + 10)]);
    expect(kindStats(withThreads).isSplit).toBe(true);
    expect(alone.flat().length).toBeGreaterThan(20);
    expect(docsRankings(withThreads)).toEqual(alone);
    // The threads still rank, by their own statistics: the one tooltip bug of that version comes first.
    const threads = rankSections(withThreads, 'tooltip does not show after the upgrade to version 205', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 });
    expect(withThreads.sections[threads[0]!.section]!.path).toBe('github:acme/widgets#205');
  });

  it('counts a kind of fewer than MIN_KIND_SECTIONS sections with the other: each a few threads\' words, as rare as one', () => {
    const fewThreads = buildRankIndex([...docs, ...threadSections(MIN_KIND_SECTIONS - 1)]);
    const stats = kindStats(fewThreads);
    expect(stats.isSplit).toBe(false);
    expect(stats.idf('tooltip')).toEqual([fewThreads.idf.get('tooltip'), fewThreads.idf.get('tooltip')]);
    // So the threads' words move the docs' scores, as they did before statistics were kept per kind.
    expect(docsRankings(fewThreads)).not.toEqual(docsRankings(buildRankIndex(docs)));
  });

  it('gives a docs section\'s word its rarity among the docs, a thread\'s its rarity in the whole index', () => {
    const index = buildRankIndex([...docs, ...threadSections(MIN_KIND_SECTIONS + 10)]);
    const [docsIdf, threadsIdf] = kindStats(index).idf('tooltip');
    // Every thread says "tooltip": one topic in twelve among the docs, common in the whole index.
    expect(threadsIdf).toBe(index.idf.get('tooltip'));
    expect(docsIdf!).toBeGreaterThan(threadsIdf! + 1);
    expect(kindStats(index).idf('reproduc')).toEqual([undefined, index.idf.get('reproduc')]);
    // Common among threads (every one), not among the docs: common for the cut, as the threads' share says.
    expect(kindStats(index).postingShare('tooltip')).toBe(1);
    expect(kindStats(index).kindOf.filter((kind) => kind === THREADS)).toHaveLength(MIN_KIND_SECTIONS + 10);
    expect(kindStats(index).kindOf.filter((kind) => kind === DOCS)).toHaveLength(docs.length);
  });

  it('counts an overlaid index\'s live sections only, as a full build of the sections stored now', () => {
    const threads = threadSections(MIN_KIND_SECTIONS + 30);
    const base = buildRankIndex([...docs, ...threads]);
    // Twenty threads gone (tombstones in the base), five new ones laid over it.
    const removed = new Set(threads.slice(0, 20).map((section) => section.id));
    const added = threadSections(5, 1000);
    const overlaid = overlayRankIndex(base, removed, buildRankIndex(added));
    expect(overlaid).not.toBeNull();
    const full = buildRankIndex([...docs, ...threads.slice(20), ...added]);
    expect(kindStats(overlaid!).averageLengths).toEqual(kindStats(full).averageLengths);
    expect(kindStats(overlaid!).idf('tooltip')).toEqual(kindStats(full).idf('tooltip'));
    expect(docsRankings(overlaid!)).toEqual(docsRankings(full));
    const ids = (index: TRankIndex) => rankSections(index, 'tooltip bug upgrade', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 6 }).map((hit) => [index.sections[hit.section]!.id, hit.score]);
    expect(ids(overlaid!)).toEqual(ids(full));
  });
});

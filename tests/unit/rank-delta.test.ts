import { describe, expect, it } from 'vitest';
import { rankPage, smallRankCorpus } from '../helpers/rank-sections';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { buildRankIndex, type TLearnedWord, type TRankSection } from '@/lib/docs/search/ranking/build';
import { applyRankDelta } from '@/lib/docs/search/ranking/delta';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// A change applied to the ranking index in place (lib/docs/search/ranking/delta.ts) gives the very index a full build
// of the sections stored afterwards gives: same sections, pages, postings, idfs, words, lookups. Each case changes
// something the ranker learns from the whole corpus: a word's rarity, a page's kind, the average lengths, a word that
// only the removed page had, the newest update, a verb's agent-noun name, learned vocabulary.

const page = rankPage;

const BASE = smallRankCorpus();

const QUERIES = ['loading spinner', 'button props', 'webhook retries', 'spacing tokens', 'spinning', 'zebrafish', 'slide', 'frobn', 'dialgo over page'];

const ranked = (sections: TRankSection[], learned: TLearnedWord[] = []) => {
  const index = buildRankIndex(sections, learned);
  return QUERIES.map((query) => rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 }).map((hit) => index.sections[hit.section]!.id));
};

/** The base with `removedPaths` gone and `added` stored after it: the delta result, and a full build of the same. */
function both(removedPaths: string[], added: TRankSection[], learned: TLearnedWord[] = [], base = BASE) {
  const held = buildRankIndex(base, learned);
  const removedIds = new Set(base.filter((entry) => removedPaths.includes(entry.path)).map((entry) => entry.id));
  const applied = applyRankDelta(held, { removedIds, added, learned });
  const full = buildRankIndex([...base.filter((entry) => !removedIds.has(entry.id)), ...added], learned);
  return { held, applied, full, removedIds };
}

describe('a change applied to the ranking index in place', () => {
  it('equals a full build after a page is edited (new words, other lengths, a step list gone)', () => {
    const edited = page('guides/webhooks.md', 'Webhooks', [
      ['Overview', 'Events are delivered as HTTP POST requests to your endpoint. Each carries a quokkafrobnicator header.'],
    ]);
    const { applied, full } = both(['guides/webhooks.md'], edited);
    expect(applied).not.toBeNull();
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
    expect(applied!.postings.has('retri')).toBe(false);
    expect(applied!.words.some((entry) => entry.word === 'quokkafrobnicator')).toBe(true);
  });

  it('equals a full build after a page is removed: words only it had are gone, the newest update moves', () => {
    const { held, applied, full } = both(['blog/2024-launch.md'], []);
    expect(held.newestUpdate).not.toBeNull();
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
    expect(applied!.newestUpdate).toBeNull();
    expect(applied!.words.some((entry) => entry.word === 'zebrafish')).toBe(false);
    expect(applied!.sections.some((entry) => entry.path === 'blog/2024-launch.md')).toBe(false);
  });

  it('equals a full build after pages are added, one of which changes another page’s kind and one adds a name', () => {
    const added = [
      ...page('components/button/index.mdx', 'Button', [['About Button', 'The main action of a view; a loading button spins.']]),
      ...page('components/slider/index.mdx', 'Slider', [['About Slider', 'Pick a value by dragging a handle; slide it to the value.']]),
    ];
    const { held, applied, full } = both([], added);
    expect(held.pages.find((entry) => entry.path === 'components/button/api.mdx')!.kind).toBe('guide');
    expect(applied!.pages.find((entry) => entry.path === 'components/button/api.mdx')!.kind).toBe('api');
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
  });

  it('equals a full build after an edit, a removal and an addition at once, and ranks alike', () => {
    const added = [
      ...page('foundations/spacing/index.mdx', 'Spacing', [['Spacing scale', 'Spacing tokens; a spinning circle between elements.']]),
      ...page('guides/retries.md', 'Retries', [['Retries', 'Failed webhook deliveries are retried with backoff.']]),
    ];
    const { applied, full } = both(['foundations/spacing/index.mdx', 'components/modal/index.mdx'], added);
    expect(applied).not.toBeNull();
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
    const after = [...BASE.filter((entry) => !['foundations/spacing/index.mdx', 'components/modal/index.mdx'].includes(entry.path)), ...added];
    const fromDelta = QUERIES.map((query) => rankSections(applied!, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 }).map((hit) => applied!.sections[hit.section]!.id));
    expect(fromDelta).toEqual(ranked(after));
    // The removed page's sections are nowhere in the results.
    const removed = new Set(BASE.filter((entry) => entry.path === 'components/modal/index.mdx').map((entry) => entry.id));
    expect(fromDelta.flat().some((id) => removed.has(id))).toBe(false);
  });

  it('applies a second change to an index that was itself changed in place', () => {
    const first = page('guides/webhooks.md', 'Webhooks', [['Overview', 'Signed POST requests.']]);
    const { applied } = both(['guides/webhooks.md'], first);
    const second = page('guides/webhooks.md', 'Webhooks', [['Overview', 'Signed POST requests, retried.']]);
    const removedIds = new Set(first.map((entry) => entry.id));
    const again = applyRankDelta(applied!, { removedIds, added: second, learned: [] });
    const full = buildRankIndex([...BASE.filter((entry) => entry.path !== 'guides/webhooks.md'), ...second]);
    expect(rankIndexShape(again!)).toEqual(rankIndexShape(full));
  });

  it('keeps the learned vocabulary on changed pages, as a full build does', () => {
    const learned = [
      { word: 'throbber', path: 'components/spinner/index.mdx' },
      { word: 'popup', path: 'components/modal/index.mdx' },
    ];
    const edited = page('components/spinner/index.mdx', 'Spinner', [['About Spinner', 'A circular loading indicator.']]);
    const { applied, full } = both(['components/spinner/index.mdx'], edited, learned);
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
    expect(applied!.postings.has('throbber')).toBe(true);
  });

  it('equals a full build when the docs’ words grow past what two bytes number (each section’s words, as wider positions)', () => {
    // Words that are not typo candidates (a digit in each: cheap to index), as many as the positions of a two-byte
    // list can number, less a few: the change adds more.
    const many = Array.from({ length: 0x10000 - 250 }, (_, n) => `q${n}`);
    const base = [
      ...BASE,
      ...Array.from({ length: 8 }, (_, part) => page(`reference/words-${part}.md`, `Words ${part}`, [['Words', many.filter((_, n) => n % 8 === part).join(' ')]])).flat(),
    ];
    const added = page('reference/more.md', 'More', [['More', Array.from({ length: 400 }, (_, n) => `z${n}`).join(' ')]]);
    const { held, applied, full } = both(['components/modal/index.mdx'], added, [], base);
    expect(held.sectionWords.ids).toBeInstanceOf(Uint16Array);
    expect(full.words.length).toBeGreaterThan(0x10000);
    expect(applied!.sectionWords.ids).toBeInstanceOf(Int32Array);
    expect(rankIndexShape(applied!)).toEqual(rankIndexShape(full));
  });

  it('gives the held index itself when no section changed (the version moved for something else)', () => {
    const held = buildRankIndex(BASE);
    expect(applyRankDelta(held, { removedIds: new Set(), added: [], learned: [] })).toBe(held);
  });

  it('declines (a full build follows) when the approved vocabulary changed, a page is partly kept, ids go back, or most of it changed', () => {
    const held = buildRankIndex(BASE);
    const edited = page('guides/retries.md', 'Retries', [['Retries', 'Backoff.']]);
    expect(applyRankDelta(held, { removedIds: new Set(), added: edited, learned: [{ word: 'popup', path: 'components/modal/index.mdx' }] })).toBeNull();
    const webhooks = BASE.filter((entry) => entry.path === 'guides/webhooks.md');
    const partly = page('guides/webhooks.md', 'Webhooks', [['Overview', 'Only the first section replaced.']]);
    expect(applyRankDelta(held, { removedIds: new Set([webhooks[0]!.id]), added: partly, learned: [] })).toBeNull();
    const older = { ...edited[0]!, id: BASE[0]!.id };
    expect(applyRankDelta(held, { removedIds: new Set([BASE[0]!.id, BASE[1]!.id]), added: [older], learned: [] })).toBeNull();
    const most = new Set(BASE.slice(0, 5).map((entry) => entry.id));
    expect(applyRankDelta(held, { removedIds: most, added: [], learned: [] })).toBeNull();
  });
});

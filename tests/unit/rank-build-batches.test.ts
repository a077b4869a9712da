import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { rankIndexShape } from '../helpers/rank-index-shape';
import { buildRankIndex, rankIndexBuilder, type TLearnedWord, type TRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { growableInt32, growableUint8 } from '@/lib/docs/search/ranking/growable';
import { deserializeRankIndex, serializeRankIndex } from '@/lib/docs/search/ranking/persist';

// The ranking index's build counts sections as they arrive, a batch at a time (store.ts reads them a page of rows at a
// time), into growable typed arrays (lib/docs/search/ranking/growable.ts). Whatever the batches, the index is the one
// built from every section at once, byte for byte; and an index written to disk and read back is the one built.

const page = (path: string, title: string, parts: [string, string][], extra: Partial<TRankSection> = {}) =>
  parts.map(([heading, content]) => ({ ...section(path, title, heading, content), ...extra }));

const LONG = 'a paragraph long enough to be the context of its whole page, about';

const SECTIONS: TRankSection[] = [
  // No paragraph long enough in any section: its context is its description alone, known only once it is complete.
  ...page('components/badge/index.mdx', 'Badge', [['About', 'Short words.'], ['Usage', '```jsx\n<Badge variant="new" />\n```'], ['Tips', 'Keep it brief.']], { description: 'A small label' }),
  // Its context lies in its second section: the first waits for it.
  ...page('components/spinner/index.mdx', 'Spinner', [['About Spinner', 'Loading.'], ['Details', `Spinner is ${LONG} circular loading indicators.`]]),
  ...page('components/spinner/api.mdx', 'Spinner', [['Props', `The size prop is ${LONG} props of the spinner component.`]]),
  ...page('guides/webhooks.md', 'Webhooks', [
    ['Overview', `Events are ${LONG} webhooks delivered as HTTP POST requests.`],
    ['Retries', '1. Return a 2xx status.\n2. Otherwise the event is sent again.'],
  ]),
  ...page('blog/2024-launch.md', 'Launch notes', [['Launch', 'We launched frobnicators and zebrafish dashboards.']], { kind: 'github', meta: { updatedAt: '2024-05-01T00:00:00Z' } }),
];

const LEARNED: TLearnedWord[] = [
  { word: 'throbber', path: 'components/spinner/index.mdx' },
  { word: 'loading throbber', path: 'components/spinner/index.mdx' },
  { word: 'hook', path: 'guides/webhooks.md' },
];

/** Each section with its page's last section id, as the database gives it (list_docs_sections_for_ranking_page). */
function asRead(sections: TRankSection[]): TRankSection[] {
  const last = new Map<string, number>();
  for (const entry of sections) last.set(entry.path, Math.max(last.get(entry.path) ?? 0, entry.id));
  return sections.map((entry) => ({ ...entry, page_last_id: last.get(entry.path)! }));
}

function inBatches(sections: TRankSection[], size: number, learned: TLearnedWord[]): TRankIndex {
  const builder = rankIndexBuilder(learned);
  for (let at = 0; at < sections.length; at += size) builder.add(sections.slice(at, at + size));
  return builder.finish();
}

const bytes = (index: TRankIndex) => serializeRankIndex(index, 'test');

describe('growable typed arrays', () => {
  it('keep every value pushed past their first room, and give them back exactly', () => {
    const ints = growableInt32(2);
    const bytesOf = growableUint8(1);
    for (let value = 0; value < 1000; value += 1) {
      ints.push(value * 7 - 300);
      bytesOf.push(value % 256);
    }
    expect(ints.length).toBe(1000);
    expect(ints.values.length).toBeGreaterThanOrEqual(1000);
    expect(Array.from(ints.toArray())).toEqual(Array.from({ length: 1000 }, (_, value) => value * 7 - 300));
    expect(Array.from(bytesOf.toArray())).toEqual(Array.from({ length: 1000 }, (_, value) => value % 256));
    ints.reserve(5000);
    expect(ints.values.length).toBeGreaterThanOrEqual(6000);
    expect(ints.toArray().length).toBe(1000);
    expect(ints.toArray()[999]).toBe(999 * 7 - 300);
  });
});

describe('a ranking index built a batch at a time', () => {
  for (const learned of [[], LEARNED]) {
    it(`is the index built from every section at once, byte for byte, whatever the batches (${learned.length} learned words)`, () => {
      const whole = buildRankIndex(SECTIONS, learned);
      // The cases the batches must not change: a page with no long paragraph, learned words on a section without them.
      expect(whole.pages[0]!.sections).toEqual([0, 1, 2]);
      // Its context is its description alone: "small", "label" ("a" is a stop word).
      expect(whole.fieldLengths[3]).toBe(2);
      for (const size of [1, 2, 3, SECTIONS.length]) {
        for (const sections of [SECTIONS, asRead(SECTIONS)]) {
          const batched = inBatches(sections, size, learned);
          expect(bytes(batched).equals(bytes(whole)), `batches of ${size}`).toBe(true);
          expect(rankIndexShape(batched)).toEqual(rankIndexShape(whole));
        }
      }
    });
  }

  it('counts learned words in the title field of their page, as part of the bytes compared', () => {
    const plain = buildRankIndex(SECTIONS);
    const learned = inBatches(asRead(SECTIONS), 2, LEARNED);
    expect(plain.postings.get('throbber')).toBeUndefined();
    expect(Array.from(learned.postings.get('throbber')!.sections)).toEqual([3, 4]);
    expect(Array.from(learned.postings.get('throbber')!.tf.subarray(0, 5))).toEqual([2, 0, 0, 0, 0]);
    expect(bytes(learned).equals(bytes(plain))).toBe(false);
  });

  it('keeps a page whose sections are not next to each other one page, its context from its first long paragraph', () => {
    const [a1, a2] = page('guides/a.md', 'Alpha', [['One', 'Tiny.'], ['Two', `Alpha is ${LONG} alpha things.`]]);
    const [b1] = page('guides/b.md', 'Beta', [['One', `Beta is ${LONG} beta things.`]]);
    const interleaved = asRead([a1!, b1!, a2!]);
    const batched = inBatches(interleaved, 1, []);
    expect(batched.pages.map((entry) => entry.sections)).toEqual([[0, 2], [1]]);
    expect(bytes(batched).equals(bytes(buildRankIndex(interleaved)))).toBe(true);
    // The context (field 3) of alpha's first section is its second section's paragraph.
    expect(batched.postings.get('alpha')!.tf[3]).toBeGreaterThan(0);
  });
});

describe('a ranking index written to disk and read back', () => {
  it('is the index built', () => {
    const built = buildRankIndex(SECTIONS, LEARNED);
    const read = deserializeRankIndex(bytes(built), 'test');
    expect(read.index).not.toBeNull();
    expect(rankIndexShape(read.index!)).toEqual(rankIndexShape(built));
    expect(bytes(read.index!).equals(bytes(built))).toBe(true);
  });
});

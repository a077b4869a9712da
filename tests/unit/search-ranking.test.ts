import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex, pageContext } from '@/lib/docs/search/ranking/build';
import { pageKind } from '@/lib/relevance/page-kind';
import { firstResults, mostLexical, rankSections, type TResult } from '@/lib/docs/search/ranking/rank';
import { tokenize } from '@/lib/docs/search/ranking/text';
import { suggestVocabulary, synonymsByStem } from '@/lib/docs/search/ranking/vocabulary';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The in-memory ranker on a handful of sections: what each of its methods does, each shown failing without it
// (a weight at 0 or 1, a word missing).

const SECTIONS = [
  section('components/spinner/index.mdx', 'Spinner', 'About Spinner', 'Shows that content is loading. Use it while a page or a panel waits for data.'),
  section('components/spinner/api.mdx', 'Spinner', 'Props', 'The size, color and title props of the Spinner component, and the loading decorative prop.'),
  section('components/button/index.mdx', 'Button', 'Primary button', 'The main action of a view. Loading buttons show progress, an icon spins while the action runs.'),
  section('components/modal/index.mdx', 'Modal', 'About Modal', 'A dialog over the page that asks the user to finish one task before going back.'),
  section('blog/2024-01-01-loading.mdx', 'Loading states in 2024', 'Loading', 'How we redesigned loading indicators and spinner timing this year.'),
  section('foundations/spacing/index.mdx', 'Spacing', 'Spacing scale', 'Space between elements uses the spacing tokens.'),
];
const PATHS = new Set(SECTIONS.map((entry) => entry.path));
const index = buildRankIndex(SECTIONS);
const top = (query: string, weights = DEFAULT_RANK_WEIGHTS, current = index, vocabulary?: ReturnType<typeof synonymsByStem>) =>
  rankSections(current, query, { access: MAINTAINER_ACCESS, weights, limit: 5, vocabulary }).map((hit) => current.sections[hit.section]!.path);

describe('text', () => {
  it('keeps code identifiers whole and in parts, drops stop words, stems', () => {
    expect(tokenize('useToaster and the destructive_secondary variant').map((token) => token.word)).toEqual([
      'usetoaster',
      'use',
      'toaster',
      'destructive_secondary',
      'destructive',
      'secondary',
      'variant',
    ]);
    expect(tokenize('spinning spinners').map((token) => token.stem)).toEqual(['spin', 'spinner']);
  });

  it('reads plain words and code alike: lower-cased, stop words and overlong words dropped, places counted', () => {
    const text = `The Button opens a Modal; useToaster too ${'x'.repeat(41)} Über`;
    expect(tokenize(text).map(({ word, position, isCode }) => [word, position, isCode])).toEqual([
      ['button', 1, false],
      ['opens', 2, false],
      ['modal', 4, false],
      ['usetoaster', 5, true],
      ['use', 5, true],
      ['toaster', 5, true],
      // Accents are folded (lib/docs/search/languages.ts).
      ['uber', 8, false],
    ]);
  });
});

describe('page context', () => {
  it('is the description and the first paragraph of prose, code and short lines skipped', () => {
    expect(pageContext('An accessible drop-down list box.', ['```jsx\n<Combobox items={[]} />\n```', 'Note\n\nA Combobox lets a user pick one option from a list, typing to filter it.\n\nMore.'])).toBe(
      'An accessible drop-down list box. A Combobox lets a user pick one option from a list, typing to filter it.',
    );
    expect(pageContext('', ['Short.'])).toBe('');
  });
});

describe('page kinds', () => {
  it('tells API and changelog tabs, and blog posts, from guides', () => {
    expect(pageKind('components/spinner/api.mdx', PATHS)).toBe('api');
    expect(pageKind('components/spinner/index.mdx', PATHS)).toBe('guide');
    expect(pageKind('blog/2024-01-01-loading.mdx', PATHS)).toBe('blog');
    expect(pageKind('components/alert/changelog.mdx', new Set())).toBe('changelog');
    // An api.mdx with no guide beside it is a page of its own.
    expect(pageKind('reference/api.mdx', new Set(['reference/api.mdx']))).toBe('guide');
  });
});

describe('rankSections', () => {
  it('matches an inflected form of a page name ("spinning" → Spinner), only with the name-form weight', () => {
    // Without feedback: the first results' words (the blog post's "spinner") would bring the page back.
    const weights = { ...DEFAULT_RANK_WEIGHTS, feedback: 0, nameForm: 0.6 };
    // The button's body says "spins"; only the name form finds Spinner, whose page never uses the verb.
    expect(top('spinning indicator', weights)).toContain('components/spinner/index.mdx');
    expect(top('spinning indicator', { ...weights, nameForm: 0 })).not.toContain('components/spinner/index.mdx');
  });

  it('takes agent-noun names only from the docs\' own verbs, and not from blog headlines', () => {
    const names = buildRankIndex([
      section('components/slider/index.mdx', 'Slider', 'About', 'Pick a value by sliding the handle.'),
      section('components/anchor/index.mdx', 'Anchor', 'About', 'A link.'),
      section('blog/2024-01-01-reader.mdx', 'For every reader', 'Reading', 'We read your feedback.'),
    ]).namesByVerb;
    expect(names.get('slide')).toEqual(['slider']);
    // "anch" is no word of the docs; the blog post's "reader" is a headline, not a name.
    expect(names.has('anch')).toBe(false);
    expect(names.has('read')).toBe(false);
  });

  it('finds a page by its description and first paragraph (page context), only with the context weight', () => {
    const pages = [
      { ...section('components/meter/index.mdx', 'Meter', '', 'const value = 40;'), description: 'A gauge of how much of a quota is used.' },
      section('components/meter/index.mdx', 'Meter', 'Examples', 'Set value, minValue and maxValue.'),
      section('components/card/index.mdx', 'Card', 'About', 'A card holds related content, such as a summary of how much of a plan is used.'),
    ];
    const withContext = buildRankIndex(pages);
    const weights = { ...DEFAULT_RANK_WEIGHTS, feedback: 0 };
    expect(top('gauge of quota used', weights, withContext)[0]).toBe('components/meter/index.mdx');
    expect(top('gauge of quota used', { ...weights, context: 0 }, withContext)[0]).toBe('components/card/index.mdx');
  });

  it('ranks by a page as a whole as well as by its best section (page-level BM25), only with the page-score weight', () => {
    // Each page's best section matches the question about as well; as a whole, the short Settings page is about it
    // and the longer Toast page only in part (BM25's length normalisation, applied to whole pages).
    const pages = buildRankIndex([
      section('components/toast/index.mdx', 'Toast', 'About', 'A toast is a short notification.'),
      section('components/toast/index.mdx', 'Toast', 'Placement', 'A notification stack appears at the top right corner.'),
      section('components/toast/index.mdx', 'Toast', 'Closing', 'Each notification closes after a while, or is dismissed by the user.'),
      section('patterns/settings/index.mdx', 'Settings', 'Email', 'Choose which notification emails arrive, and which are dismissed.'),
      section('patterns/settings/index.mdx', 'Settings', 'Profile', 'Your name and photo.'),
      section('foundations/spacing/index.mdx', 'Spacing', 'Scale', 'Space between elements uses the spacing tokens.'),
      section('foundations/colors/index.mdx', 'Colors', 'Palette', 'Colors come from the palette tokens.'),
    ]);
    const weights = { ...DEFAULT_RANK_WEIGHTS, feedback: 0, context: 0 };
    expect(top('notification dismissed', { ...weights, pageScore: 3 }, pages)[0]).toBe('patterns/settings/index.mdx');
    expect(top('notification dismissed', { ...weights, pageScore: 0 }, pages)[0]).toBe('components/toast/index.mdx');
  });

  it('ranks API tabs and blog posts below the guide unless the question asks for them', () => {
    expect(top('spinner loading')[0]).toBe('components/spinner/index.mdx');
    expect(top('spinner loading props')[0]).toBe('components/spinner/api.mdx');
    const withoutPrior = top('spinner loading timing', { ...DEFAULT_RANK_WEIGHTS, kindPrior: 1 });
    const withPrior = top('spinner loading timing', { ...DEFAULT_RANK_WEIGHTS, kindPrior: 0.3 });
    expect(withPrior.indexOf('blog/2024-01-01-loading.mdx')).toBeGreaterThan(withoutPrior.indexOf('blog/2024-01-01-loading.mdx'));
  });

  it('corrects a typo of a longer word, and completes a word being typed', () => {
    expect(top('spacingg')[0]).toBe('foundations/spacing/index.mdx');
    expect(top('spac')[0]).toBe('foundations/spacing/index.mdx');
    // A complete word is not a prefix (though it may still be the start of a page's name: "spac" of Spacing).
    expect(top('spac ', { ...DEFAULT_RANK_WEIGHTS, nameForm: 0 })).toEqual([]);
  });

  it('finds a page by a site synonym', () => {
    expect(top('popup')).toEqual([]);
    expect(top('popup', DEFAULT_RANK_WEIGHTS, index, synonymsByStem({ modal: ['popup', 'dialog box'] }))[0]).toBe('components/modal/index.mdx');
  });

  it('finds a page by a compound the docs write closed and the reader writes open ("tool tip"), as a ranking word, not evidence', () => {
    const tips = buildRankIndex([
      section('components/tooltip/index.mdx', 'Tooltip', 'About Tooltip', 'A tooltip shows a short label on hover or focus.'),
      section('components/tool-bar/index.mdx', 'Tool bar', 'About Tool bar', 'A bar of tool buttons. Each tool has a tip on hover.'),
      section('guides/tips.mdx', 'Tips', 'Tips', 'Tips and tricks: pick the right tool for the job.'),
    ]);
    const found = rankSections(tips, 'tool tip on hover', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3 });
    expect(tips.sections[found[0]!.section]!.path).toBe('components/tooltip/index.mdx');
    // Only the two words side by side in that order: "tip on hover, tool" names no tooltip.
    expect(tips.sections[rankSections(tips, 'tip on hover, tool', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 })[0]!.section]!.path).not.toBe('components/tooltip/index.mdx');
    // The evidence is the words as written: the same as without the compound (the relevance floor was fitted so).
    const [open] = rankSections(tips, 'tool tip', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    const [apart] = rankSections(tips, 'tip, tool', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(open!.evidence).toBeCloseTo(apart!.evidence, 10);
  });

  it('finds a page by an approved reader word, as if its title had it', () => {
    expect(top('throbber')).toEqual([]);
    const learned = buildRankIndex(SECTIONS, [{ word: 'throbber', path: 'components/spinner/index.mdx' }]);
    expect(top('throbber', DEFAULT_RANK_WEIGHTS, learned)[0]).toBe('components/spinner/index.mdx');
  });

  it('gives more evidence to a question the docs answer than to one they do not', () => {
    const [answered] = rankSections(index, 'spinner while loading', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    const [stray] = rankSections(index, 'best spinner for fishing trout in lakes', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(answered!.evidence).toBeGreaterThan(stray!.evidence);
  });

  it('counts a word the docs never write in the share of the question the evidence weighs', () => {
    // "Spacing" is a docs word; "Jupiter" is in none. Before issue 54's fix, an absent word weighed nothing (no idf), so
    // the evidence of "spacing jupiter" on the spacing page counted only the little weight of "jupiter"'s near misses.
    const [outside] = rankSections(index, 'spacing jupiter', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    const [alone] = rankSections(index, 'spacing', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(index.sections[outside!.section]!.path).toBe('foundations/spacing/index.mdx');
    // Before, 0.71 of the word alone's evidence: the page "covered" all of the question but the little weight of "jupiter"'s typo terms.
    expect(outside!.evidence).toBeLessThan(alone!.evidence * 0.65);
  });

  it('scores under each set of weights as a fresh index would, whatever was ranked before on the same index', () => {
    // The saturation of each term is kept per index and per weight set (lib/docs/search/ranking/saturation.ts), and each
    // index's scoring arrays are cleared and reused by its next search: another set's saturation, a term counted only
    // in its title (a name form), or a previous search's scores must never stand in.
    const sets = [
      DEFAULT_RANK_WEIGHTS,
      { ...DEFAULT_RANK_WEIGHTS, title: 5, bBody: 0.2 },
      { ...DEFAULT_RANK_WEIGHTS, context: 0, k1: 2 },
      { ...DEFAULT_RANK_WEIGHTS, nameForm: 0, feedback: 0 },
    ];
    const queries = ['spinning loading', 'spinner props', 'loading buttons spins', 'dialog task', 'spacing tokens between'];
    const shared = buildRankIndex(SECTIONS);
    const scores = (current: typeof index, weights: typeof DEFAULT_RANK_WEIGHTS) =>
      queries.map((query) => rankSections(current, query, { access: MAINTAINER_ACCESS, weights, limit: 5 }).map((hit) => [hit.section, hit.score, hit.evidence]));
    const order = [...sets, ...[...sets].reverse()];
    const onShared = order.map((weights) => scores(shared, weights));
    const onFresh = order.map((weights) => scores(buildRankIndex(SECTIONS), weights));
    expect(onShared).toEqual(onFresh);
    expect(new Set(onFresh.slice(0, sets.length).map((entry) => JSON.stringify(entry))).size).toBe(sets.length);
  });
});

describe('suggestVocabulary', () => {
  it('suggests the reader words a page lacks, most frequent first, leaving decided ones out', () => {
    const feedback = [
      { query: 'throbber while loading', path: 'components/spinner/index.mdx', source: 'open' as const, reader: 'a' },
      { query: 'the throbber thing', path: 'components/spinner/index.mdx', source: 'vote' as const, reader: 'b' },
      { query: 'popup please', path: 'components/modal/index.mdx', source: 'open' as const, reader: 'a' },
      { query: 'throbber', path: 'gone.mdx', source: 'open' as const, reader: 'c' },
    ];
    const suggestions = suggestVocabulary({ index, feedback, decided: [{ word: 'popup', path: 'components/modal/index.mdx' }] });
    expect(suggestions).toEqual([
      { word: 'throbber', path: 'components/spinner/index.mdx', count: 2, sources: ['open', 'vote'], examples: ['throbber while loading', 'the throbber thing'] },
    ]);
  });

  it('counts readers, not requests: one reader who opened a page sixty times counts once, with one example', () => {
    const flood = Array.from({ length: 60 }, (_, at) => ({ query: `kebab menu ${at}`, path: 'components/spinner/index.mdx', source: 'open' as const, reader: 'flooder' }));
    const others = ['x', 'y'].map((reader) => ({ query: 'throbber', path: 'components/spinner/index.mdx', source: 'open' as const, reader }));
    const suggestions = suggestVocabulary({ index, feedback: [...flood, ...others], decided: [] });
    expect(suggestions.map(({ word, count, examples }) => ({ word, count, examples }))).toEqual([
      { word: 'throbber', count: 2, examples: ['throbber'] },
      { word: 'kebab', count: 1, examples: ['kebab menu 0'] },
      { word: 'menu', count: 1, examples: ['kebab menu 0'] },
    ]);
  });
});

describe('candidate selection', () => {
  it('keeps the entries a sort by lexical score, then by entry, would keep first, in their given order', () => {
    // Scores drawn from few values so that many tie, in a fixed pseudo-random order.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 1000 }, () => Math.floor(next() * 40) / 4);
    // Entries in an order of their own (as sections are in the order the question's words first touched them).
    const order = Array.from({ length: 1000 }, (_, position) => (position * 389) % 1000);
    for (const count of [1, 37, 300, 999]) {
      const kept = new Set([...order].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, count));
      expect(mostLexical(order, scores, count)).toEqual(order.filter((entry) => kept.has(entry)));
    }
  });

  it('keeps the first results of sorting, penalising each page\'s later sections, and sorting again', () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const samePage of [0.5, 0.9, 1]) {
      // Few pages and few score values: many sections share a page, many scores tie.
      const results = (): TResult[] =>
        Array.from({ length: 300 }, (_, at) => ({
          entry: { section: (at * 7919) % 1000, lexical: 0, own: 0, groups: [] },
          score: Math.floor(next() * 12) / 3,
          page: Math.floor(next() * 25),
          share: 0,
        }));
      const input = results();
      const expected = input.map((result) => ({ ...result }));
      const order = (a: TResult, b: TResult) => b.score - a.score || a.entry.section - b.entry.section;
      expected.sort(order);
      const seen = new Map<number, number>();
      for (const result of expected) {
        const count = seen.get(result.page) ?? 0;
        seen.set(result.page, count + 1);
        if (count > 0) result.score *= samePage ** count;
      }
      expected.sort(order);
      for (const count of [1, 3, 8, 60, 300]) {
        const copy = input.map((result) => ({ ...result }));
        expect(firstResults(copy, count, samePage).map((result) => [result.entry.section, result.score])).toEqual(
          expected.slice(0, count).map((result) => [result.entry.section, result.score]),
        );
      }
    }
  });
});

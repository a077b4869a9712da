import { FIELDS, type TPerField, type TPostingList, type TRankIndex } from './build';
import type { TRankWeights } from './weights';
import { kindStats } from './kind-stats';

// The BM25F saturation of each posting of a term: its field frequencies, each weighted and length-normalised,
// summed and saturated (tf / (k1 + tf)). It depends only on the index, the term (and the fields it may count in)
// and the field weights, so it is worked out once per term and kept: the same words come back in question after
// question ("component", "button"), and this arithmetic was most of the ranking's time. Kept per index (an index
// is never changed once built) and per set of the weights it depends on (the server has one; a fit of the
// weights tries a few dozen, one after the other). Kept up to a budget of postings, the least recently used
// dropped first: at a hundred times the Paste corpus one common word's saturations take megabytes, and every word
// readers ever asked about would in time hold another copy of most of the postings.

/**
 * Per posting of the term, in its order: the section, the saturation over every field (-1: no field counts, the
 * section does not match), and over the section's own text (0 when only its page's context has the term).
 */
export type TSaturation = {
  /** The term's own list of sections (a view of the index's postings, not a copy). */
  sections: Int32Array;
  /** In single precision: half the memory, for a value between 0 and 1 (or -1) whose seventh digit decides nothing. */
  all: Float32Array;
  /** The saturation over the section's own text at a position: worked out when asked, for the few candidates. */
  text: (position: number) => number;
};

const CONTEXT_FIELD = FIELDS.indexOf('context');
const CODE_FIELD = FIELDS.indexOf('code');
const BODY_FIELD = FIELDS.indexOf('body');

function isCounted(fields: number | undefined, field: number): boolean {
  return fields === undefined || (fields & (1 << field)) !== 0;
}

/** Weight sets kept per index; a fit moves on from one to the next, so older ones are dropped all at once. */
const MAX_WEIGHT_SETS = 8;

/**
 * The postings whose saturations are kept per index and weight set (4 bytes each: 64 MB): every posting of the
 * Paste corpus at a hundred times (12 million) fits.
 */
const KEPT_POSTINGS = 16_000_000;

/** A weight set's saturations by term, least recently used first, and how many postings they hold. */
type TKept = { terms: Map<string, TSaturation>; postings: number };

const byIndex = new WeakMap<TRankIndex, Map<string, TKept>>();
const weightsKeys = new WeakMap<TRankWeights, string>();

function weightsKey(weights: TRankWeights): string {
  let key = weightsKeys.get(weights);
  if (key === undefined) {
    key = [weights.k1, ...fieldWeightsOf(weights), ...lengthNormsOf(weights)].join(' ');
    weightsKeys.set(weights, key);
  }
  return key;
}

/** The weights of the fields, in FIELDS order. */
function fieldWeightsOf(weights: TRankWeights): number[] {
  return [weights.title, weights.path, weights.body, weights.context, weights.code];
}

/** Each field's length normalisation (BM25's b), in FIELDS order. */
function lengthNormsOf(weights: TRankWeights): number[] {
  return [weights.bTitle, weights.bPath, weights.bBody, weights.bContext, weights.bCode];
}

/**
 * The weights `compute` and `textAt` read, in FIELDS order, worked out once per term; and the kind whose average field
 * lengths each section is normalised by (kind-stats.ts lengthKindOf: a docs section's and a source file's by the
 * docs' lengths, a thread's by the whole index's).
 */
type TFieldNorms = { fieldWeights: number[]; bs: number[]; lengthKindOf: Uint8Array; averageLengths: readonly [TPerField, TPerField] };

function compute(index: TRankIndex, stem: string, fields: number | undefined, weights: TRankWeights): TSaturation {
  const list = index.postings.get(stem) ?? { sections: new Int32Array(0), tf: new Uint8Array(0) };
  const { lengthKindOf, averageLengths } = kindStats(index);
  const norms: TFieldNorms = { fieldWeights: fieldWeightsOf(weights), bs: lengthNormsOf(weights), lengthKindOf, averageLengths };
  const count = list.sections.length;
  const all = new Float32Array(count);
  // An overlaid index's tombstones (overlay.ts) are in its base's lists: they match nothing.
  const dead = index.overlay?.dead;
  for (let at = 0; at < count; at += 1) {
    if (dead !== undefined && dead[list.sections[at]!] === 1) {
      all[at] = -1;
      continue;
    }
    let tf = 0;
    for (let field = 0; field < FIELDS.length; field += 1) if (isCounted(fields, field)) tf += fieldTf(index, list, at, field, norms);
    // A field weighted 0 is off: its words alone neither score a section nor count towards its page.
    all[at] = tf === 0 ? -1 : tf / (weights.k1 + tf);
  }
  return { sections: list.sections, all, text: (at) => textAt(index, list, at, fields, weights, norms) };
}

/** Posting `at`'s count in `field`, weighted and normalised by the field's length in its section (BM25F); 0 when absent. */
function fieldTf(index: TRankIndex, list: TPostingList, at: number, field: number, { fieldWeights, bs, lengthKindOf, averageLengths }: TFieldNorms): number {
  const value = list.tf[at * FIELDS.length + field]!;
  if (value === 0) return 0;
  const section = list.sections[at]!;
  const length = index.fieldLengths[section * FIELDS.length + field]!;
  return fieldWeights[field]! * (value / (1 - bs[field]! + (bs[field]! * length) / averageLengths[lengthKindOf[section]!]![field]!));
}

/** The saturation over the section's own text of posting `at` of `list` (TSaturation['text']). */
function textAt(index: TRankIndex, list: TPostingList, at: number, fields: number | undefined, weights: TRankWeights, norms: TFieldNorms): number {
  const lengthsAt = list.sections[at]! * FIELDS.length;
  let textTf = 0;
  for (let field = 0; field < FIELDS.length; field += 1) {
    if (!isCounted(fields, field) || field === CONTEXT_FIELD || field === BODY_FIELD || field === CODE_FIELD) continue;
    textTf += fieldTf(index, list, at, field, norms);
  }
  // The section's own text is also the relevance floor's evidence that the docs say the word, on the scale the
  // floor was set on: a word in an example says it as much as one in prose (only the ranking counts code less),
  // so there prose and code are one body again, normalised by their length together.
  const bodyTf = isCounted(fields, BODY_FIELD) ? list.tf[at * FIELDS.length + BODY_FIELD]! : 0;
  const codeTf = isCounted(fields, CODE_FIELD) ? list.tf[at * FIELDS.length + CODE_FIELD]! : 0;
  if (bodyTf + codeTf > 0) {
    const length = index.fieldLengths[lengthsAt + BODY_FIELD]! + index.fieldLengths[lengthsAt + CODE_FIELD]!;
    const lengths = norms.averageLengths[norms.lengthKindOf[list.sections[at]!]!]!;
    const average = lengths[BODY_FIELD]! + lengths[CODE_FIELD]!;
    textTf += (weights.body * (bodyTf + codeTf)) / (1 - weights.bBody + (weights.bBody * length) / average);
  }
  return textTf === 0 ? 0 : textTf / (weights.k1 + textTf);
}

/** The saturation of each posting of `stem` (counted only in `fields`, a bit per field of FIELDS, when given). */
export function termSaturation(index: TRankIndex, stem: string, fields: number | undefined, weights: TRankWeights): TSaturation {
  let sets = byIndex.get(index);
  if (!sets) byIndex.set(index, (sets = new Map()));
  const key = weightsKey(weights);
  let kept = sets.get(key);
  if (!kept) {
    if (sets.size >= MAX_WEIGHT_SETS) sets.clear();
    sets.set(key, (kept = { terms: new Map(), postings: 0 }));
  }
  const termKey = fields === undefined ? stem : `${stem}\u0000${fields}`;
  let saturation = kept.terms.get(termKey);
  if (saturation) {
    // Used again: now the most recently used (a Map keeps insertion order).
    kept.terms.delete(termKey);
    kept.terms.set(termKey, saturation);
    return saturation;
  }
  saturation = compute(index, stem, fields, weights);
  kept.terms.set(termKey, saturation);
  kept.postings += saturation.all.length;
  for (const [oldest, entry] of kept.terms) {
    if (kept.postings <= KEPT_POSTINGS || oldest === termKey) break;
    kept.terms.delete(oldest);
    kept.postings -= entry.all.length;
  }
  return saturation;
}

/** How many postings' saturations are kept for `index` and `weights`. */
export function keptPostingsOf(index: TRankIndex, weights: TRankWeights): number {
  return byIndex.get(index)?.get(weightsKey(weights))?.postings ?? 0;
}

/**
 * Works out and keeps the saturations of the index's terms for `weights`, longest lists first, as long as they fit
 * in what is kept, a slice of `sliceMs` at a time between other work (setImmediate): after a server builds or loads
 * an index, no search pays for a word's first use (at a hundred times the Paste corpus, a common word's list took
 * tens of milliseconds, and a question with several such words was the slowest search of a run).
 *
 * `isWanted`, asked between slices: false once the index is no longer the one searched (a newer one took its place),
 * and the warming stops there. The warming holds its index, and every saturation kept for it, until it ends: while a
 * site was crawled (the docs changing page by page, an index built again for each health check or search between
 * them), each index went on warming after the next replaced it, and at ten times the Paste corpus a dozen superseded
 * indexes and their saturations (400 MB) were alive at once (issue 54).
 */
export async function warmSaturations(index: TRankIndex, weights: TRankWeights, sliceMs = 10, isWanted: () => boolean = () => true): Promise<void> {
  const { terms, offsets } = index.compact;
  const order = terms.map((_, id) => id).sort((a, b) => offsets[b + 1]! - offsets[b]! - (offsets[a + 1]! - offsets[a]!));
  let sliceStart = performance.now();
  for (const id of order) {
    const length = offsets[id + 1]! - offsets[id]!;
    if (length === 0) continue;
    if (keptPostingsOf(index, weights) + length > KEPT_POSTINGS) continue;
    termSaturation(index, terms[id]!, undefined, weights);
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!isWanted()) return;
      sliceStart = performance.now();
    }
  }
}

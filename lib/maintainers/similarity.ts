import { stem } from '../relevance/stem';

// Groups readers' questions that ask the same thing in other words, offline and deterministically: each question
// becomes a set of word stems (lower case, filler words dropped, stemmed as the docs ranker stems: lib/relevance/stem.ts),
// and two questions are alike when the Jaccard index of their sets (shared stems / all stems) reaches a threshold.
// Groups are single link over every pair (linkGroups): two questions are in one group when a chain of alike questions
// joins them, so the groups are the same whatever order the questions come in.

const FILLER = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into about as is are was were be been being am do does did ' +
    'doing done have has had can could should would will shall may might must i me my we our you your it its this that these ' +
    'those there here what which who whom whose when where why how not no yes please thanks thank hi hello hey any some all ' +
    'get got use using used want need like just also there way make one'
  ).split(' '),
);

export function questionTerms(text: string): Set<string> {
  const words = text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}_-]*/gu) ?? [];
  const terms = new Set<string>();
  for (const word of words) {
    const clean = word.replace(/[-_]+$/g, '');
    if (clean.length < 2 || FILLER.has(clean)) continue;
    terms.add(stem(clean));
  }
  return terms;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export const DEFAULT_SIMILARITY = 0.5;

export type TGroup<T> = { items: T[]; terms: Set<string>[] };

/**
 * Single link over the whole graph of pairs: the items `isAlike` joins, directly or through a chain of alike items, are
 * one group (its connected component). Order-free: the same items in any order make the same groups. Each group lists
 * its items' positions in the order given; groups come in the order of their first item. `isAlike` is asked once per
 * pair at most, and not for a pair already joined through others.
 */
export function linkGroups(count: number, isAlike: (a: number, b: number) => boolean): number[][] {
  const parent = Array.from({ length: count }, (_, at) => at);
  const rootOf = (at: number): number => {
    let root = at;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[at] !== root) [parent[at], at] = [root, parent[at]!];
    return root;
  };
  for (let a = 0; a < count; a += 1) {
    for (let b = a + 1; b < count; b += 1) {
      const [rootA, rootB] = [rootOf(a), rootOf(b)];
      if (rootA !== rootB && isAlike(a, b)) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
    }
  }
  const groups = new Map<number, number[]>();
  for (let at = 0; at < count; at += 1) {
    const root = rootOf(at);
    const group = groups.get(root);
    if (group) group.push(at);
    else groups.set(root, [at]);
  }
  return [...groups.values()];
}

/** Groups `items` by the similarity of `textOf(item)` (linkGroups: order-free). Items keep the order given inside a group. */
export function groupBySimilarity<T>(items: T[], textOf: (item: T) => string, threshold = DEFAULT_SIMILARITY): TGroup<T>[] {
  const terms = items.map((item) => questionTerms(textOf(item)));
  return linkGroups(items.length, (a, b) => jaccard(terms[a]!, terms[b]!) >= threshold).map((members) => ({
    items: members.map((at) => items[at]!),
    terms: members.map((at) => terms[at]!),
  }));
}

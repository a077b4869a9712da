// Groups readers' questions that ask the same thing in other words, offline and deterministically: each question
// becomes a set of word stems (lower case, filler words dropped, plural and verb endings cut), and two questions
// are alike when the Jaccard index of their sets (shared stems / all stems) reaches a threshold. A question joins
// the group holding its most alike member (single link); the input order is fixed by the caller, so the same data
// always gives the same groups.

const FILLER = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into about as is are was were be been being am do does did ' +
    'doing done have has had can could should would will shall may might must i me my we our you your it its this that these ' +
    'those there here what which who whom whose when where why how not no yes please thanks thank hi hello hey any some all ' +
    'get got use using used want need like just also there way make one'
  ).split(' '),
);

/** A word's stem, crudely: enough to make "buttons"/"button" and "theming"/"themes" meet. */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es') && /(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

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

/** Groups `items` (in the order given) by the similarity of `textOf(item)`. Groups come back in creation order. */
export function groupBySimilarity<T>(items: T[], textOf: (item: T) => string, threshold = DEFAULT_SIMILARITY): TGroup<T>[] {
  const groups: TGroup<T>[] = [];
  for (const item of items) {
    const terms = questionTerms(textOf(item));
    let best: TGroup<T> | undefined;
    let bestScore = 0;
    for (const group of groups) {
      for (const other of group.terms) {
        const score = jaccard(terms, other);
        if (score > bestScore) {
          bestScore = score;
          best = group;
        }
      }
    }
    if (best && bestScore >= threshold) {
      best.items.push(item);
      best.terms.push(terms);
    } else groups.push({ items: [item], terms: [terms] });
  }
  return groups;
}

// Reciprocal rank fusion, as hybrid search does it: several rankings of the same things become one, each
// ranking giving the thing at rank r (0-based) a share of 1 / (K + r + 1). The docs search fuses its lexical
// ranking with the nearest sections by embedding (lib/docs/search/ranking/store.ts); the offline model fuses
// the results of its searches (lib/model/offline/answer.ts).

/** The usual constant: high enough that the first few ranks of one ranking do not outweigh agreement between rankings. */
export const FUSION_K = 60;

/** One ranking's share for the thing it ranks at `rank` (0-based). */
export function fusionShare(rank: number): number {
  return 1 / (FUSION_K + rank + 1);
}

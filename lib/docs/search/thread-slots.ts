// Places kept for GitHub threads among a problem's results. A reader who brings a problem (a bug report pasted as it
// was filed, "doesn't work", an error) is best answered by the thread where the same problem was reported and settled,
// beside the docs' sections that say how things should work; in one ranked list the docs' many sections on the same
// component crowd that thread out. Pure: results in, results out, in ranked order.

import { fusionShare } from '../../relevance/rank-fusion';

type THit = { url: string; kind?: string };

const pageOf = (hit: THit) => hit.url.split('#')[0];
const isThread = (hit: THit) => hit.kind === 'thread';

/**
 * The best `slots` threads (one section each, their best) keep their places within the first `limit` results, beside
 * the best docs sections. In ranked order; `limit` in all; a thread ranked high enough on its own keeps its place, and
 * with fewer threads the docs fill the rest.
 */
export function withThreadSlots<T extends THit>(hits: T[], limit = 5, slots = 1): T[] {
  const threadPages = new Set<string | undefined>();
  const threads = hits.filter((hit) => {
    if (!isThread(hit) || threadPages.has(pageOf(hit)) || threadPages.size >= slots) return false;
    threadPages.add(pageOf(hit));
    return true;
  });
  const top = hits.slice(0, limit);
  const promoted = threads.filter((hit) => !top.includes(hit));
  // Room is made at the bottom, first by a section whose page a better result already shows: a page the docs have is
  // still among the results, only its second section gives way.
  const kept = [...top];
  for (let count = 0; count < promoted.length; count += 1) {
    const pages = (upTo: number) => new Set(kept.slice(0, upTo).map(pageOf));
    let drop = -1;
    for (let at = kept.length - 1; at >= 0 && drop < 0; at -= 1) if (!threads.includes(kept[at]!) && pages(at).has(pageOf(kept[at]!))) drop = at;
    if (drop < 0) for (let at = kept.length - 1; at >= 0 && drop < 0; at -= 1) if (!threads.includes(kept[at]!)) drop = at;
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  const chosen = new Set<T>([...kept, ...promoted.slice(0, limit - kept.length)]);
  return hits.filter((hit) => chosen.has(hit));
}

/**
 * A bug report's results for a model: the first `limit` as any problem's (withThreadSlots, one thread's place kept),
 * then the next best threads, one section each, until `threads` threads are among them. Added after, never instead:
 * the docs sections a question would get are all still there, and the model sees the threads that may have settled the
 * same report beside them. `limit` + `threads` - 1 results at most.
 */
export function withReservedThreads<T extends THit>(hits: T[], limit: number, threads: number): T[] {
  const top = withThreadSlots(hits, limit, 1);
  const pages = new Set(top.filter(isThread).map(pageOf));
  const added: T[] = [];
  for (const hit of hits) {
    if (pages.size >= threads) break;
    if (!isThread(hit) || pages.has(pageOf(hit))) continue;
    pages.add(pageOf(hit));
    added.push(hit);
  }
  return [...top, ...added];
}

/**
 * A report's threads as two searches rank them together: `main` (the report by what distinguishes it) with its
 * threads, one per page, reordered by reciprocal rank fusion with `other`'s (its title alone, which names the problem
 * as the thread that settled it often does), each page's best section in the places `main`'s threads had, the threads
 * only `other` found after. The docs sections keep their order and places: only which thread comes first changes.
 */
export function withFusedThreads<T>(main: T[], other: T[], { isThread: isThreadOf, pageOf: pageKey }: { isThread: (item: T) => boolean; pageOf: (item: T) => string }): T[] {
  const score = new Map<string, number>();
  const best = new Map<string, T>();
  const places: number[] = [];
  for (const [list, isMain] of [[main, true], [other, false]] as const) {
    const seen = new Set<string>();
    list.forEach((item, at) => {
      if (!isThreadOf(item) || seen.has(pageKey(item))) return;
      const page = pageKey(item);
      score.set(page, (score.get(page) ?? 0) + fusionShare(seen.size));
      seen.add(page);
      if (!best.has(page)) best.set(page, item);
      if (isMain) places.push(at);
    });
  }
  const fused = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)!).map((page) => best.get(page)!);
  const out = [...main];
  places.forEach((at, index) => (out[at] = fused[index]!));
  return [...out, ...fused.slice(places.length)];
}

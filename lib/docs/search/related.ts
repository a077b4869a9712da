// A page may name the pages that answer it (`meta.related`, filled by its source: a duplicate's original, the pull
// request that fixed an issue). A reader whose question finds the duplicate wants the answer beside it, so each such
// page is placed right after the first result that names it, unless it is among the results already. The results
// keep their number, and the first five keep every result of another kind: a placed page takes the place of the
// lowest of the first five of its own kind (a thread's fix displaces a less relevant thread, never the docs page that
// answers), else it goes right after the first five. A page's name for another is data from elsewhere: only index
// paths that are in the index (and pass the search's filters) are placed.

/** At most this many pages are placed after one result. */
const MAX_RELATED_PER_HIT = 3;
/** The first results, whose other kinds a placed page never pushes down out of them. */
const FIRST_RESULTS = 5;

type TNamedHit = { path: string; kind?: string; meta?: unknown };

/** The index paths a hit names as answering it: well-formed strings only, a few at most. */
export function relatedPathsOf(hit: TNamedHit): string[] {
  const related = (hit.meta as { related?: unknown } | null | undefined)?.related;
  if (!Array.isArray(related)) return [];
  return related.filter((path): path is string => typeof path === 'string' && path.length > 0 && path.length <= 300).slice(0, MAX_RELATED_PER_HIT);
}

/** The paths the first `limit` hits name that are not among them: what the caller looks up. */
export function relatedPathsMissing(hits: readonly TNamedHit[], limit: number): string[] {
  const shown = new Set(hits.slice(0, limit).map((hit) => hit.path));
  return [...new Set(hits.slice(0, limit).flatMap(relatedPathsOf))].filter((path) => !shown.has(path));
}

/**
 * The first `limit` hits with the pages they name placed right after them. `leadOf` gives a named page's lead
 * (its first section, with the search's filters applied), or undefined when it is not to be shown; `asPlaced` makes
 * the placed entry from it and the hit that named it.
 */
export function placeRelatedPages<THit extends TNamedHit, TLead>({
  hits,
  limit,
  leadOf,
  asPlaced,
}: {
  hits: readonly THit[];
  limit: number;
  leadOf: (path: string) => TLead | undefined;
  asPlaced: (lead: TLead, namedBy: THit) => THit;
}): THit[] {
  const first = hits.slice(0, limit);
  const shown = new Set(first.map((hit) => hit.path));
  const placed = new Set<string>();
  const out: THit[] = [...first];
  for (const hit of first) {
    for (const path of relatedPathsOf(hit)) {
      if (shown.has(path) || placed.has(path)) continue;
      const lead = leadOf(path);
      if (lead === undefined) continue;
      placed.add(path);
      const entry = asPlaced(lead, hit);
      const at = out.indexOf(hit) + 1;
      // The lowest of the first five of the placed page's kind, below where it goes and not itself placed, makes room.
      let room = -1;
      for (let index = Math.min(out.length, FIRST_RESULTS) - 1; index >= at; index -= 1) {
        const candidate = out[index]!;
        if (candidate.kind === entry.kind && !placed.has(candidate.path)) {
          room = index;
          break;
        }
      }
      if (room >= 0) {
        out.splice(room, 1);
        out.splice(at, 0, entry);
      } else out.splice(Math.max(at, Math.min(out.length, FIRST_RESULTS)), 0, entry);
    }
  }
  return out.slice(0, limit);
}

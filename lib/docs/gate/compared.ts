import type { TReaderAccess } from '../../audiences';
import { listDocsComparisonHeadings } from '../../db/docs-index';
import type { TDb } from '../../db/types';
import { choiceLabel } from '../../shared/choices';
import type { TRankIndex } from '../search/ranking/build';
import { readVisibleIndex } from './index-reads';

// The pages the docs compare with each other (issue 71 item 4): a heading "Popover vs. Modal" or "Tooltip compared
// to Popover" says that the pages it names are alternatives, which is what a reader who names neither means by a
// word that covers them all ("a popup"). Read from the docs' own headings (any level: a comparison's text is often
// in its subsections), never from a list of one product's words. Each name is matched to a page by its title
// (choiceLabel: "Select - Components" is Select); a heading that names fewer than two pages links none.
// For a reader, only pages they may see count, and only headings on pages they may see: a private page's name
// never reaches them through a public page's comparisons, nor a public page's through a private heading.

/** Pages this many comparisons away are alternatives too ("Tooltip vs. Popover", "Popover vs. Modal": Tooltip's Modal). */
const HOPS = 2;
/** Alternatives named for one page, nearest first. */
export const MAX_ALTERNATIVES = 3;

/** The names a comparison heading gives, in its order: "Alert vs. Callout vs. Toast" → Alert, Callout, Toast. */
export function comparedNames(heading: string): string[] {
  return heading
    .split(/\s+(?:vs\.?|versus|compared (?:to|with))\s+/i)
    .map((part) => part.replace(/^(?:the|a|an)\s+/i, '').replace(/[.:;,!?]+$/, '').trim())
    .filter((part) => part !== '');
}

type TComparison = { path: string; heading: string };

/** Per rank index (a new one after each re-index), the comparison headings it was built from: read once. */
const headingsByIndex = new WeakMap<TRankIndex, Promise<TComparison[]>>();

function comparisonHeadings(db: TDb, index: TRankIndex): Promise<TComparison[]> {
  let headings = headingsByIndex.get(index);
  if (!headings) {
    headings = listDocsComparisonHeadings({ db }).then((rows) => rows ?? []);
    // A failed read is tried again by the next question, not kept.
    headings.catch(() => headingsByIndex.delete(index));
    headingsByIndex.set(index, headings);
  }
  return headings;
}

/** The comparisons as one reader sees them: each visible name's linked names, and its label (lower-case keys). */
type TComparisonGraph = { linked: Map<string, string[]>; labels: Map<string, string>; nameOf: Map<string, string> };

/** Per rank index and access (audiences and maintainer, as a key), the graph: worked out once, not per search. */
const graphsByIndex = new WeakMap<TRankIndex, Map<string, TComparisonGraph>>();
const GRAPHS_PER_INDEX = 64;

const accessKey = (access: TReaderAccess) => `${access.isMaintainer ? 'm' : 'r'}:${[...access.audiences].sort().join(',')}`;

async function comparisonGraph(db: TDb, access: TReaderAccess): Promise<TComparisonGraph | null> {
  const visible = await readVisibleIndex({ db, access });
  const headings = await comparisonHeadings(db, visible.index);
  // Most docs compare nothing: no page list is read for them.
  if (headings.length === 0) return null;
  const graphs = graphsByIndex.get(visible.index) ?? new Map<string, TComparisonGraph>();
  graphsByIndex.set(visible.index, graphs);
  const key = accessKey(access);
  const known = graphs.get(key);
  if (known) return known;
  const pages = visible.pages();
  // Pages are linked by name: a component's page, its API page and its changelog share one ("Modal").
  const labels = new Map<string, string>();
  for (const page of pages) {
    const label = choiceLabel(page.title);
    if (label !== '' && !labels.has(label.toLowerCase())) labels.set(label.toLowerCase(), label);
  }
  const visiblePaths = new Set(pages.map((page) => page.path));
  const linked = new Map<string, string[]>();
  for (const { path, heading } of headings) {
    if (!visiblePaths.has(path)) continue;
    const named = [...new Set(comparedNames(heading).map((name) => name.toLowerCase()))].filter((name) => labels.has(name));
    for (const one of named) for (const other of named) if (one !== other) linked.set(one, [...new Set([...(linked.get(one) ?? []), other])]);
  }
  const graph = { linked, labels, nameOf: new Map(pages.map((page) => [page.path, choiceLabel(page.title).toLowerCase()])) };
  if (graphs.size >= GRAPHS_PER_INDEX) graphs.clear();
  graphs.set(key, graph);
  return graph;
}

/**
 * For each of `paths` (index paths), the names of the visible pages the docs compare it with, nearest first (up to
 * MAX_ALTERNATIVES; HOPS comparisons away at most); a page with none is absent from the map.
 */
export async function comparedPages({ db, access, paths }: { db: TDb; access: TReaderAccess; paths: readonly string[] }): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (paths.length === 0) return found;
  const graph = await comparisonGraph(db, access);
  if (!graph) return found;
  const { linked, labels, nameOf } = graph;
  for (const path of paths) {
    const own = nameOf.get(path);
    if (!own) continue;
    const reached: string[] = [];
    let frontier = [own];
    for (let hop = 0; hop < HOPS && reached.length < MAX_ALTERNATIVES; hop += 1) {
      frontier = [...new Set(frontier.flatMap((from) => linked.get(from) ?? []))].filter((to) => to !== own && !reached.includes(to));
      reached.push(...frontier);
    }
    if (reached.length > 0) found.set(path, reached.slice(0, MAX_ALTERNATIVES).map((name) => labels.get(name) ?? name));
  }
  return found;
}

import type { TReadSectionContents } from '@/lib/docs/search/ranking/absent';
import type { TRankSection } from '@/lib/docs/search/ranking/build';
import type { TOperationAction } from '@/lib/shared/docs';

// Sections for the ranker's tests, as lib/docs/search/ranking/store.ts loads them from the index: each with its own id,
// the page's slug from its path, and its heading as the heading path and anchor.

let id = 0;

export const rankSection = (path: string, title: string, heading: string, content: string): TRankSection => ({
  id: (id += 1),
  path,
  slug: path.replace(/(\/index)?\.mdx$/, ''),
  title,
  description: '',
  heading,
  heading_path: heading ? [heading] : [],
  anchor: heading.toLowerCase().replace(/\s+/g, '-'),
  content,
});

/**
 * The text of `sections` by id, as the database gives it to absent.ts (the index holds none); each read's ids are
 * recorded in `reads`.
 */
export function contentsOf(sections: readonly TRankSection[]): TReadSectionContents & { reads: number[][] } {
  const reads: number[][] = [];
  const byId = new Map(sections.map((entry) => [entry.id, entry.content]));
  const read = async (ids: number[]) => {
    reads.push(ids);
    return new Map(ids.flatMap((at) => (byId.has(at) ? [[at, byId.get(at)!] as const] : [])));
  };
  return Object.assign(read, { reads });
}

/** A page's sections: one rankSection of `path` per [heading, content], each with `extra` (a kind, a date). */
export const rankPage = (path: string, title: string, parts: [string, string][], extra: Partial<TRankSection> = {}): TRankSection[] =>
  parts.map(([heading, content]) => ({ ...rankSection(path, title, heading, content), ...extra }));

/**
 * A small corpus the tests of changes to an index start from (rank-delta, rank-overlay): a component's guide and an
 * API page, a guide with steps, a dated GitHub thread and a foundation page, whose words overlap (loading, spinner,
 * button). New sections (new ids) on every call.
 */
export function smallRankCorpus(): TRankSection[] {
  return [
    ...rankPage('components/spinner/index.mdx', 'Spinner', [
      ['About Spinner', 'Shows that content is loading while a panel waits for data from the server, a circular indicator.'],
      ['Usage', '```jsx\n<Spinner size="small" />\n```'],
    ]),
    ...rankPage('components/button/api.mdx', 'Button', [['Props', 'The variant, size and loading props of the Button component and its onClick handler.']]),
    ...rankPage('components/modal/index.mdx', 'Modal', [['About Modal', 'A dialog over the page that asks the user to finish one task before going back to it.']]),
    ...rankPage('guides/webhooks.md', 'Webhooks', [
      ['Overview', 'Events are delivered as HTTP POST requests to your endpoint, signed with a secret. Retries back off.'],
      ['Retries', '1. Return a 2xx status.\n2. Otherwise the event is sent again, up to eight times over three days.'],
    ]),
    ...rankPage('blog/2024-launch.md', 'Launch notes', [['Launch', 'We launched frobnicators, zebrafish dashboards and slider previews.']], {
      kind: 'github',
      meta: { updatedAt: '2024-05-01T00:00:00Z' },
    }),
    ...rankPage('foundations/spacing/index.mdx', 'Spacing', [['Spacing scale', 'Space between elements uses the spacing tokens, in steps of four pixels.']]),
  ];
}

/**
 * One OpenAPI tag page's operations as the ranker loads them: each a section of the same text (so that only what the
 * page's meta says of it tells them apart), by its anchor `operation/<id>`, with its action and, when given, the plain
 * name of its resource in the page's meta, as lib/docs/sources/openapi/page.ts records them.
 */
export function operationSections(
  page: string,
  { title, heading, content }: { title: string; heading: string; content: string },
  operations: readonly (readonly [id: string, action: TOperationAction, resource?: string])[],
): TRankSection[] {
  const anchor = (id: string) => `operation/${id}`;
  const resources = operations.flatMap(([id, , resource]) => (resource ? [[anchor(id), resource] as const] : []));
  const meta = {
    operations: Object.fromEntries(operations.map(([id, action]) => [anchor(id), action])),
    ...(resources.length > 0 ? { resources: Object.fromEntries(resources) } : {}),
  };
  return operations.map(([id]) => ({ ...rankSection(page, title, heading, content), anchor: anchor(id), kind: 'openapi', meta }));
}

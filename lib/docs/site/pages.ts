import type { TBlockNode, TDocNav, TDocPageLink } from '../../shared/docs';

// What the docs site makes of the navigation a reader may read (lib/docs/gate readFolderNav): the generated overview of
// a folder without an index page, the home page's sections, and a page's previous and next.

const slugOf = (label: string) => label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * `/docs` of a docs folder without an index page: each navigation section as a heading and its pages as a
 * list of links with their descriptions, in navigation order; a page's own pages as a list in its item (a
 * description its parent's repeats is left out).
 */
export function buildDocsOverview(groups: TDocNav['groups']): TBlockNode[] {
  const link = (page: TDocPageLink, title: string): TBlockNode[] => [
    {
      type: 'paragraph',
      children: [{ type: 'link', href: page.href, children: [{ type: 'text', value: title }] }, ...(page.description ? [{ type: 'text' as const, value: ` — ${page.description}` }] : [])],
    },
  ];
  return groups.flatMap((group): TBlockNode[] => {
    const items: TBlockNode[][] = [];
    // Each page's item, and the list of its own pages in it, by href.
    const placed = new Map<string, { page: TDocPageLink; item: TBlockNode[]; list: Extract<TBlockNode, { type: 'list' }> | null }>();
    for (const page of group.pages) {
      const parent = page.parent === undefined ? undefined : placed.get(page.parent);
      const shown = parent && parent.page.description === page.description ? { ...page, description: '' } : page;
      // As the navigation names it (toNavLinks): in full where its parent is not listed.
      const item = link(shown, parent || page.parent === undefined ? (page.navTitle ?? page.title) : page.title);
      placed.set(page.href, { page, item, list: null });
      if (!parent) {
        items.push(item);
        continue;
      }
      if (!parent.list) {
        parent.list = { type: 'list', ordered: false, start: 1, items: [] };
        parent.item.push(parent.list);
      }
      parent.list.items.push(item);
    }
    return [
      { type: 'heading', depth: 2, id: slugOf(group.label), text: group.label, children: [{ type: 'text', value: group.label }] },
      { type: 'list', ordered: false, start: 1, items },
    ];
  });
}

/** A section as the home page lists it: its pages with their descriptions, without the pages under them. */
export type TSectionOfNav = { label: string; pages: Pick<TDocPageLink, 'href' | 'title' | 'description'>[] };

/** The navigation's sections and their own pages (a page whose parent the navigation lacks, in its place), as toNavLinks names them. */
export function listSectionsOfNav(groups: TDocNav['groups']): TSectionOfNav[] {
  return groups.map((group) => {
    const listed = new Set(group.pages.map((page) => page.href));
    return {
      label: group.label,
      pages: group.pages
        .filter((page) => page.parent === undefined || !listed.has(page.parent))
        .map((page) => ({ href: page.href, title: page.parent === undefined ? (page.navTitle ?? page.title) : page.title, description: page.description })),
    };
  });
}

/** The previous and next pages of `href` in navigation order. */
export function getPrevNext(nav: TDocNav, href: string): { prev: TDocPageLink | null; next: TDocPageLink | null } {
  const index = nav.pages.findIndex((page) => page.href === href);
  if (index < 0) return { prev: null, next: null };
  return { prev: nav.pages[index - 1] ?? null, next: nav.pages[index + 1] ?? null };
}


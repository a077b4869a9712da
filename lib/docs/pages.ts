import { statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { docUrl, listDocFiles, readDocFile } from './load';
import { parseMdxTree } from './mdx';

// The docs navigation, read from DOCS_DIR at build time: pages grouped into sections (front matter `section`,
// else the top folder), ordered by front matter `order`, then title. Previous/next follow the same order.

import type { TDocNav, TDocPageLink, TNavGroup } from '../shared/docs';

export type { TDocNav, TDocPageLink, TNavGroup };

const cache = new Map<string, { key: string; nav: TDocNav }>();

function humanize(segment: string): string {
  return segment.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

function readLink(docsDir: string, relativePath: string): TDocPageLink {
  const file = readDocFile(docsDir, relativePath);
  const folder = relativePath.includes('/') ? humanize(relativePath.split('/')[0] ?? '') : 'Overview';
  let meta: { title?: string; description?: string; section?: string; order?: number } = {};
  let firstHeading: string | undefined;
  try {
    const parsed = parseMdxTree({ source: file.source, path: relativePath });
    meta = parsed.meta;
    const h1 = parsed.tree.children.find((child) => child.type === 'heading' && child.depth === 1);
    if (h1 && h1.type === 'heading') firstHeading = h1.children.map((child) => ('value' in child ? child.value : '')).join('');
  } catch {
    // Listed all the same: the page renders its parse error.
  }
  return {
    href: docUrl(file.slug),
    title: meta.title ?? firstHeading ?? (humanize(file.slug.split('/').pop() ?? '') || 'Home'),
    description: meta.description ?? '',
    path: relativePath,
    section: meta.section ?? folder,
    order: meta.order ?? 1000,
  };
}

export function getDocNav(docsDir = loadConfig().docsDir): TDocNav {
  const files = listDocFiles(docsDir);
  const key = files.map((file) => `${file}:${statSync(path.join(docsDir, file)).mtimeMs}`).join('|');
  const cached = cache.get(docsDir);
  if (cached && cached.key === key) return cached.nav;

  const links = files.map((file) => readLink(docsDir, file));
  const byOrder = (a: TDocPageLink, b: TDocPageLink) => a.order - b.order || a.title.localeCompare(b.title) || a.path.localeCompare(b.path);
  const groups = new Map<string, TDocPageLink[]>();
  for (const link of [...links].sort(byOrder)) groups.set(link.section, [...(groups.get(link.section) ?? []), link]);
  const ordered = [...groups.entries()]
    .map(([label, pages]) => ({ label, pages }))
    .sort((a, b) => Math.min(...a.pages.map((p) => p.order)) - Math.min(...b.pages.map((p) => p.order)) || a.label.localeCompare(b.label));
  const nav = { groups: ordered, pages: ordered.flatMap((group) => group.pages) };
  cache.set(docsDir, { key, nav });
  return nav;
}

/** The previous and next pages of `href` in navigation order. */
export function getPrevNext(nav: TDocNav, href: string): { prev: TDocPageLink | null; next: TDocPageLink | null } {
  const index = nav.pages.findIndex((page) => page.href === href);
  if (index < 0) return { prev: null, next: null };
  return { prev: nav.pages[index - 1] ?? null, next: nav.pages[index + 1] ?? null };
}

/** Kept for the home page: every page, in navigation order. */
export function listDocPages(docsDir = loadConfig().docsDir): TDocPageLink[] {
  return getDocNav(docsDir).pages;
}

import { describe, expect, it } from 'vitest';
import { getLlmsTxt } from '@/lib/docs/llms';
import { listDocFiles, slugFromPath } from '@/lib/docs/load';
import { findDocPath } from '@/lib/docs/markdown';
import { getDocNav } from '@/lib/docs/pages';
import { PASTE_CORPUS_DIR } from '../helpers/corpus';

const SITE = 'https://docs.example.test';

describe('llms.txt of the Paste corpus', () => {
  it('lists every page once, each link naming a page the .md route serves', () => {
    const { text, pages } = getLlmsTxt({ docsDir: PASTE_CORPUS_DIR, siteUrl: SITE });
    // Every page of the navigation: the corpus's 367 files but its 404 page and its draft post template.
    expect(pages).toBe(getDocNav(PASTE_CORPUS_DIR).pages.length);
    expect(pages).toBeGreaterThanOrEqual(365);
    expect(text).not.toMatch(/\/docs\/404\b/);
    const links = [...text.matchAll(/^- \[[^\]]+\]\(([^)]+)\)/gm)].map((match) => match[1] as string);
    expect(links).toHaveLength(pages);
    expect(new Set(links).size).toBe(pages);
    // What the .md route does with each link's path: the page it names, found among DOCS_DIR's files.
    const slugs = new Set(listDocFiles(PASTE_CORPUS_DIR).map(slugFromPath));
    const unresolved = links.filter((link) => !slugs.has(decodeURIComponent(new URL(link).pathname).replace(/^\/docs\/?/, '').replace(/\.md$/, '')));
    expect(unresolved).toEqual([]);
    expect(findDocPath(PASTE_CORPUS_DIR, 'components/button')).toBe('components/button/index.mdx');
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { getLlmsFullTxt, getLlmsTxt } from '@/lib/docs/agents/llms';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { getDocPageSlugs, listDocFiles, slugFromPath } from '@/lib/docs/folder/load';
import { findDocPath } from '@/lib/docs/agents/markdown';
import { getDocNav } from '@/lib/docs/gate/folder-nav';
import { PASTE_CORPUS_DIR } from '../helpers/corpus.mts';
import { countLinks, countRenderedLinks, countTwinLinks, LINKS_SITE as SITE, markdownHrefs, type TLinkCount } from '../helpers/doc-links';
import { expectTwinMatchesSections } from '../helpers/doc-twins';

// The Paste corpus's pages as the site serves them: the navigation, llms.txt and llms-full.txt, each page's .md
// twin, and where the links of pages and twins land. One file, so that what these share is made once: the
// navigation, and the twin of each of the 368 pages, which lib/docs keeps per process (getDocNav, getMarkdownPage)
// while the folder is unchanged. As four files, each in its own process, the tier rendered every twin three times
// and built the navigation twice (ci11: the links file alone took 293 s under load, past its 240 s limit).

describe('the navigation of the Paste corpus', () => {
  it('Introduction first, Blog last, and no "404" anywhere in the navigation', () => {
    const nav = getDocNav(PASTE_CORPUS_DIR, {});
    expect(nav.groups[0]?.label).toBe('Introduction');
    expect(nav.groups.at(-1)?.label).toBe('Blog');
    expect(nav.groups.map((group) => group.label)).not.toContain('404');
    expect(nav.pages.filter((link) => /(^|\/)404(\/|$)/.test(link.href) || link.title === '404')).toEqual([]);
    expect(nav.pages.some((link) => link.title === 'Title')).toBe(false);
  });
});

describe('llms.txt of the Paste corpus', () => {
  it('lists every page once, each link naming a page the .md route serves', () => {
    const { text, pages } = getLlmsTxt({ docsDir: PASTE_CORPUS_DIR, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS });
    // Every page of the navigation: the corpus's 368 files (367 MDX pages and SOURCE.md) but its 404 page and its draft
    // post template, 366.
    expect(pages).toBe(getDocNav(PASTE_CORPUS_DIR, {}).pages.length);
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
  });
});

describe('every page of the Paste corpus has a twin with the sections the index holds', () => {
  it('the Paste corpus (368 pages: 367 MDX and SOURCE.md)', () => {
    const files = listDocFiles(PASTE_CORPUS_DIR);
    expect(files.length).toBeGreaterThanOrEqual(368);
    for (const file of files) expectTwinMatchesSections(PASTE_CORPUS_DIR, file);
  });
});

describe('the Paste corpus: links written for a site at the root', () => {
  // The corpus links to two pages it does not have (Paste's site serves them elsewhere): left as written.
  const MISSING = ['/components/form', '/patterns/navigation'];
  const pathOf = (href: string) => new URL(href, SITE).pathname;

  it('land on a page or a site route, on every page, except links to pages the corpus does not have', () => {
    const slugs = getDocPageSlugs(PASTE_CORPUS_DIR);
    for (const missing of MISSING) expect(slugs.has(missing.slice(1))).toBe(false);
    const asWritten = countRenderedLinks(PASTE_CORPUS_DIR, new Set());
    const rendered = countRenderedLinks(PASTE_CORPUS_DIR, slugs);
    console.log(`Paste corpus, links of this site on its pages: ${asWritten.internal}; resolving as written ${asWritten.resolved}, as rendered ${rendered.resolved}`);
    expect(asWritten.internal - asWritten.resolved).toBeGreaterThan(900);
    expect(rendered.internal).toBe(asWritten.internal);
    expect([...new Set(rendered.unresolved.map(pathOf))].sort()).toEqual(MISSING);
    expect(rendered.resolved).toBe(rendered.internal - rendered.unresolved.length);
    expect(rendered.resolved).toBeGreaterThan(1000);
  });

  it('land there in every page’s .md twin and in llms-full.txt too', () => {
    const twins = countTwinLinks(PASTE_CORPUS_DIR);
    expect(twins.internal).toBeGreaterThan(1000);
    expect([...new Set(twins.unresolved.map(pathOf))].sort()).toEqual(MISSING);
    const full: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
    const text = getLlmsFullTxt({ docsDir: PASTE_CORPUS_DIR, rules: {}, siteUrl: SITE, access: PUBLIC_ACCESS }).text;
    countLinks({ hrefs: markdownHrefs(text), pageUrl: SITE, slugs: getDocPageSlugs(PASTE_CORPUS_DIR), into: full });
    expect(text).toContain(`](${SITE}/docs/components/select)`);
    expect(full.internal).toBeGreaterThan(1000);
    expect([...new Set(full.unresolved.map(pathOf))].sort()).toEqual(MISSING);
  });
});

import { describe, expect, it } from 'vitest';
import { getDocPageSlugs } from '@/lib/docs/load';
import { getLlmsFullTxt } from '@/lib/docs/llms';
import { PASTE_CORPUS_DIR } from '../helpers/corpus';
import { countLinks, countRenderedLinks, countTwinLinks, LINKS_SITE as SITE, markdownHrefs, type TLinkCount } from '../helpers/doc-links';

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
  }, 120_000);

  it('land there in every page’s .md twin and in llms-full.txt too', () => {
    const twins = countTwinLinks(PASTE_CORPUS_DIR);
    expect(twins.internal).toBeGreaterThan(1000);
    expect([...new Set(twins.unresolved.map(pathOf))].sort()).toEqual(MISSING);
    const full: TLinkCount = { internal: 0, resolved: 0, unresolved: [] };
    const text = getLlmsFullTxt({ docsDir: PASTE_CORPUS_DIR, siteUrl: SITE }).text;
    countLinks({ hrefs: markdownHrefs(text), pageUrl: SITE, slugs: getDocPageSlugs(PASTE_CORPUS_DIR), into: full });
    expect(text).toContain(`](${SITE}/docs/components/select)`);
    expect(full.internal).toBeGreaterThan(1000);
    expect([...new Set(full.unresolved.map(pathOf))].sort()).toEqual(MISSING);
  }, 240_000);
});

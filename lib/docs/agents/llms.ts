import { getDocPageSlugs } from '../folder/load';
import { docsFingerprint, etagOf, getMarkdownPage, markdownUrl } from './markdown';
import { readFolderNavOfEveryVersion, type TFolderRules } from '../gate/folder-nav';
import type { TReaderAccess } from '../../audiences';
import { readSiteName } from '../site/site-config';
import { docsTitleName } from '../../shared/site';

// /llms.txt and /llms-full.txt (the llms.txt convention, https://llmstxt.org): an H1 with the site's name, a
// quoted summary, a few lines on how to read the docs, then one H2 per navigation section listing its pages
// as links to their markdown twins. llms-full.txt is every page's markdown, in navigation order. Both are
// built from DOCS_DIR as the site serves it, with the pages the caller may read (lib/audiences: as every other
// surface, a reader's session, an API key's audiences or a maintainer's access adds their pages), and kept until a
// page is added, removed or edited (or the site's name changes: it is part of the cache key). The H1 is the docs'
// name as the pages' titles give it.

export type TLlmsText = { text: string; etag: string; pages: number };

type TBuilt = { text: string; etag: string };
// By what a text is made of: its kind, the site's address (a request's, when SITE_URL is unset: any Host a client
// sends) and the pages listed. A few at most are in use; the oldest goes past that, so no caller can make it grow.
const MAX_CACHED = 16;
const cache = new Map<string, { fingerprint: string; built: TBuilt }>();

function cached(key: string, fingerprint: string, build: () => string): TBuilt {
  const hit = cache.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.built;
  }
  const text = build();
  const built = { text, etag: etagOf(text) };
  cache.delete(key);
  cache.set(key, { fingerprint, built });
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_CACHED) break;
    cache.delete(oldest);
  }
  return built;
}

/** The pages listed, as part of a cache key: those of the audiences the caller may read are in it, or not. */
const listedKey = (pages: readonly { href: string }[]) => etagOf(pages.map((page) => page.href).join('\n'));

// A page of an audience is in them only for a caller who may read it (publish.ts keeps such a text from shared caches).
export function getLlmsTxt({ docsDir, rules, siteUrl, access }: { docsDir: string; rules: TFolderRules; siteUrl: string; access: TReaderAccess }): TLlmsText {
  const nav = readFolderNavOfEveryVersion({ docsDir, rules, access });
  const name = docsTitleName(readSiteName({ docsDir }));
  const value = cached(`index\u0000${docsDir}\u0000${siteUrl}\u0000${name}\u0000${listedKey(nav.pages)}`, docsFingerprint(docsDir), () => {
    const lines = [
      `# ${name}`,
      '',
      `> The documentation served at ${siteUrl}/docs: ${nav.pages.length} pages, each also published as markdown.`,
      '',
      `- Every docs page has a markdown version at its URL plus \`.md\` (for example ${markdownUrl(siteUrl, nav.pages[0]?.href ?? '/docs')}).`,
      `- All pages in one file: ${siteUrl}/llms-full.txt`,
      `- Search the docs, read a page or ask the docs assistant from an agent: the MCP server at ${siteUrl}/mcp (Streamable HTTP; tools search_docs, get_page, ask_docs).`,
    ];
    for (const group of nav.groups) {
      lines.push('', `## ${group.label}`, '');
      for (const page of group.pages) {
        const description = page.description.replace(/\s+/g, ' ').trim();
        lines.push(`- [${linkText(page.title)}](${markdownUrl(siteUrl, page.href)})${description ? `: ${description}` : ''}`);
      }
    }
    return `${lines.join('\n')}\n`;
  });
  return { ...value, pages: nav.pages.length };
}

export function getLlmsFullTxt({ docsDir, rules, siteUrl, access }: { docsDir: string; rules: TFolderRules; siteUrl: string; access: TReaderAccess }): TLlmsText {
  const nav = readFolderNavOfEveryVersion({ docsDir, rules, access });
  const value = cached(`full\u0000${docsDir}\u0000${siteUrl}\u0000${listedKey(nav.pages)}`, docsFingerprint(docsDir), () => {
    const pageSlugs = getDocPageSlugs(docsDir);
    return nav.pages
      .map((page) => {
        const { markdown } = getMarkdownPage({ docsDir, relativePath: page.path, siteUrl, pageSlugs });
        // Where one page ends and the next begins: the page's title line gains its URL underneath.
        return markdown.replace(/^(# .*\n)/, `$1\nSource: ${siteUrl}${page.href}\n`);
      })
      .join('\n---\n\n');
  });
  return { ...value, pages: nav.pages.length };
}

/** Brackets in a title would end the link text early. */
function linkText(title: string): string {
  return title.replace(/[[\]\\]/g, (character) => `\\${character}`);
}

import { getDocPageSlugs } from '../folder/load';
import { docsFingerprint, etagOf, getMarkdownPage, markdownUrl } from './markdown';
import { getDocNav, navForAccess } from '../site/pages';
import { PUBLIC_ACCESS } from '../../audiences';
import { readSiteName } from '../site/site-config';
import { docsTitleName } from '../../shared/site';

// /llms.txt and /llms-full.txt (the llms.txt convention, https://llmstxt.org): an H1 with the site's name, a
// quoted summary, a few lines on how to read the docs, then one H2 per navigation section listing its pages
// as links to their markdown twins. llms-full.txt is every page's markdown, in navigation order. Both are
// built from DOCS_DIR as the site serves it and kept until a page is added, removed or edited (or the site's
// name changes: it is part of the cache key). The H1 is the docs' name as the pages' titles give it.

export type TLlmsText = { text: string; etag: string; pages: number };

type TBuilt = { text: string; etag: string };
const cache = new Map<string, { fingerprint: string; built: TBuilt }>();

function cached(key: string, fingerprint: string, build: () => string): TBuilt {
  const hit = cache.get(key);
  if (hit && hit.fingerprint === fingerprint) return hit.built;
  const text = build();
  const built = { text, etag: etagOf(text) };
  cache.set(key, { fingerprint, built });
  return built;
}

// llms.txt and llms-full.txt are public documents (any cache may keep them): they hold the public pages only, never a
// page of an audience (lib/audiences), nor its title.
export function getLlmsTxt({ docsDir, siteUrl }: { docsDir: string; siteUrl: string }): TLlmsText {
  const nav = navForAccess(getDocNav(docsDir), PUBLIC_ACCESS);
  const name = docsTitleName(readSiteName({ docsDir }));
  const value = cached(`index\u0000${docsDir}\u0000${siteUrl}\u0000${name}`, docsFingerprint(docsDir), () => {
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

export function getLlmsFullTxt({ docsDir, siteUrl }: { docsDir: string; siteUrl: string }): TLlmsText {
  const nav = navForAccess(getDocNav(docsDir), PUBLIC_ACCESS);
  const value = cached(`full\u0000${docsDir}\u0000${siteUrl}`, docsFingerprint(docsDir), () => {
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

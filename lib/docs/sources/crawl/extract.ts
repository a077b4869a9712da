import { Readability } from '@mozilla/readability';
import { fromHtml } from 'hast-util-from-html';
import { defaultHandlers, toMdast, type Handle } from 'hast-util-to-mdast';
import { parseHTML } from 'linkedom';
import type { Heading, Root } from 'mdast';
import { explicitHeadingId, headingText, setExplicitHeadingId } from '../../parse/mdx';
import { sectionsOfTree, type TDocSection } from '../../parse/parse';
import { pageName, type TPageNames } from './titles';

// A crawled page's HTML → its main content as the same sections as an MDX page. The HTML is data: parsed by
// linkedom and hast (no browser, no script ever runs, nothing is rendered), the site's chrome removed (its
// navigation, header, footer, sidebars, "on this page", edit links, cookie banners, prev/next), the main
// content found by Mozilla's Readability or by DOCS_CRAWL_CONTENT_SELECTOR, then converted to mdast and split
// by heading. Each section keeps the id its heading has on the page, so a source links to an anchor that
// exists there; a heading without one links to the page.

// hast's types as the parser returns them (two copies of @types/hast are installed).
type THastRoot = ReturnType<typeof fromHtml>;
type THastContent = THastRoot['children'][number];
type Element = Extract<THastContent, { type: 'element' }>;
type ElementContent = Element['children'][number];

/** `title`: the page's name as far as the page alone tells it (pageName without the crawl's shared title affix). */
export type TExtractedPage = { title: string; names: TPageNames; description: string; sections: TDocSection[]; links: string[] };

// Chrome every docs theme has, by role or by the names themes give it. Removed before Readability scores the page.
const CHROME_SELECTORS = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'form',
  'button',
  'nav',
  'aside',
  'body > header',
  'footer',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="search"]',
  '[aria-hidden="true"]',
  '[hidden]',
  '.sidebar',
  '.VPSidebar',
  '.VPNav',
  '.VPLocalNav',
  '.VPDocFooter',
  '.VPDocAside',
  '.aside',
  '.table-of-contents',
  '.theme-doc-toc-desktop',
  '.theme-doc-toc-mobile',
  '.theme-doc-footer',
  '.theme-doc-breadcrumbs',
  '.pagination-nav',
  '.md-sidebar',
  '.md-header',
  '.md-footer',
  '.md-source-file',
  '.edit-link',
  '.edit-this-page',
  '.breadcrumbs',
  '.prev-next',
  '.pager',
  '[class*="cookie"]',
  '[id*="cookie"]',
  '[class*="consent"]',
  '.skip-link',
  'span.lang',
  '.visually-hidden',
  '.sr-only',
];

// Less text than this in <main> is not the page's content (a shell filled by script, a landing page of links).
const MIN_MAIN_CHARS = 40;

/** Links a heading carries to itself (`#`, `¶`, a zero-width space): chrome, not text. */
function isSelfLink(element: Element): boolean {
  const href = element.properties?.href;
  if (element.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return false;
  const text = textOf(element).replace(/[\s\u200b]/g, '');
  return text === '' || text === '#' || text === '¶' || text === '§' || text === '🔗';
}

function textOf(node: ElementContent | Element): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

/** The id a heading has on the page: its own, a child anchor's (`<a id>`/`<a name>`), or its self-link's. */
function pageHeadingId(element: Element): string | undefined {
  const own = element.properties?.id;
  if (typeof own === 'string' && own !== '') return own;
  for (const child of element.children) {
    if (child.type !== 'element' || child.tagName !== 'a') continue;
    const id = child.properties?.id ?? child.properties?.name;
    if (typeof id === 'string' && id !== '') return id;
    const href = child.properties?.href;
    if (typeof href === 'string' && href.startsWith('#') && href.length > 1) return decodeURIComponent(href.slice(1));
  }
  return undefined;
}

/** Removes headings' self-links and empty wrappers, keeping each heading's page id on it. */
function prepareHast(node: THastRoot | Element): void {
  node.children = node.children.filter((child) => !(child.type === 'element' && isSelfLink(child)));
  for (const child of node.children as THastContent[]) {
    if (child.type !== 'element') continue;
    if (/^h[1-6]$/.test(child.tagName)) {
      const id = pageHeadingId(child);
      child.children = child.children.filter((inner) => !(inner.type === 'element' && isSelfLink(inner)));
      child.properties = { ...child.properties, dataPageId: id ?? '' };
      continue;
    }
    prepareHast(child);
  }
}

const headingHandler: Handle = (state, node) => {
  const result = defaultHandlers.h1(state, node) as Heading;
  result.depth = Number(node.tagName.slice(1)) as Heading['depth'];
  const id = node.properties?.dataPageId;
  if (typeof id === 'string' && id !== '') setExplicitHeadingId(result, id);
  return result;
};

function documentOf(html: string) {
  return parseHTML(html).document;
}

/** Every link of the page, absolute (for discovery; the page's chrome included: navigation is how pages link). */
function pageLinks(document: ReturnType<typeof documentOf>, pageUrl: string): string[] {
  const links: string[] = [];
  for (const anchor of Array.from(document.querySelectorAll('a[href]'))) {
    try {
      const url = new URL(anchor.getAttribute('href') ?? '', pageUrl);
      url.hash = '';
      links.push(url.href);
    } catch {
      // Not a URL: not a page.
    }
  }
  return links;
}

export function extractPage({ html, url, contentSelector = null }: { html: string; url: string; contentSelector?: string | null }): TExtractedPage {
  const document = documentOf(html);
  const links = pageLinks(document, url);
  const titleElement = document.querySelector('title');
  const pageTitle = (titleElement?.textContent ?? '').trim();
  const description = (document.querySelector('meta[name="description"]')?.getAttribute('content') ?? '').trim();
  // Read before the chrome goes: breadcrumbs are navigation.
  const breadcrumb = breadcrumbName(document);
  for (const element of Array.from(document.querySelectorAll(CHROME_SELECTORS.join(',')))) element.remove();

  const pageH1 = (document.querySelector('h1')?.textContent ?? '').replace(/[\s\u200b]+/g, ' ').trim();

  // The configured selector; else the page's own main content when it marks it (every docs theme does), with
  // its headings and their ids as they are; else Readability's guess.
  let contentHtml: string | null = null;
  if (contentSelector) contentHtml = document.querySelector(contentSelector)?.innerHTML ?? null;
  if (contentHtml === null) {
    const main = document.querySelector('main article, article, main, [role="main"]');
    if (main && (main.textContent ?? '').trim().length >= MIN_MAIN_CHARS) contentHtml = main.innerHTML;
  }
  if (contentHtml === null) {
    // Readability works on (and changes) the document it is given: a copy of what is left after the chrome.
    const article = new Readability(documentOf(document.toString()) as unknown as Document, { keepClasses: false, charThreshold: 100 }).parse();
    contentHtml = article?.content ?? document.querySelector('body')?.innerHTML ?? '';
  }

  const hast = fromHtml(contentHtml, { fragment: true });
  prepareHast(hast);
  const tree = toMdast(hast, {
    handlers: { h1: headingHandler, h2: headingHandler, h3: headingHandler, h4: headingHandler, h5: headingHandler, h6: headingHandler },
  }) as Root;
  const anchors = new Map<Heading, string>();
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'heading') anchors.set(node as Heading, explicitHeadingId(node as Heading) ?? '');
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) visit(child);
  };
  visit(tree);
  const firstH1 = findHeading(tree, 1);
  const names: TPageNames = { h1: firstH1 ? headingText(firstH1).trim() : pageH1, breadcrumb, htmlTitle: pageTitle.replace(/\s+/g, ' ') };
  const title = pageName({ names, url, affix: null });
  const parsed = sectionsOfTree({ tree, title, description, path: new URL(url).pathname, anchors });
  return { ...parsed, names, links };
}

const BREADCRUMB_SELECTORS = [
  '[itemtype*="BreadcrumbList"]',
  'nav[aria-label*="readcrumb"]',
  '[aria-label*="readcrumb"]',
  '.theme-doc-breadcrumbs',
  '.breadcrumbs',
  '.breadcrumb',
  '[class*="Breadcrumb"]',
];
// What themes put between breadcrumb items.
const CRUMB_SEPARATOR = /^[\s/>›»|·•→-]*$/;

/** The last item of the page's breadcrumb (schema.org JSON-LD or microdata, ARIA, or a theme's markup); "" without one. */
function breadcrumbName(document: ReturnType<typeof documentOf>): string {
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    const name = jsonLdBreadcrumb(script.textContent ?? '');
    if (name !== '') return name;
  }
  for (const selector of BREADCRUMB_SELECTORS) {
    const trail = document.querySelector(selector);
    if (!trail) continue;
    const microdata = Array.from(trail.querySelectorAll('[itemprop="itemListElement"]'));
    const items = microdata.length > 0 ? microdata : Array.from(trail.querySelectorAll('li'));
    const texts = (items.length > 0 ? items : Array.from(trail.querySelectorAll('a, span'))).map((item) => (item.textContent ?? '').replace(/[\s\u200b]+/g, ' ').trim());
    const last = texts.filter((text) => !CRUMB_SEPARATOR.test(text)).pop();
    if (last) return last;
  }
  return '';
}

function jsonLdBreadcrumb(text: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return '';
  }
  const nodes: unknown[] = Array.isArray(data) ? data : [data, ...(((data as { '@graph'?: unknown[] })?.['@graph']) ?? [])];
  for (const node of nodes) {
    if (!node || typeof node !== 'object' || (node as { '@type'?: unknown })['@type'] !== 'BreadcrumbList') continue;
    const elements = (node as { itemListElement?: unknown }).itemListElement;
    if (!Array.isArray(elements)) continue;
    const sorted = [...elements].sort((a, b) => Number((a as { position?: unknown })?.position ?? 0) - Number((b as { position?: unknown })?.position ?? 0));
    const last = sorted[sorted.length - 1] as { name?: unknown; item?: { name?: unknown } } | undefined;
    const name = typeof last?.name === 'string' ? last.name : typeof last?.item?.name === 'string' ? last.item.name : '';
    if (name.trim() !== '') return name.trim();
  }
  return '';
}

function findHeading(tree: Root, depth: number): Heading | undefined {
  let found: Heading | undefined;
  const visit = (node: { type: string; children?: unknown[]; depth?: number }) => {
    if (found) return;
    if (node.type === 'heading' && node.depth === depth) found = node as Heading;
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) visit(child);
  };
  visit(tree);
  return found;
}

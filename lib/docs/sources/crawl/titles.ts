// A crawled page's name. Its h1; failing that, the last item of its breadcrumb; then its <title> without the part
// every page of the site shares ("Disabled | Acme Docs" → "Disabled"); then its URL's path. The shared part is
// found across the crawl's titles (the crawler keeps each page's <title>), never guessed from one title: "Acme -
// Docs" may be a page's whole name. A site whose <title> is the same on every page names its pages by their path,
// not all by the site's name.

/** What a page says its name is, as extracted (extract.ts). */
export type TPageNames = { h1: string; breadcrumb: string; htmlTitle: string };

/** The part every title shares: a prefix ("Acme | "), a suffix (" | Acme Docs"), or the whole title (`isWhole`). */
export type TTitleAffix = { prefix: string; suffix: string; isWhole: boolean };

// A separator between a page's name and the site's: spaced |, -, –, —, ·, •, », :, or ::.
const SEPARATOR = /\s+(?:[|\-–—·•»]|::?)\s+/g;

/** Whether the page is named by its own markup (h1, breadcrumb): no title affix is needed to name it. */
export function hasOwnName(names: TPageNames): boolean {
  return names.h1 !== '' || names.breadcrumb !== '';
}

/**
 * The affix the titles of one site share; null when it cannot be told (fewer than two titles, or nothing in
 * common at a separator). Titles without a separator (a home page titled "Acme Docs") neither count for nor
 * against a prefix or suffix: only the titles that have one are compared.
 */
export function sharedTitleAffix(titles: string[]): TTitleAffix | null {
  const present = titles.map((title) => title.trim()).filter((title) => title !== '');
  if (present.length < 2) return null;
  if (present.every((title) => title === present[0])) return { prefix: '', suffix: present[0] as string, isWhole: true };
  const separated = present.filter((title) => new RegExp(SEPARATOR.source).test(title));
  if (separated.length < 2) return null;
  const suffix = separatorSuffix(commonSuffix(separated));
  const prefix = separatorPrefix(commonPrefix(separated));
  if (suffix === '' && prefix === '') return null;
  return { prefix, suffix, isWhole: false };
}

/** The page's name: its h1, its breadcrumb, its title less the shared affix, its path. */
export function pageName({ names, url, affix }: { names: TPageNames; url: string; affix: TTitleAffix | null }): string {
  if (names.h1 !== '') return names.h1;
  if (names.breadcrumb !== '') return names.breadcrumb;
  const title = names.htmlTitle.trim();
  const stripped = affix ? stripAffix(title, affix) : title;
  if (stripped !== '') return stripped;
  return pathName(url) || title || new URL(url).hostname;
}

function stripAffix(title: string, affix: TTitleAffix): string {
  if (affix.isWhole) return title === affix.suffix ? '' : title;
  let name = title;
  if (affix.prefix !== '' && name.startsWith(affix.prefix)) name = name.slice(affix.prefix.length);
  if (affix.suffix !== '' && name.endsWith(affix.suffix)) name = name.slice(0, -affix.suffix.length);
  return name.trim();
}

/** `/guide/getting-started.html` → "Getting started"; the root has no path name. */
function pathName(url: string): string {
  const segments = new URL(url).pathname.split('/').filter((segment) => segment !== '');
  let last = segments[segments.length - 1] ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // Shown as it is.
  }
  const words = last.replace(/\.(html?|php|aspx?)$/i, '').replace(/[-_]+/g, ' ').trim();
  return words === '' ? '' : `${words[0]?.toUpperCase()}${words.slice(1)}`;
}

function commonSuffix(titles: string[]): string {
  let suffix = titles[0] as string;
  for (const title of titles.slice(1)) {
    let length = 0;
    while (length < suffix.length && length < title.length && suffix[suffix.length - 1 - length] === title[title.length - 1 - length]) length += 1;
    suffix = suffix.slice(suffix.length - length);
  }
  return suffix;
}

function commonPrefix(titles: string[]): string {
  let prefix = titles[0] as string;
  for (const title of titles.slice(1)) {
    let length = 0;
    while (length < prefix.length && length < title.length && prefix[length] === title[length]) length += 1;
    prefix = prefix.slice(0, length);
  }
  return prefix;
}

/** A common suffix from its first separator on ("abled | Acme Docs" → " | Acme Docs"); "" without one. */
function separatorSuffix(common: string): string {
  const match = new RegExp(SEPARATOR.source).exec(common);
  return match ? common.slice(match.index) : '';
}

/** A common prefix up to its last separator ("Acme | In" → "Acme | "); "" without one. */
function separatorPrefix(common: string): string {
  let end = -1;
  for (const match of common.matchAll(SEPARATOR)) end = match.index + match[0].length;
  return end < 0 ? '' : common.slice(0, end);
}

// The one policy for links the model writes (answers, citations, the maintainers' transcript). Shared by the
// server and the browser: no Node imports.
//
// A model's link is untrusted text. Browsers resolve an href with the WHATWG URL parser, which drops tabs and
// newlines anywhere in it, trims spaces and control characters at its ends, and reads a backslash as a slash
// in http(s) URLs: "/\evil.example", "/<TAB>/evil.example" and "\\evil.example" all lead to another site.
// Checks on the raw string ("starts with / but not //") cannot keep up with that, so every href is resolved
// here with the same parser against the site's URL, and only what it resolved to is judged and emitted:
//
//   - same origin as the site → `internal`: emitted as the parsed path + query + fragment (never the raw
//     string). `isDocs` when the path is /docs or under /docs/: only those links become cited sources. Other
//     paths on the site stay in-site links (they lead to this site, whatever they are) but are not sources;
//   - http(s) on any other origin, or mailto: → `external`: emitted as the parsed absolute URL, rendered to
//     open in a new tab with rel="noopener noreferrer nofollow" (EXTERNAL_LINK_REL) and a visible external marker;
//   - anything else (javascript:, data:, vbscript:, file:, ftp:, unparseable) → `unsafe`: shown as text.

export type TLinkTarget =
  | { kind: 'internal'; href: string; isDocs: boolean }
  | { kind: 'external'; href: string }
  | { kind: 'unsafe' };

const DOCS_PATH = '/docs';

/**
 * The rel of every link the model wrote that leaves the site: no opener, no Referer, and no endorsement (the
 * model's links are user content to search engines; a shared conversation is public).
 */
export const EXTERNAL_LINK_REL = 'noopener noreferrer nofollow';

export function classifyLink({ href, siteUrl }: { href: string; siteUrl: string }): TLinkTarget {
  const base = new URL(siteUrl);
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return { kind: 'unsafe' };
  }
  if (url.protocol === 'mailto:') return { kind: 'external', href: url.href };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'unsafe' };
  if (url.origin !== base.origin) return { kind: 'external', href: url.href };
  // "/docs/..//evil.example" resolves to the path "//evil.example" on this site; emitted as a path, a browser
  // would read it as the protocol-relative URL of another site. No page of ours starts with an empty segment.
  if (url.pathname.startsWith('//')) return { kind: 'unsafe' };
  return { kind: 'internal', href: `${url.pathname}${url.search}${url.hash}`, isDocs: isDocsPath(url.pathname) };
}

/** Whether a parsed path is the docs index or a page under it ("/docsevil" is neither). */
export function isDocsPath(pathname: string): boolean {
  return pathname === DOCS_PATH || pathname.startsWith(`${DOCS_PATH}/`);
}

/** A link that may become a `url_citation` source: an in-site link to the docs, as its normalised path. */
export function docsCitationHref({ href, siteUrl }: { href: string; siteUrl: string }): string | null {
  const target = classifyLink({ href, siteUrl });
  return target.kind === 'internal' && target.isDocs ? target.href : null;
}

/**
 * A link that may cite a GitHub thread: an http(s) link to another site, without credentials, as its parsed
 * absolute URL; null for anything else. It says only that the link could be one: it cites a thread when the run's
 * search returned that URL and the index has it (lib/model/citations.ts), never for looking like GitHub.
 */
export function threadCitationHref({ href, siteUrl }: { href: string; siteUrl: string }): string | null {
  const target = classifyLink({ href, siteUrl });
  if (target.kind !== 'external') return null;
  const url = new URL(target.href);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** The reader can search the docs with given words: a link to the docs with the search filled in (docsSearchQuery reads it back). */
export function docsSearchHref(query: string): string {
  return `${DOCS_PATH}?${new URLSearchParams({ q: query }).toString()}`;
}

/**
 * The words of a "search the docs" link (`/docs?q=…`, what an answer offers when the docs do not cover a
 * question), or null for any other link. In the embed such a link leads to the host's own search, or is not a link.
 */
export function docsSearchQuery(target: TLinkTarget): string | null {
  if (target.kind !== 'internal') return null;
  const url = new URL(target.href, 'https://site.invalid');
  if (url.pathname !== DOCS_PATH) return null;
  const query = url.searchParams.get('q');
  return query === null || query.trim() === '' ? null : query.trim();
}

/**
 * The host's search page for `query`: `template` (widget.js's data-search-url, an absolute http(s) URL) with
 * `{query}` replaced by the encoded words, or, without a placeholder, the words added as its `q` parameter.
 */
export function hostSearchHref(template: string, query: string): string | null {
  let url: URL;
  try {
    url = new URL(template.includes('{query}') ? template.split('{query}').join(encodeURIComponent(query)) : template);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!template.includes('{query}')) url.searchParams.set('q', query);
  return url.toString();
}

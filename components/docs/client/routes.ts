// Which of the site's pages serves a path, from the build's list of pages (Next's `sortedPages`: static
// routes before dynamic ones, catch-alls last), without Next's route matcher. The docs page's own client
// (./entry.ts) navigates in place only to paths its page serves; any other page is a full page load.

/** A page route as Next names it (`/docs/[[...slug]]`) as a regular expression over a path. */
function routePattern(route: string): RegExp {
  const parts = route.split('/').filter(Boolean);
  let source = '';
  for (const part of parts) {
    if (/^\[\[\.\.\.[^\]]+\]\]$/.test(part)) source += '(?:/.+)?';
    else if (/^\[\.\.\.[^\]]+\]$/.test(part)) source += '/.+';
    else if (/^\[[^\]]+\]$/.test(part)) source += '/[^/]+';
    else source += `/${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  }
  return new RegExp(`^${source === '' ? '/' : source}/?$`);
}

/** Names of a route's dynamic segments and their values for `path` (`slug: ['a', 'b']`); null if it does not match. */
export function routeParams(route: string, path: string): Record<string, string | string[]> | null {
  if (!routePattern(route).test(path)) return null;
  const routeParts = route.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params: Record<string, string | string[]> = {};
  routeParts.forEach((part, index) => {
    const catchAll = /^\[{1,2}\.\.\.([^\]]+)\]{1,2}$/.exec(part);
    if (catchAll) {
      const rest = pathParts.slice(index);
      if (rest.length > 0) params[catchAll[1]!] = rest;
      return;
    }
    const single = /^\[([^\]]+)\]$/.exec(part);
    if (single) params[single[1]!] = pathParts[index]!;
  });
  return params;
}

/** The page that serves `path` (the first of `sortedPages` that matches), or null for none. */
export function pageForPath(sortedPages: readonly string[], path: string): string | null {
  for (const page of sortedPages) {
    if (page.startsWith('/_') || page === '/api' || page.startsWith('/api/')) continue;
    if (routePattern(page).test(path)) return page;
  }
  return null;
}

/** Where Next serves a static page's data (its getStaticProps result) for `path`. */
export function pageDataUrl(buildId: string, path: string): string {
  const trimmed = path.replace(/\/$/, '');
  return `/_next/data/${encodeURIComponent(buildId)}${trimmed === '' ? '/index' : trimmed}.json`;
}

/**
 * A route with its parameters filled in from `query` (`/docs/[[...slug]]`, {slug: ['a', 'b']} → `/docs/a/b`), as
 * next/router takes `{pathname: router.pathname, query}`, and the names it used. A path without parameters is as is.
 */
export function interpolateRoute(route: string, query: Record<string, unknown>): { path: string; used: string[] } {
  const used: string[] = [];
  const parts = route.split('/').map((part) => {
    const match = /^\[(\[)?(\.\.\.)?([^\]]+)\]?\]$/.exec(part);
    if (!match) return part;
    const name = match[3]!;
    used.push(name);
    const value = query[name];
    const values = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((item) => encodeURIComponent(String(item)));
    return values.join('/');
  });
  const path = parts.filter((part, index) => index === 0 || part !== '').join('/');
  return { path: path === '' ? '/' : path, used };
}

// Where a reader is sent back to after signing in (the OpenID Connect callback's redirect, lib/identity): a path of
// this site, whatever the request said. The one test every such redirect target passes, written against what a
// browser does with the Location it is given rather than against a list of bad spellings: the value is resolved
// as a browser resolves it (the WHATWG URL parser: leading and trailing spaces and control characters, tabs and
// newlines dropped; backslashes read as slashes; `.` and `..` segments, `%2e` ones too, removed) against the
// site's origin, and kept only when the result is on that origin and its path names no other host: a path that
// resolves to `//evil.example` (`/..//evil.example`, `/.%2e//evil.example`) would be read by the browser as
// another site. What comes out is the resolved URL's own serialisation, which a browser reads back the same way.

/** Where a reader goes when the requested place is not a path of this site. */
export const DEFAULT_RETURN_PATH = '/docs';

const MAX_RETURN_CHARS = 2000;

/**
 * `value` as a path of the site at `siteUrl` (with its query and fragment), or `fallback`: when it is missing, too
 * long, another origin, not http(s), a path that starts `//`, or one of the API's own routes (no page to land on).
 */
export function sameSitePath(value: string | undefined, siteUrl: string, fallback: string = DEFAULT_RETURN_PATH): string {
  if (value === undefined || value.length > MAX_RETURN_CHARS) return fallback;
  let origin: string;
  let url: URL;
  try {
    origin = new URL(siteUrl).origin;
    url = new URL(value, `${origin}/`);
  } catch {
    return fallback;
  }
  if (value.trim() === '' || url.origin !== origin || url.username !== '' || url.password !== '') return fallback;
  // A serialised path never holds a backslash (an http URL's are read as slashes) nor a tab or newline, so a single
  // leading slash followed by anything but a slash is a path on this origin to every browser.
  if (!url.pathname.startsWith('/') || url.pathname.startsWith('//')) return fallback;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

// Which sites may embed the assistant (EMBED_ALLOWED_ORIGINS). An origin is compared as the browser sends it
// in the Origin header: scheme, host and port, lower-case, no path. `*` allows any site, but only when written
// on its own (a typo must not open the embed to everyone). Nothing set: embedding is off.

/** `off`: no site may embed; `any`: every http(s) site may (written as `*`); a list: those origins only. */
export type TEmbedOrigins = { mode: 'off' } | { mode: 'any' } | { mode: 'list'; origins: string[] };

/** Parses the comma-separated list, or returns the one-line reason it is refused. */
export function parseEmbedOrigins(value: string | undefined): TEmbedOrigins | { error: string } {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return { mode: 'off' };
  if (items.includes('*')) {
    return items.length === 1 ? { mode: 'any' } : { error: 'EMBED_ALLOWED_ORIGINS: `*` allows every site; write it alone, not in a list' };
  }
  const origins: string[] = [];
  for (const item of items) {
    const origin = normaliseOrigin(item);
    if (origin === null) {
      return { error: `EMBED_ALLOWED_ORIGINS: "${item.slice(0, 100)}" is not an origin (scheme://host[:port], no path), e.g. https://docs.example.com` };
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return { mode: 'list', origins };
}

/**
 * The origin a string names, as browsers serialise it (`https://Docs.Example.com:443/` → `https://docs.example.com`),
 * or null when it is not exactly an http(s) origin ("null", a path, credentials, a query).
 */
export function normaliseOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' || /^[a-z]+:\/\/[^/]+\/./i.test(value)) return null;
  return url.origin;
}

export function isEmbedEnabled(origins: TEmbedOrigins): boolean {
  return origins.mode !== 'off';
}

/** Whether a page on `origin` (an Origin header's value, or a token's) may embed the assistant. */
export function isOriginAllowed(origins: TEmbedOrigins, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const normalised = normaliseOrigin(origin);
  if (normalised === null) return false;
  if (origins.mode === 'any') return true;
  return origins.mode === 'list' && origins.origins.includes(normalised);
}

/** The `frame-ancestors` sources of the /embed page: who may frame it ('none' when embedding is off). */
export function frameAncestors(origins: TEmbedOrigins): string {
  if (origins.mode === 'off') return "'none'";
  if (origins.mode === 'any') return 'http: https:';
  return origins.origins.join(' ');
}

import type { ServerResponse } from 'node:http';
import { frameAncestors, type TEmbedOrigins } from './origins';

// The /embed page may be framed by the allowed sites, and only by them: its Content-Security-Policy's
// frame-ancestors lists them (the browser refuses to show the frame anywhere else), in place of the
// `frame-ancestors 'none'` every other page has (next.config.mjs), and it drops X-Frame-Options: DENY, which
// cannot name sites. With embedding off it stays unframeable.

export function embedFramePolicy(sitePolicy: string | undefined, origins: TEmbedOrigins): string {
  const ancestors = `frame-ancestors ${frameAncestors(origins)}`;
  if (!sitePolicy) return ancestors;
  return /frame-ancestors [^;]*/.test(sitePolicy) ? sitePolicy.replace(/frame-ancestors [^;]*/, ancestors) : `${sitePolicy}; ${ancestors}`;
}

/** Called while the page renders, after next.config.mjs's headers were set on the response. */
export function applyEmbedFrameHeaders(res: ServerResponse, origins: TEmbedOrigins): void {
  const current = res.getHeader('Content-Security-Policy');
  res.setHeader('Content-Security-Policy', embedFramePolicy(typeof current === 'string' ? current : undefined, origins));
  if (origins.mode === 'off') res.setHeader('X-Frame-Options', 'DENY');
  else res.removeHeader('X-Frame-Options');
}

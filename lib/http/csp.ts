import { createHash } from 'node:crypto';
import type { BuildManifest } from 'next/dist/server/get-page-files';
import { getTurbopackChunkGroupBootstrap } from 'next/dist/server/get-page-files';
import { htmlEscapeJsonString } from 'next/dist/shared/lib/htmlescape';
import { COLOR_SCHEME_SCRIPT } from '@/lib/shared/color-scheme';

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

// The inline scripts a page may run: the colour-scheme script (lib/shared/color-scheme.ts), which must run before
// the first paint, and Next's own: a Turbopack production build seeds its chunk queue with an inline <script> per
// page. Their text is known when the page is rendered (build time for static pages), so pages/_document.tsx puts
// their sha256 into a <meta> Content-Security-Policy. The header's policy (next.config.mjs) still applies on top:
// a script must pass both.
//
// The text is rebuilt with the same Next helpers NextScript uses. Should Next change that script, the hash no
// longer matches, the page stops hydrating and the browser tests (tests/e2e/security-headers.test.ts) fail loudly.

export function nextBootstrapScriptHash(buildManifest: BuildManifest, page: string): string | undefined {
  if (!buildManifest.pagesChunkGroupBootstrapParams || !buildManifest.chunkLoadingGlobal) return undefined;
  const bootstrap = getTurbopackChunkGroupBootstrap(buildManifest.pagesChunkGroupBootstrapParams, buildManifest.chunkLoadingGlobal, [
    '/_app',
    page,
  ]);
  if (!bootstrap) return undefined;
  return sha256Source(htmlEscapeJsonString(bootstrap));
}

export const colorSchemeScriptHash = sha256Source(COLOR_SCHEME_SCRIPT);

/**
 * The script policy a page's <meta> carries: this origin, the colour-scheme script, and Next's bootstrap when the
 * page has one (`hasNextRuntime`: not a docs page, which runs its own client from this origin, pages/_document.tsx).
 */
export function pageScriptPolicy(buildManifest: BuildManifest, page: string, { hasNextRuntime = true }: { hasNextRuntime?: boolean } = {}): string {
  const hash = hasNextRuntime ? nextBootstrapScriptHash(buildManifest, page) : undefined;
  return `script-src 'self' ${colorSchemeScriptHash}${hash ? ` ${hash}` : ''}; object-src 'none'; base-uri 'self'`;
}

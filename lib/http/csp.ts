import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
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

// The pages rendered for each request that show what a reader or a model wrote (a shared conversation, the
// maintainers' transcript) do not leave inline scripts to the header's 'unsafe-inline' at all: their header allows
// this origin's files and the scripts carrying a nonce made for this one response, nothing else inline, whatever the
// <meta> policy says. getServerSideProps calls applyScriptNonce (after next.config.mjs's headers are on the
// response); pages/_document.tsx reads the nonce back and puts it on every script it writes, Next's included.

/** Where the response keeps its nonce for pages/_document.tsx: a global symbol, the same in every bundle of the app. */
const NONCE_KEY = Symbol.for('paste-assistant.script-nonce');
type TNoncedResponse = ServerResponse & { [NONCE_KEY]?: string };

/** `policy` with its script-src this origin and `nonce` (what else it allowed kept, but 'unsafe-inline'). */
export function nonceScriptPolicy(policy: string | undefined, nonce: string): string {
  const current = policy?.split(';').map((directive) => directive.trim()).find((directive) => /^script-src(\s|$)/.test(directive));
  const kept = (current?.split(/\s+/).slice(1) ?? []).filter((source) => source !== "'unsafe-inline'" && source !== "'self'" && !source.startsWith("'nonce-"));
  const scripts = ['script-src', "'self'", `'nonce-${nonce}'`, ...kept].join(' ');
  if (!policy) return scripts;
  if (!current) return `${policy}; ${scripts}`;
  return policy.split(';').map((directive) => (directive.trim() === current ? ` ${scripts}` : directive)).join(';').trim();
}

/** Gives this response's page a script nonce: the header's policy allows inline scripts only with it. */
export function applyScriptNonce(res: ServerResponse): string {
  const nonce = randomBytes(18).toString('base64');
  (res as TNoncedResponse)[NONCE_KEY] = nonce;
  const current = res.getHeader('Content-Security-Policy');
  res.setHeader('Content-Security-Policy', nonceScriptPolicy(typeof current === 'string' ? current : undefined, nonce));
  return nonce;
}

/** The nonce applyScriptNonce gave this response, if it did (pages/_document.tsx). */
export function scriptNonceOf(res: ServerResponse | undefined): string | undefined {
  return res ? (res as TNoncedResponse)[NONCE_KEY] : undefined;
}

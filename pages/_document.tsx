import { Head, Html, Main, NextScript, type DocumentContext, type DocumentProps } from 'next/document';
import { htmlEscapeJsonString } from 'next/dist/shared/lib/htmlescape';
import { pageScriptPolicy, scriptNonceOf } from '@/lib/http/csp';
import { docsClientData, readDocsClientManifest } from '@/lib/docs/site/docs-client';
import { COLOR_SCHEME_SCRIPT } from '@/lib/shared/color-scheme';
import { DOCS_CLIENT_DATA_ID } from '@/lib/shared/docs-client';

// `next dev` runs inline and eval'd scripts for fast refresh; its policy comes from the header alone.
const isDev = process.env.NODE_ENV === 'development';

/**
 * A page without Next's runtime (a docs page in a production build: `unstable_runtimeJS: false`) runs the docs
 * pages' own client instead (components/docs/client/entry.ts): its data as JSON, the module and what it imports.
 */
function DocsClientScripts({ buildManifest, __NEXT_DATA__, nonce }: Pick<DocumentProps, 'buildManifest' | '__NEXT_DATA__'> & { nonce?: string }) {
  const files = readDocsClientManifest();
  const data = docsClientData({
    buildId: __NEXT_DATA__.buildId,
    page: __NEXT_DATA__.page,
    query: __NEXT_DATA__.query as Record<string, string | string[]>,
    pageProps: (__NEXT_DATA__.props as { pageProps: Record<string, unknown> }).pageProps,
    pages: Object.keys(buildManifest.pages),
  });
  return (
    <>
      <script id={DOCS_CLIENT_DATA_ID} type="application/json" nonce={nonce} dangerouslySetInnerHTML={{ __html: htmlEscapeJsonString(JSON.stringify(data)) }} />
      {files.preload.map((file) => (
        <link key={file} rel="modulepreload" href={file} />
      ))}
      {/* A module script is deferred by nature: it runs once the page is parsed, as Next's own scripts do. */}
      {/* eslint-disable-next-line @next/next/no-sync-scripts */}
      <script type="module" src={files.entry} nonce={nonce} />
    </>
  );
}

/** Pages without Next's runtime that run no client of their own either: a source file's page is HTML and CSS. */
const SCRIPTLESS_PAGES = new Set(['/docs/source/[...path]']);

/**
 * `nonce`: the script nonce of a page rendered for this request whose header allows no other inline script
 * (lib/http/csp.ts applyScriptNonce: the shared conversation, the transcript); every script written here carries it.
 */
export default function Document({ buildManifest, __NEXT_DATA__, unstable_runtimeJS, nonce }: DocumentProps & { nonce?: string }) {
  return (
    <Html lang="en">
      <Head nonce={nonce}>
        {/* First in <head>, before any script: a policy applies only to what follows it. */}
        {isDev ? null : <meta httpEquiv="Content-Security-Policy" content={pageScriptPolicy(buildManifest, __NEXT_DATA__.page, { hasNextRuntime: unstable_runtimeJS !== false })} />}
        {/* Before the first paint: the reader's saved light/dark choice onto <html> (allowed by its hash above). */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: COLOR_SCHEME_SCRIPT }} />
        {/* Named, so that browsers do not ask for /favicon.ico (a 404 in every page's console). */}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </Head>
      <body>
        <Main />
        <NextScript nonce={nonce} />
        {unstable_runtimeJS === false && !SCRIPTLESS_PAGES.has(__NEXT_DATA__.page) ? <DocsClientScripts buildManifest={buildManifest} __NEXT_DATA__={__NEXT_DATA__} nonce={nonce} /> : null}
      </body>
    </Html>
  );
}

// Static pages render without a response (at build time): no nonce, their header's policy is next.config.mjs's.
Document.getInitialProps = async (ctx: DocumentContext) => ({ ...(await ctx.defaultGetInitialProps(ctx)), nonce: scriptNonceOf(ctx.res) });

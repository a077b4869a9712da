import { Head, Html, Main, NextScript, type DocumentProps } from 'next/document';
import { pageScriptPolicy } from '@/lib/csp';
import { COLOR_SCHEME_SCRIPT } from '@/lib/shared/color-scheme';

// `next dev` runs inline and eval'd scripts for fast refresh; its policy comes from the header alone.
const isDev = process.env.NODE_ENV === 'development';

export default function Document({ buildManifest, __NEXT_DATA__ }: DocumentProps) {
  return (
    <Html lang="en">
      <Head>
        {/* First in <head>, before any script: a policy applies only to what follows it. */}
        {isDev ? null : <meta httpEquiv="Content-Security-Policy" content={pageScriptPolicy(buildManifest, __NEXT_DATA__.page)} />}
        {/* Before the first paint: the reader's saved light/dark choice onto <html> (allowed by its hash above). */}
        <script dangerouslySetInnerHTML={{ __html: COLOR_SCHEME_SCRIPT }} />
        {/* Named, so that browsers do not ask for /favicon.ico (a 404 in every page's console). */}
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}

import { Head, Html, Main, NextScript, type DocumentProps } from 'next/document';
import { pageScriptPolicy } from '@/lib/csp';

// `next dev` runs inline and eval'd scripts for fast refresh; its policy comes from the header alone.
const isDev = process.env.NODE_ENV === 'development';

export default function Document({ buildManifest, __NEXT_DATA__ }: DocumentProps) {
  return (
    <Html lang="en">
      <Head>
        {/* First in <head>, before any script: a policy applies only to what follows it. */}
        {isDev ? null : <meta httpEquiv="Content-Security-Policy" content={pageScriptPolicy(buildManifest, __NEXT_DATA__.page)} />}
      </Head>
      <body>
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}

import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import type { TSourcePage } from '@/lib/docs/site/source-page';
import { pageTitle } from '@/lib/shared/site';

// A source file's read-only page (issue 70): where code is cited when its repository has no web address. The file's
// indexed symbols as numbered lines (lib/docs/site/source-page.ts), read through the read gate: a file the reader may
// not read is the same 404 as one that is not indexed. Plain HTML and CSS, no script: a citation's `#L10-L15` is a
// target the stylesheet highlights (styles/site.css, .source-range:target).

type TProps = { siteName: string; page: TSourcePage };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, req, res }) => {
  const [{ getApp }, { readerAccessOfRequest }, { setReaderCacheHeaders }, { loadSourcePage, sourceIndexPath }, { readSiteName }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/audiences/access'),
    import('@/lib/docs/site/reader-cache'),
    import('@/lib/docs/site/source-page'),
    import('@/lib/docs/site/site-config'),
  ]);
  const app = await getApp();
  const access = await readerAccessOfRequest({ deps: app, req });
  const path = sourceIndexPath(params?.path);
  const page = path === null ? null : await loadSourcePage({ db: app.db, access, path });
  setReaderCacheHeaders(res, access, { isFound: page !== null });
  if (!page) return { notFound: true };
  return { props: { siteName: readSiteName({ docsDir: app.config.docsDir }), page } };
};

export default function SourcePage({ siteName, page }: TProps) {
  return (
    <>
      <Head>
        <title>{pageTitle(page.file, siteName)}</title>
        <meta name="description" content={`Source: ${page.title}`} />
        <meta name="robots" content="noindex" />
      </Head>
      <div className="site">
        <header className="site-header">
          <a className="anchor site-name" href="/docs">
            <span className="site-name-text">{siteName}</span>
          </a>
        </header>
        <main className="source-page" id="main-content">
          <p className="source-kind">Source</p>
          <h1 className="heading heading-20 source-file">{page.file}</h1>
          <p className="source-title">{page.title}</p>
          {page.runs.map((run) => (
            <section key={run.anchor} className="source-run" id={run.anchor} aria-label={run.heading}>
              <h2 className="source-heading">
                <a href={`#${run.anchor}`}>{run.heading}</a>{' '}
                <span className="source-lines-range">
                  {run.lines.length === 1 ? `line ${run.lines[0]!.number}` : `lines ${run.lines[0]!.number}–${run.lines[run.lines.length - 1]!.number}`}
                </span>
              </h2>
              <pre className={`source-code language-${page.language}`}>
                <code>
                  {run.lines.map((line) => (
                    <span key={line.number} className="source-line" id={`L${line.number}`}>
                      {(run.ranges[line.number] ?? []).map((range) => (
                        <span key={range.id} id={range.id} className="source-range" style={{ ["--lines" as string]: range.lines }} aria-hidden="true" />
                      ))}
                      <a className="source-number" href={`#L${line.number}`} aria-label={`Line ${line.number}`}>
                        {line.number}
                      </a>
                      <span className="source-text">{line.text}</span>
                      {'\n'}
                    </span>
                  ))}
                </code>
              </pre>
            </section>
          ))}
        </main>
      </div>
    </>
  );
}

// No script: the page is HTML and CSS (pages/_document.tsx leaves out the docs pages' client for it too).
export const config = { unstable_runtimeJS: false };

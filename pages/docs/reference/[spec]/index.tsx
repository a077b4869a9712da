import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// A spec of DOCS_OPENAPI as the index holds it: its overview and its operations by tag, each a link to its own page
// (./operation/[id].tsx). An old link to an operation's anchor (`#operation/<id>`) is sent on to that page in the
// browser (components/docs/ReferencePage.tsx): a fragment never reaches the server.
// Rendered on the server at each request from the index (the specs are read at run time, not at build time).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async ({ params, req, res }) => {
  const [{ getApp }, { loadReferencePage }, { readerAccessOfRequest }, { setReaderCacheHeaders }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/docs/site/reference'),
    import('@/lib/audiences/access'),
    import('@/lib/docs/site/reader-cache'),
  ]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const spec = typeof params?.spec === 'string' ? params.spec : '';
  const app = await getApp();
  // A spec the reader may not read is a 404 with the same headers as one that is not indexed.
  const access = await readerAccessOfRequest({ deps: app, req });
  const props = await loadReferencePage({ deps: app, spec, access });
  setReaderCacheHeaders(res, access, { isFound: props !== null });
  if (!props) return { notFound: true };
  const { blocks, nav, ...rest } = props;
  return { props: { ...rest, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, rest.href) } };
};

export default ReferencePage;

import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// An API operation's own page (`/docs/reference/<spec>/operation/<id>`): the URL search results and answers cite, one
// per operation, with the operation's section and links to the other operations of its tag.
// Rendered on the server at each request from the index (the specs are read at run time, not at build time).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async ({ params, req, res }) => {
  const [{ getApp }, { loadOperationPage }, { readerAccessOfRequest }, { setReaderCacheHeaders }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/docs/site/reference'),
    import('@/lib/audiences/access'),
    import('@/lib/docs/site/reader-cache'),
  ]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const spec = typeof params?.spec === 'string' ? params.spec : '';
  const operationId = typeof params?.id === 'string' ? params.id : '';
  const app = await getApp();
  // An operation the reader may not read is a 404 with the same headers as one that does not exist.
  const access = await readerAccessOfRequest({ deps: app, req });
  const props = await loadOperationPage({ deps: app, spec, operationId, access });
  setReaderCacheHeaders(res, access, { isFound: props !== null });
  if (!props) return { notFound: true };
  const { blocks, nav, ...rest } = props;
  // The navigation marks the spec's reference as the current page: the operation is in it.
  return { props: { ...rest, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, `/docs/reference/${spec}`) } };
};

export default ReferencePage;

import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// The API references there are (the specs of DOCS_OPENAPI that the index holds).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async ({ req, res }) => {
  const [{ getApp }, { loadReferenceIndex }, { readerAccessOfRequest }, { setReaderCacheHeaders }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/docs/site/reference'),
    import('@/lib/audiences/access'),
    import('@/lib/docs/site/reader-cache'),
  ]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const app = await getApp();
  // The specs the reader may read.
  const access = await readerAccessOfRequest({ deps: app, req });
  setReaderCacheHeaders(res, access, { isFound: true });
  const { blocks, nav, ...props } = await loadReferenceIndex({ deps: app, access });
  return { props: { ...props, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, props.href) } };
};

export default ReferencePage;

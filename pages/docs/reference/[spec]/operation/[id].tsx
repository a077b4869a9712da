import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// An API operation's own page (`/docs/reference/<spec>/operation/<id>`): the URL search results and answers cite, one
// per operation, with the operation's section and links to the other operations of its tag.
// Rendered on the server at each request from the index (the specs are read at run time, not at build time).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async ({ params, res }) => {
  const [{ getApp }, { loadOperationPage }] = await Promise.all([import('@/lib/app'), import('@/lib/docs/site/reference')]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const spec = typeof params?.spec === 'string' ? params.spec : '';
  const operationId = typeof params?.id === 'string' ? params.id : '';
  const props = await loadOperationPage({ deps: await getApp(), spec, operationId });
  if (!props) return { notFound: true };
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  const { blocks, nav, ...rest } = props;
  // The navigation marks the spec's reference as the current page: the operation is in it.
  return { props: { ...rest, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, `/docs/reference/${spec}`) } };
};

export default ReferencePage;

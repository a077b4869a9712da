import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// A spec of DOCS_OPENAPI as the index holds it: its overview and its operations by tag, each a link to its own page
// (./operation/[id].tsx). An old link to an operation's anchor (`#operation/<id>`) is sent on to that page in the
// browser (components/docs/ReferencePage.tsx): a fragment never reaches the server.
// Rendered on the server at each request from the index (the specs are read at run time, not at build time).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async ({ params, res }) => {
  const [{ getApp }, { loadReferencePage }] = await Promise.all([import('@/lib/app'), import('@/lib/docs/site/reference')]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const spec = typeof params?.spec === 'string' ? params.spec : '';
  const props = await loadReferencePage({ deps: await getApp(), spec });
  if (!props) return { notFound: true };
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  const { blocks, nav, ...rest } = props;
  return { props: { ...rest, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, rest.href) } };
};

export default ReferencePage;

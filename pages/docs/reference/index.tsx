import type { GetServerSideProps } from 'next';
import { ReferencePage, type TReferencePageProps } from '@/components/docs/ReferencePage';

// The API references there are (the specs of DOCS_OPENAPI that the index holds).

export const getServerSideProps: GetServerSideProps<TReferencePageProps> = async () => {
  const [{ getApp }, { loadReferenceIndex }] = await Promise.all([import('@/lib/app'), import('@/lib/docs/site/reference')]);
  const { renderDocBlocksHtml, renderDocsNavHtml } = await import('@/components/docs/static-html');
  const { blocks, nav, ...props } = await loadReferenceIndex({ deps: await getApp() });
  return { props: { ...props, content: renderDocBlocksHtml(blocks), nav: renderDocsNavHtml(nav, props.href) } };
};

export default ReferencePage;

import type { GetServerSideProps } from 'next';
import { ReferencePage } from '@/components/docs/ReferencePage';
import type { TReferenceProps } from '@/lib/docs/site/reference';

// An API reference: a spec of DOCS_OPENAPI as the index holds it, one anchor per operation (`operation/<id>`).
// Rendered on the server at each request from the index (the specs are read at run time, not at build time).

export const getServerSideProps: GetServerSideProps<TReferenceProps> = async ({ params, res }) => {
  const [{ getApp }, { loadReferencePage }] = await Promise.all([import('@/lib/app'), import('@/lib/docs/site/reference')]);
  const spec = typeof params?.spec === 'string' ? params.spec : '';
  const props = await loadReferencePage({ deps: await getApp(), spec });
  if (!props) return { notFound: true };
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  return { props };
};

export default ReferencePage;

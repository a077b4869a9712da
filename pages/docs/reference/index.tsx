import type { GetServerSideProps } from 'next';
import { ReferencePage } from '@/components/docs/ReferencePage';
import type { TReferenceProps } from '@/lib/docs/site/reference';

// The API references there are (the specs of DOCS_OPENAPI that the index holds).

export const getServerSideProps: GetServerSideProps<TReferenceProps> = async () => {
  const [{ getApp }, { loadReferenceIndex }] = await Promise.all([import('@/lib/app'), import('@/lib/docs/site/reference')]);
  return { props: await loadReferenceIndex({ deps: await getApp() }) };
};

export default ReferencePage;

import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { EmbedApp } from '@/components/embed/EmbedApp';
import { loadConfig } from '@/lib/config';
import { applyEmbedFrameHeaders } from '@/lib/embed/frame-headers';

type TProps = { allowedOrigins: 'any' | string[] };

// The assistant's panel as other sites embed it (widget.js opens this page in an iframe). Rendered per request:
// who may frame it comes from EMBED_ALLOWED_ORIGINS, read at run time (lib/embed/frame-headers.ts).
export const getServerSideProps: GetServerSideProps<TProps> = async ({ res }) => {
  const { origins } = loadConfig().embed;
  applyEmbedFrameHeaders(res, origins);
  return { props: { allowedOrigins: origins.mode === 'any' ? 'any' : origins.mode === 'list' ? origins.origins : [] } };
};

export default function Embed({ allowedOrigins }: TProps) {
  return (
    <>
      <Head>
        <title>Docs assistant</title>
        <meta name="robots" content="noindex" />
      </Head>
      <EmbedApp allowedOrigins={allowedOrigins} />
    </>
  );
}

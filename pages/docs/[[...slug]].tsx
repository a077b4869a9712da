import type { GetStaticPaths, GetStaticProps } from 'next';
import Head from 'next/head';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { loadConfig } from '@/lib/config';
import { listDocFiles, readDocFile } from '@/lib/docs/load';
import { parseDoc, type TDocSection } from '@/lib/docs/parse';

type TProps = { title: string; description: string; sections: TDocSection[] };

export const getStaticPaths: GetStaticPaths = async () => ({
  paths: listDocFiles(loadConfig().docsDir).map((relativePath) => {
    const { slug } = readDocFile(loadConfig().docsDir, relativePath);
    return { params: { slug: slug === '' ? [] : slug.split('/') } };
  }),
  fallback: false,
});

export const getStaticProps: GetStaticProps<TProps> = async ({ params }) => {
  const slug = ((params?.slug as string[] | undefined) ?? []).join('/');
  const docsDir = loadConfig().docsDir;
  const relativePath = listDocFiles(docsDir).find((file) => readDocFile(docsDir, file).slug === slug);
  if (!relativePath) return { notFound: true };
  const parsed = parseDoc({ source: readDocFile(docsDir, relativePath).source, path: relativePath });
  return { props: { title: parsed.title, description: parsed.description, sections: parsed.sections } };
};

export default function DocPage({ title, description, sections }: TProps) {
  return (
    <>
      <Head>
        <title>{`${title} · Paste Assistant docs`}</title>
        <meta name="description" content={description} />
      </Head>
      <Box as="main" maxWidth="size70" marginX="auto" padding="space90">
        <Anchor href="/">All docs</Anchor>
        <Heading as="h1" variant="heading10">
          {title}
        </Heading>
        {sections.map((section, index) => (
          <Box key={`${section.anchor}-${index}`} as="section" marginBottom="space60">
            {section.heading ? (
              <Heading as="h2" variant="heading30" id={section.anchor}>
                {section.heading}
              </Heading>
            ) : null}
            <Box whiteSpace="pre-wrap">{section.content}</Box>
          </Box>
        ))}
      </Box>
    </>
  );
}

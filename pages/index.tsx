import type { GetStaticProps } from 'next';
import Head from 'next/head';
import Link from 'next/link';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { ListItem, UnorderedList } from '@twilio-paste/core/list';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { listDocPages, type TDocPageLink } from '@/lib/docs/pages';

type TProps = { pages: TDocPageLink[] };

export const getStaticProps: GetStaticProps<TProps> = async () => ({ props: { pages: listDocPages() } });

export default function Home({ pages }: TProps) {
  return (
    <>
      <Head>
        <title>Paste Assistant docs</title>
        <meta name="description" content="Documentation with an assistant that answers from it." />
      </Head>
      <Box as="main" maxWidth="size70" marginX="auto" padding="space90">
        <Heading as="h1" variant="heading10">
          Paste Assistant
        </Heading>
        <Paragraph>
          A docs site whose assistant answers questions from these pages, with links to the sections it used.
        </Paragraph>
        <Box marginBottom="space70">
          <Link href="/assistant" legacyBehavior passHref>
            <Button as="a" variant="primary" href="/assistant">
              Ask the assistant
            </Button>
          </Link>
        </Box>
        <Heading as="h2" variant="heading30">
          Documentation
        </Heading>
        <UnorderedList>
          {pages.map((page) => (
            <ListItem key={page.href}>
              <Anchor href={page.href}>{page.title}</Anchor>
              {page.description ? ` — ${page.description}` : null}
            </ListItem>
          ))}
        </UnorderedList>
      </Box>
    </>
  );
}

import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Text } from '@twilio-paste/core/text';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { getDocNav, type TNavGroup } from '@/lib/docs/pages';

type TProps = { groups: TNavGroup[] };

export const getStaticProps: GetStaticProps<TProps> = async () => ({ props: { groups: getDocNav().groups } });

export default function Home({ groups }: TProps) {
  const panel = useAssistantPanel();
  return (
    <>
      <Head>
        <title>Paste Assistant docs</title>
        <meta name="description" content="Documentation for Paste Assistant: a docs site whose assistant answers from these pages, with links to the sections it used." />
      </Head>
      <DocsLayout nav={groups} currentHref="/">
        <Heading as="h1" variant="heading10">
          Paste Assistant
        </Heading>
        <Paragraph>
          A docs site whose assistant answers questions from these pages, with links to the sections it used, and
          shares every conversation with the maintainers in Slack.
        </Paragraph>
        <Box display="flex" columnGap="space40" marginBottom="space100">
          <Button as="a" href="/docs" variant="primary">
            Get started
          </Button>
          <Button variant="secondary" onClick={panel.open}>
            Ask the assistant
          </Button>
        </Box>
        {groups.map((group) => (
          <Box as="section" key={group.label} marginBottom="space90">
            <Heading as="h2" variant="heading30">
              {group.label}
            </Heading>
            <Box display="grid" gridTemplateColumns={['1fr', '1fr 1fr']} columnGap="space70" rowGap="space60">
              {group.pages.map((page) => (
                <Box key={page.href}>
                  <Anchor href={page.href}>{page.title}</Anchor>
                  {page.description ? (
                    <Text as="p" color="colorTextWeak" fontSize="fontSize30">
                      {page.description}
                    </Text>
                  ) : null}
                </Box>
              ))}
            </Box>
          </Box>
        ))}
      </DocsLayout>
    </>
  );
}

import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Text } from '@twilio-paste/core/text';
import type { TTranscriptEntry, TTranscriptSource, TTranscriptView } from '@/lib/maintainers/transcript';

// The read-only transcript maintainers open from Slack. Reached only through a signed, expiring link;
// anything else is a 404 (lib/maintainers/page.ts).

type TProps = { transcript: TTranscriptView };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, query, res }) => {
  const [{ getApp }, { loadTranscriptPage }] = await Promise.all([import('@/lib/app'), import('@/lib/maintainers/page')]);
  const result = await loadTranscriptPage({ app: await getApp(), threadId: params?.tid, query });
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  // The URL carries the signature: keep it out of Referer headers when a maintainer follows a docs link.
  res.setHeader('Referrer-Policy', 'no-referrer');
  return result;
};

function safeHref(url: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https?:\/\//i.test(url) ? url : null;
}

function Sources({ sources }: { sources: TTranscriptSource[] }) {
  if (sources.length === 0) return null;
  return (
    <Box as="ul" marginTop="space30" marginBottom="space0" paddingLeft="space60">
      {sources.map((source) => {
        const href = safeHref(source.url);
        return (
          <Box as="li" key={source.url}>
            {href ? (
              <Anchor href={href} rel="noreferrer noopener">
                {source.title || source.url}
              </Anchor>
            ) : (
              <Text as="span">{`${source.title} (${source.url})`}</Text>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

function Entry({ entry }: { entry: TTranscriptEntry }) {
  if (entry.type === 'run') {
    return (
      <Box as="section" aria-label={`Run ${entry.id}`} marginBottom="space50" padding="space40" backgroundColor="colorBackground" borderRadius="borderRadius20">
        <Text as="p" fontWeight="fontWeightSemibold">
          Run <code>{entry.id}</code> · {entry.status} · {entry.model}
          {entry.durationSeconds !== null ? ` · ${entry.durationSeconds} s` : ''}
          {entry.totalTokens !== null ? ` · ${entry.totalTokens} tokens` : ''}
        </Text>
        {entry.error ? (
          <Paragraph marginBottom="space0">
            Error <code>{entry.error.code}</code>: {entry.error.message}
          </Paragraph>
        ) : null}
        {entry.toolCalls.map((call) => (
          <Box key={call.id} marginTop="space30">
            <Text as="p">
              Tool <code>{call.name}</code>: “{call.query}” → {call.error ? `error: ${call.error}` : `${call.results.length} results`}
            </Text>
            <Sources sources={call.results} />
          </Box>
        ))}
      </Box>
    );
  }
  return (
    <Box as="article" aria-label={`${entry.role === 'user' ? 'Reader' : 'Assistant'} message ${entry.id}`} marginBottom="space50">
      <Text as="p" fontWeight="fontWeightSemibold">
        {entry.role === 'user' ? 'Reader' : 'Assistant'} · <code>{entry.id}</code> · {new Date(entry.createdAt).toISOString()}{' '}
        {entry.vote ? <Badge as="span" variant={entry.vote === 'up' ? 'success' : 'error'}>{entry.vote === 'up' ? 'Voted up' : 'Voted down'}</Badge> : null}{' '}
        {entry.isNoDocsMatch ? <Badge as="span" variant="warning">Docs did not cover this</Badge> : null}
      </Text>
      <Box whiteSpace="pre-wrap" marginTop="space20">
        {entry.text}
      </Box>
      <Sources sources={entry.sources} />
    </Box>
  );
}

export default function TranscriptPage({ transcript }: TProps) {
  const { thread, counts, slack } = transcript;
  return (
    <>
      <Head>
        <title>{`Transcript: ${thread.title} · Paste Assistant`}</title>
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
      </Head>
      <Box as="main" maxWidth="size80" marginX="auto" padding="space90">
        <Heading as="h1" variant="heading20">
          {thread.title}
        </Heading>
        <Paragraph>
          Thread <code>{thread.id}</code>, started {new Date(thread.createdAt).toISOString()}. {counts.messages} messages, {counts.runs} runs,{' '}
          {counts.up} up / {counts.down} down. Slack: {slack.delivered} posted, {slack.pending} pending
          {slack.failed.length > 0 ? `, ${slack.failed.length} failed (${slack.failed.map((post) => `${post.kind}: ${post.reason ?? 'unknown'}`).join('; ')})` : ''}.
        </Paragraph>
        {transcript.entries.map((entry) => (
          <Entry key={`${entry.type}-${entry.id}`} entry={entry} />
        ))}
        {transcript.entries.length === 0 ? <Paragraph>No messages yet.</Paragraph> : null}
      </Box>
    </>
  );
}

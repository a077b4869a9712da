import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Text } from '@twilio-paste/core/text';
import { classifyHref, DocsLinksOnly, SafeLink } from '@/components/assistant/links';
import { EagerMarkdown } from '@/components/assistant/eager-markdown';
import { Markdown } from '@/components/assistant/markdown';
import { SiteTheme } from '@/components/site/SiteTheme';
import type { TTranscriptEntry, TTranscriptSource, TTranscriptView } from '@/lib/maintainers/transcript';

// The read-only transcript maintainers open from Slack. Reached only through a signed, expiring link;
// anything else is a 404 (lib/maintainers/page.ts).
//
// Its Markdown, code blocks included, renders at once (EagerMarkdown), never through a lazily loaded part: a part
// that suspends while the server renders is streamed after the page behind inline scripts, which the page's script
// policy refuses (only its own scripts run: a nonce, lib/http/csp.ts), and React then fails to hydrate that part
// (error #419). tests/e2e/transcript-page.test.ts holds it.

// `siteUrl` is the site the links in the transcript are judged against (lib/shared/links.ts): the page is
// rendered on the server, where there is no window to take the origin from.
type TProps = { transcript: TTranscriptView; siteUrl: string };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, query, req, res }) => {
  const [{ getApp }, { loadTranscriptPage }, { appForRequest }, { applyScriptNonce }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/maintainers/page'),
    import('@/lib/http/site-url'),
    import('@/lib/http/csp'),
  ]);
  const app = appForRequest({ req, app: await getApp() });
  const result = await loadTranscriptPage({ deps: app, threadId: params?.tid, query });
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  // The URL carries the signature: keep it out of Referer headers when a maintainer follows a docs link.
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (!('props' in result)) return result;
  // The transcript shows what readers and the model wrote: no inline script runs on it but its own (lib/http/csp.ts).
  applyScriptNonce(res);
  return { props: { ...result.props, siteUrl: app.config.siteUrl } };
};

// Sources are links a model wrote (or a tool returned): the one link policy decides, as in the chat. A link
// that may not be a link shows its raw text, so that a maintainer sees what the model wrote.
function Sources({ sources, siteUrl }: { sources: TTranscriptSource[]; siteUrl: string }) {
  if (sources.length === 0) return null;
  return (
    <Box as="ul" marginTop="space30" marginBottom="space0" paddingLeft="space60">
      {sources.map((source) => {
        const isLink = classifyHref(source.url, siteUrl).kind !== 'unsafe';
        return (
          <Box as="li" key={source.url}>
            {isLink ? (
              <SafeLink href={source.url} siteUrl={siteUrl}>
                {source.title || source.url}
              </SafeLink>
            ) : (
              <Text as="span">{`${source.title} (${source.url})`}</Text>
            )}
          </Box>
        );
      })}
    </Box>
  );
}

function Entry({ entry, siteUrl }: { entry: TTranscriptEntry; siteUrl: string }) {
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
            <Sources sources={call.results} siteUrl={siteUrl} />
          </Box>
        ))}
      </Box>
    );
  }
  const author = entry.role === 'user' ? 'Reader' : entry.maintainer !== null ? `Maintainer (${entry.maintainer}, from Slack)` : 'Assistant';
  return (
    <Box as="article" aria-label={`${author} message ${entry.id}`} marginBottom="space50">
      <Text as="p" fontWeight="fontWeightSemibold">
        {author} · <code>{entry.id}</code> · {new Date(entry.createdAt).toISOString()}{' '}
        {entry.vote ? <Badge as="span" variant={entry.vote === 'up' ? 'success' : 'error'}>{entry.vote === 'up' ? 'Voted up' : 'Voted down'}</Badge> : null}{' '}
        {entry.isNoDocsMatch ? <Badge as="span" variant="warning">Docs did not cover this</Badge> : null}
      </Text>
      {/* The reader's words as typed; the assistant's and a maintainer's Markdown rendered, as the reader saw it, but
          with only docs sections as links: any other link the model wrote shows its address as text. */}
      {entry.screenshots.length > 0 ? (
        <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space30" marginTop="space20" data-testid="transcript-screenshots">
          {entry.screenshots.map((image, index) => (
            <Box
              as="img"
              key={index}
              src={`data:${image.mediaType};base64,${image.data}`}
              alt={`Screenshot ${index + 1} the reader sent (its text as read is below)`}
              maxWidth="100%"
              maxHeight="size40"
              borderStyle="solid"
              borderWidth="borderWidth10"
              borderColor="colorBorderWeak"
              borderRadius="borderRadius20"
            />
          ))}
        </Box>
      ) : null}
      {entry.role === 'user' ? (
        <Box whiteSpace="pre-wrap" marginTop="space20">
          {entry.text}
        </Box>
      ) : (
        <Box marginTop="space20">
          <DocsLinksOnly value>
            <Markdown text={entry.text} />
          </DocsLinksOnly>
        </Box>
      )}
      <Sources sources={entry.sources} siteUrl={siteUrl} />
    </Box>
  );
}

function TranscriptPage({ transcript, siteUrl }: TProps) {
  const { thread, counts, slack, slackConversation } = transcript;
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
          {counts.up} up / {counts.down} down.{' '}
          {slackConversation ? (
            <>Asked in Slack, {slackConversation.isDirect ? 'in a direct message to the app' : <>in channel <code>{slackConversation.channelId}</code></>}: answered there, not posted to the review channel.</>
          ) : (
            <>
              Slack: {slack.delivered} posted, {slack.pending} pending
              {slack.failed.length > 0 ? `, ${slack.failed.length} failed (${slack.failed.map((post) => `${post.kind}: ${post.reason ?? 'unknown'}`).join('; ')})` : ''}.
            </>
          )}
        </Paragraph>
        <EagerMarkdown>
          {transcript.entries.map((entry) => (
            <Entry key={`${entry.type}-${entry.id}`} entry={entry} siteUrl={siteUrl} />
          ))}
        </EagerMarkdown>
        {transcript.entries.length === 0 ? <Paragraph>No messages yet.</Paragraph> : null}
      </Box>
    </>
  );
}

// Drawn with Paste's components, under Paste's theme (the docs pages' _app carries none of it).
export default function ThemedTranscriptPage(props: TProps) {
  return (
    <SiteTheme>
      <TranscriptPage {...props} />
    </SiteTheme>
  );
}

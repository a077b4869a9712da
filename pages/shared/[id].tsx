import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Callout, CalloutHeading, CalloutText } from '@twilio-paste/core/callout';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import type { TMessage } from '@/components/assistant/api';
import { AssistantMessage, UserMessage } from '@/components/assistant/Messages';
import { MaintainerMessage } from '@/components/assistant/MaintainerMessage';
import { useUiText } from '@/components/assistant/ui-text';
import { EagerMarkdown } from '@/components/assistant/eager-markdown';
import { SiteUrl } from '@/components/assistant/links';
import { AssistantToasts } from '@/components/assistant/toasts';
import { SiteTheme } from '@/components/site/SiteTheme';
import { MAINTAINER_READER_METADATA } from '@/lib/shared/messages';
import type { TSharedConversationView, TSharedMessage } from '@/lib/shared/share';

// A shared conversation (lib/assistant/share.ts): read-only, as it was when its reader shared it, with its sources.
// Anyone with the link reads it; nobody is identified. 404 for an id that never was, 410 once revoked. Never indexed
// (the header and the meta tag), never cached, and its address (the capability) is kept out of Referer headers.

// The answers' markdown is rendered on the server, not loaded lazily (EagerMarkdown), so that the page is complete
// without JavaScript; `siteUrl` makes the server judge links as the browser will (SiteUrl).
type TProps = { kind: 'conversation'; conversation: TSharedConversationView; siteUrl: string } | { kind: 'revoked' };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, req, res }) => {
  const [{ getApp }, { openSharedConversation }, { readerAccessOfRequest }, { applyScriptNonce }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/assistant/share'),
    import('@/lib/audiences/access'),
    import('@/lib/http/csp'),
  ]);
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const app = await getApp();
  // The viewer's own access (lib/audiences), not the sharer's: an answer drawn from a page they may not read is withheld.
  const access = await readerAccessOfRequest({ deps: app, req });
  const found = await openSharedConversation({ deps: app, id: params?.id, access });
  if (found.status === 'not_found') return { notFound: true };
  // This page shows what readers and the model wrote: no inline script runs on it but its own (lib/http/csp.ts).
  applyScriptNonce(res);
  if (found.status === 'revoked') {
    res.statusCode = 410;
    return { props: { kind: 'revoked' } };
  }
  return { props: { kind: 'conversation', conversation: found.conversation, siteUrl: app.config.siteUrl } };
};

function asMessage(message: TSharedMessage, index: number): TMessage {
  return {
    id: `shared-${index}`,
    role: message.role,
    created_at: message.createdAt,
    run_id: null,
    content: message.content,
    metadata: message.isMaintainer ? { ...MAINTAINER_READER_METADATA } : {},
    status: message.status,
  };
}

export default function SharedConversationPage(props: TProps) {
  const t = useUiText();
  const title = props.kind === 'conversation' ? props.conversation.title : t('shared.revokedTitle');
  return (
    <SiteTheme>
      {/* The answers' Copy buttons report a failure as a toast. */}
      <AssistantToasts>
        <Head>
          <title>{`${title} · ${t('shared.siteSuffix')}`}</title>
          <meta name="robots" content="noindex, nofollow" />
          <meta name="referrer" content="no-referrer" />
        </Head>
        <Box as="main" maxWidth="size80" marginX="auto" paddingX="space60" paddingY="space80">
          {props.kind === 'revoked' ? (
            <Callout variant="neutral">
              <CalloutHeading as="h1">{t('shared.revokedTitle')}</CalloutHeading>
              <CalloutText>
                {t('shared.revokedText')} <Anchor href="/assistant">{t('shared.askYourOwn')}</Anchor>
              </CalloutText>
            </Callout>
          ) : (
            <>
              <Heading as="h1" variant="heading20">
                {props.conversation.title}
              </Heading>
              <Paragraph>
                {t('shared.snapshotNote', { day: props.conversation.sharedAt.slice(0, 10) })} <Anchor href="/assistant">{t('shared.askYourOwn')}</Anchor>
              </Paragraph>
              <SiteUrl value={props.siteUrl}>
                <EagerMarkdown>
                  <AIChatLog aria-label={t('shared.logLabel')}>
                    {props.conversation.messages.map((shared, index) => {
                      const message = asMessage(shared, index);
                      if (message.role === 'user') return <UserMessage key={message.id} text={shared.content.map((part) => part.text.value).join('\n\n')} quote={shared.quote ?? null} />;
                      if (shared.isMaintainer) return <MaintainerMessage key={message.id} message={message} />;
                      return <AssistantMessage key={message.id} message={message} />;
                    })}
                  </AIChatLog>
                </EagerMarkdown>
              </SiteUrl>
            </>
          )}
        </Box>
      </AssistantToasts>
    </SiteTheme>
  );
}

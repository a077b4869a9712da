import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  AIChatMessage,
  AIChatMessageActionCard,
  AIChatMessageActionGroup,
  AIChatMessageAuthor,
  AIChatMessageBody,
  AIChatMessageLoading,
} from '@twilio-paste/core/ai-chat-log';
import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Callout, CalloutText } from '@twilio-paste/core/callout';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { Text } from '@twilio-paste/core/text';
import { CopyIcon } from '@twilio-paste/icons/cjs/CopyIcon';
import { RefreshIcon } from '@twilio-paste/icons/cjs/RefreshIcon';
import { StopIcon } from '@twilio-paste/icons/cjs/StopIcon';
import { ThumbsDownIcon } from '@twilio-paste/icons/cjs/ThumbsDownIcon';
import { ThumbsUpIcon } from '@twilio-paste/icons/cjs/ThumbsUpIcon';
import type { TCitedSource } from '@/lib/shared/docs';
import { describeRemoved, type TPiiKind } from '@/lib/shared/privacy';
import { type TStoredQuote } from '@/lib/shared/quote';
import { messageText, reportSourceOpened, type TAnnotation, type TMessage, type TVote } from './api';
import { answerForClipboard, classifyHref, SafeLink } from './links';
import { EXTERNAL_LINK_REL } from '@/lib/shared/links';
import { footnotesOf } from './footnotes';
import { Markdown } from './LazyMarkdown';
import { closeOpenMarkdown } from './markdown-text';
import { SourceKindLabel } from './SourceKindLabel';
import { useAssistantIntro } from './EmptyState';
import { useToasts } from './toasts';
import { useUiText } from './ui-text';
import type { TFailure } from './run-failure';
import type { TStoredImage } from '@/lib/shared/images';

// Loaded when a message with screenshots first shows (/assistant's first load has a budget).
const MessageScreenshots = lazy(() => import('./MessageScreenshots').then((module) => ({ default: module.MessageScreenshots })));

/** `source`: what the cited source is (its kind, a thread's number and state), when the citation says. */
export type TSource = { number: number; url: string; title: string; source?: TCitedSource };

/** The distinct sources an answer cites, numbered in order of first citation. */
export function sourcesOf(annotations: TAnnotation[]): TSource[] {
  const sources: TSource[] = [];
  for (const annotation of annotations) {
    if (annotation.type !== 'url_citation' || sources.some((source) => source.url === annotation.url)) continue;
    sources.push({
      number: sources.length + 1,
      url: annotation.url,
      title: annotation.title || annotation.url,
      ...(annotation.source ? { source: annotation.source } : {}),
    });
  }
  return sources;
}

/**
 * The reader's message as stored; `removed`: the kinds of personal data masked in it, noted under it; `quote`: the
 * passage it asks about ("Ask about this"), shown above it.
 */
export function UserMessage({
  text,
  removed = [],
  quote = null,
  screenshots = null,
}: {
  text: string;
  removed?: readonly TPiiKind[];
  quote?: TStoredQuote | null;
  /** The screenshots sent with it (./MessageScreenshots.tsx). */
  screenshots?: { images?: TStoredImage[]; stored?: { threadId: string; messageId: string; count: number } } | null;
}) {
  const t = useUiText();
  return (
    <AIChatMessage variant="user">
      <AIChatMessageBody>
        <ScreenReaderOnly>{t('log.youSaid')}</ScreenReaderOnly>
        {quote ? (
          <Box as="figure" margin="space0" marginBottom="space30" data-testid="message-quote">
            <Box
              as="blockquote"
              margin="space0"
              paddingLeft="space30"
              borderLeftStyle="solid"
              borderLeftWidth="borderWidth20"
              borderLeftColor="colorBorderWeak"
              whiteSpace="pre-wrap"
              wordBreak="break-word"
              maxHeight="size20"
              overflowY="auto"
              fontSize="fontSize20"
              lineHeight="lineHeight20"
            >
              {quote.text}
            </Box>
            {quote.title ? (
              <Text as="figcaption" fontSize="fontSize20" color="colorTextWeak" marginTop="space10">
                {t('message.quoteFrom', { title: quote.title })}
              </Text>
            ) : null}
          </Box>
        ) : null}
        {(screenshots?.images?.length ?? 0) > 0 || (screenshots?.stored?.count ?? 0) > 0 ? (
          <Suspense fallback={null}>
            <MessageScreenshots {...screenshots} />
          </Suspense>
        ) : null}
        <span>{text}</span>
      </AIChatMessageBody>
      {removed.length > 0 ? (
        <Box marginTop="space20" data-testid="pii-note">
          <Text as="p" fontSize="fontSize20" color="colorTextWeak" textAlign="right">
            {describeRemoved(removed)}
          </Text>
        </Box>
      ) : null}
    </AIChatMessage>
  );
}

function SourceList({ sources, onOpen }: { sources: TSource[]; onOpen?: (url: string) => void }) {
  const t = useUiText();
  const onLinkOpened = (event: { target: EventTarget }, url: string) => {
    if (event.target instanceof Element && event.target.closest('a')) onOpen?.(url);
  };
  return (
    <Box marginTop="space40" fontSize="fontSize20">
      <Text as="p" fontSize="fontSize20" fontWeight="fontWeightSemibold" marginBottom="space20" aria-hidden="true">
        {t('answer.sources')}
      </Text>
      <Box as="ul" aria-label={t('answer.sources')} margin="space0" padding="space0" listStyleType="none" display="flex" flexDirection="column" rowGap="space20">
        {sources.map((source) => {
          // New answers cite only docs paths (lib/shared/links.ts), but stored ones may hold anything: the
          // parsed URL is what gets linked, never the raw one (Paste's Anchor opens only "http…" hrefs in a new tab).
          const target = classifyHref(source.url);
          return (
            // A click (or middle click) on the source's link: the reader opened it (reportSourceOpened).
            <Box as="li" key={source.url} onClickCapture={(event) => onLinkOpened(event, source.url)} onAuxClickCapture={(event) => onLinkOpened(event, source.url)}>
              {target.kind === 'external' ? (
                // Not Paste's AIChatMessageSourceLink: it shows the title as plain text beside a link named
                // "Source with url". The source's own title is the link's name here, marked as leaving the site.
                <Box color="colorTextWeak">
                  [{source.number}]{' '}
                  <Anchor href={target.href} rel={EXTERNAL_LINK_REL} showExternal>
                    {source.title}
                  </Anchor>
                  <SourceKindLabel source={source.source} />
                </Box>
              ) : (
                // Paste's SourceLink labels its link as leading to an external page; docs sections are pages of
                // this site, so they get an in-site link named after the section instead.
                <Box color="colorTextWeak">
                  [{source.number}]{' '}
                  <SafeLink href={source.url}>{source.title}</SafeLink>
                  <SourceKindLabel source={source.source} />
                </Box>
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}

function IncompleteNote({ reason }: { reason: string | undefined }) {
  const t = useUiText();
  return (
    <Box marginTop="space40">
      <Badge as="span" variant="warning">
        {reason === 'run_cancelled' ? t('answer.stopped') : t('answer.incomplete')}
      </Badge>
    </Box>
  );
}

function CopyButton({ getText }: { getText(): string }) {
  const { notifyError } = useToasts();
  const t = useUiText();
  const [isCopied, setIsCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(getText());
      setIsCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setIsCopied(false), 2000);
    } catch {
      notifyError(new Error(t('error.copy')));
    }
  }, [getText, notifyError, t]);
  return (
    <Button variant="secondary_icon" size="reset" onClick={() => void copy()} aria-live="polite">
      <CopyIcon decorative />
      {isCopied ? t('answer.copied') : t('answer.copy')}
    </Button>
  );
}

// The reason form (Paste's TextArea and its autosizing: about 5 KB gzip) loads on the first thumbs-down, or when the
// reader points at or focuses that button: most answers are never voted down.
const loadDownVoteReason = () => import('./DownVoteReason');
const DownVoteReason = lazy(() => loadDownVoteReason().then(({ DownVoteReason: Form }) => ({ default: Form })));

function VoteButtons({ vote, onVote }: { vote: TVote | undefined; onVote(vote: TVote | null): void }) {
  const t = useUiText();
  return (
    <AIChatMessageActionCard aria-label={t('answer.feedbackLabel')}>
      {t('answer.isHelpful')}
      <Button variant="secondary_icon" size="reset" pressed={vote === 'up'} onClick={() => onVote(vote === 'up' ? null : 'up')}>
        <ThumbsUpIcon decorative={false} title={t('answer.helpful')} />
      </Button>
      <Button
        variant="secondary_icon"
        size="reset"
        pressed={vote === 'down'}
        onClick={() => onVote(vote === 'down' ? null : 'down')}
        onPointerEnter={() => void loadDownVoteReason()}
        onFocus={() => void loadDownVoteReason()}
      >
        <ThumbsDownIcon decorative={false} title={t('answer.notHelpful')} />
      </Button>
    </AIChatMessageActionCard>
  );
}

export function AssistantMessage({
  message,
  vote,
  onVote,
  followUps,
}: {
  message: TMessage;
  vote?: TVote;
  /** `reason` goes with a thumbs-down; true once saved. */
  onVote?(messageId: string, vote: TVote | null, reason?: string): Promise<boolean> | void;
  /** Suggested next questions, shown under a complete answer. */
  followUps?: ReactNode;
}) {
  const annotations = useMemo(() => message.content.flatMap((part) => part.text.annotations ?? []), [message]);
  const sources = useMemo(() => sourcesOf(annotations), [annotations]);
  // Annotation offsets refer to the first text part, which is the one models write.
  const footnotes = useMemo(
    () => footnotesOf(message.content[0]?.text.annotations ?? [], new Map(sources.map((source) => [source.url, source.number]))),
    [message, sources],
  );
  // An answer whose run ended before it did (Stop, an error, a time limit) is kept as written so far, and says so:
  // it gets no feedback buttons and no Copy, which are for answers.
  const isIncomplete = message.status === 'incomplete';
  const t = useUiText();
  // Whether anyone reads votes on this server (GET /api/assistant-intro): the thanks promises readers only then.
  const isFeedbackRead = useAssistantIntro().data?.data.destinations.isFeedbackRead === true;
  // The reason form opens with a thumbs-down given here, and closes once sent or declined.
  const [reasonState, setReasonState] = useState<'closed' | 'open' | 'sent'>('closed');
  const vote_ = (next: TVote | null) => {
    setReasonState(next === 'down' ? 'open' : 'closed');
    void onVote?.(message.id, next);
  };
  return (
    <AIChatMessage variant="bot">
      <AIChatMessageAuthor aria-label={t(isIncomplete ? 'log.assistantSaidIncomplete' : 'log.assistantSaid')}>{t('panel.name')}</AIChatMessageAuthor>
      <AIChatMessageBody>
        {message.content.map((part, index) => (
          <Markdown key={index} text={part.text.value} footnotes={index === 0 ? footnotes : undefined} />
        ))}
        {sources.length > 0 ? (
          <SourceList sources={sources} onOpen={message.thread_id ? (url) => void reportSourceOpened(message.thread_id as string, message.id, url) : undefined} />
        ) : null}
        {isIncomplete ? <IncompleteNote reason={message.incomplete_details?.reason} /> : null}
        {!isIncomplete && followUps ? followUps : null}
        {reasonState === 'open' && onVote && vote === 'down' ? (
          <Suspense fallback={null}>
            <DownVoteReason
              isFeedbackRead={isFeedbackRead}
              onSend={async (reason) => (await onVote(message.id, 'down', reason)) !== false}
              onDone={() => setReasonState('sent')}
            />
          </Suspense>
        ) : null}
        {reasonState === 'sent' && vote === 'down' ? (
          <Box marginTop="space30" role="status">
            <Text as="p" fontSize="fontSize20" color="colorTextWeak">
              {t(isFeedbackRead ? 'log.thanks' : 'log.thanksUnread')}
            </Text>
          </Box>
        ) : null}
      </AIChatMessageBody>
      {isIncomplete ? null : (
      <AIChatMessageActionGroup>
        {[
          onVote ? <VoteButtons key="vote" vote={vote} onVote={vote_} /> : null,
          <AIChatMessageActionCard key="copy" aria-label={t('answer.copyLabel')}>
            <CopyButton getText={() => answerForClipboard(messageText(message), sources)} />
          </AIChatMessageActionCard>,
        ]}
      </AIChatMessageActionGroup>
      )}
    </AIChatMessage>
  );
}

/**
 * The answer while the model writes it. Busy for assistive technology, so that the log (a live region) reads
 * it once it is done rather than at every word.
 */
export function DraftMessage({ text, onStop }: { text: string; onStop?(): void }) {
  const t = useUiText();
  return (
    <AIChatMessage variant="bot">
      <AIChatMessageAuthor aria-label={t('log.answering')}>{t('panel.name')}</AIChatMessageAuthor>
      <AIChatMessageBody>
        <Box aria-busy={onStop ? 'true' : 'false'} data-testid="draft-answer">
          {/* Cut mid-way, its last words may open what is not closed yet: closed here, so that no syntax shows. */}
          <Markdown text={closeOpenMarkdown(text)} />
        </Box>
        {onStop ? (
          <Box marginTop="space30">
            <Button variant="secondary" size="small" onClick={onStop}>
              <StopIcon decorative />
              {t('log.stop')}
            </Button>
          </Box>
        ) : null}
      </AIChatMessageBody>
    </AIChatMessage>
  );
}

export function LoadingMessage({ onStop }: { onStop(): void }) {
  const t = useUiText();
  return (
    <AIChatMessage variant="bot">
      <AIChatMessageAuthor aria-label={t('log.answering')}>{t('panel.name')}</AIChatMessageAuthor>
      <AIChatMessageBody>
        <AIChatMessageLoading onStopLoading={onStop} i18nStopGeneratingLabel={t('log.stop')} i18nAIScreenReaderText={t('log.generating')} />
      </AIChatMessageBody>
    </AIChatMessage>
  );
}

/** While the page solves a proof-of-work challenge (near the hourly limits), before the message is sent again. */
export function CheckingBrowserMessage() {
  const t = useUiText();
  return (
    <AIChatMessage variant="bot">
      <AIChatMessageAuthor aria-label={t('log.checkingLabel')}>{t('panel.name')}</AIChatMessageAuthor>
      <AIChatMessageBody>
        <Box role="status" display="flex" alignItems="center" columnGap="space30" data-testid="checking-browser">
          <Text as="span" color="colorTextWeak">
            {t('log.checking')}
          </Text>
        </Box>
      </AIChatMessageBody>
    </AIChatMessage>
  );
}

export function FailureMessage({ failure, onRetry }: { failure: TFailure; onRetry(): void }) {
  const isStopped = failure.run.status === 'cancelled';
  const t = useUiText();
  return (
    <AIChatMessage variant="bot">
      <AIChatMessageAuthor aria-label={t('log.assistantSaid')}>{t('panel.name')}</AIChatMessageAuthor>
      <AIChatMessageBody>
        <Box whiteSpace="normal">
          <Callout variant={isStopped ? 'neutral' : 'error'} marginY="space0">
            <CalloutText>{failure.message}</CalloutText>
            {failure.questionId ? (
              <Box marginTop="space30">
                <Button variant="secondary" size="small" onClick={onRetry}>
                  <RefreshIcon decorative />
                  {t('failure.retry')}
                </Button>
              </Box>
            ) : null}
          </Callout>
        </Box>
      </AIChatMessageBody>
    </AIChatMessage>
  );
}

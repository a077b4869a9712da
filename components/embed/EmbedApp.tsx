import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { apiFetch, onEmbedSessionRenewed, setRequestHeaders } from '@/components/assistant/api';
import { setDocsVersion, setHostPageUrl } from '@/components/assistant/docs-version';
import { HostSearch, TopWindowLinks } from '@/components/assistant/links';
import { AssistantToasts } from '@/components/assistant/toasts';
import { useUiText, type TUiText } from '@/components/assistant/ui-text';
import { SiteTheme } from '@/components/site/SiteTheme';
import {
  EMBED_ASK,
  EMBED_ASK_QUOTE,
  EMBED_CLOSE,
  EMBED_FRAME_READY,
  EMBED_HELLO,
  EMBED_OPEN,
  EMBED_READER,
  EMBED_READER_TOKEN,
  EMBED_READY,
  EMBED_SESSION,
  EMBED_THEME,
  EMBED_TOKEN_HEADER_NAME,
  isEmbedOriginAllowed,
  parseHostMessage,
  type TEmbedReaderStatus,
} from '@/lib/shared/embed-protocol';
import { EmbedPanel, type TEmbedAsk, type TEmbedQuote, type TEmbedReader } from './EmbedPanel';

// The /embed frame. It starts nothing until the page that embeds it says hello (lib/shared/embed-protocol.ts):
// the browser tells it that page's origin (event.origin), which must be an allowed one (the server checks it
// again); then it asks for a session token bound to that origin and sends it with every request. The token is
// kept in the frame's own storage (partitioned by the top-level site: Safari, Firefox) and, for browsers that
// give a third-party frame no storage at all (Chromium with third-party cookies blocked), by the host page,
// which hands it back in its hello. No cookie is involved either way. Messages are only
// read from the parent window, and only sent to the origin that said hello.
//
// Who the reader is, when the host site says so (a reader token it signed: widget.js's data-reader-token,
// PasteAssistant.setReaderToken), comes the same way, by postMessage from the page the session is for, once the session
// is ready: the frame exchanges it at POST /api/reader/session under its session token (the reader's session is the
// embed's reader, lib/http), or signs out with DELETE. A token that does not verify signs out whoever the session had
// (the host meant someone else) and says so in the panel: the reader sees the public docs. Questions wait for it.
// Signing in or out gives the frame a new session token (the response's X-Embed-Token, taken by apiFetch), kept and
// handed to the host like the first: a token someone else knew (one planted in the host page's storage) never
// becomes the signed-in reader's, and the reader's conversations move with them.

const TOKEN_KEY = 'paste-assistant:embed-token';

/** Refused: this site is not an allowed host, or the session could not start (`detail`: the server's reason, as it said it). */
type TPhase = { kind: 'waiting' } | { kind: 'ready'; origin: string } | { kind: 'refused'; reason: 'not_allowed' } | { kind: 'refused'; reason: 'not_started'; detail: string | null };
type TSession = { token: string; origin: string; expires_at: number };

function readToken(): string | undefined {
  try {
    return window.localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeToken(token: string): void {
  try {
    window.localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // No storage (blocked): the session lasts as long as the frame.
  }
}

let nextAskId = 1;

const subscribeNothing = () => () => {};

export function EmbedApp({ allowedOrigins }: { allowedOrigins: 'any' | string[] }) {
  const [phase, setPhase] = useState<TPhase>({ kind: 'waiting' });
  const [ask, setAsk] = useState<TEmbedAsk | null>(null);
  const [quote, setQuote] = useState<TEmbedQuote | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [searchUrl, setSearchUrl] = useState<string | null>(null);
  const [reader, setReader] = useState<TEmbedReader>({ kind: 'none' });
  const hostOrigin = useRef<string | null>(null);
  // Reader tokens are applied one at a time, in the order the host sent them: the last one wins.
  const readerQueue = useRef<Promise<void>>(Promise.resolve());
  const t = useUiText();
  // Opened on its own (not in a frame), there is no host page to serve. The server render assumes a frame.
  const isFramed = useSyncExternalStore(subscribeNothing, () => window.parent !== window, () => true);

  const postToHost = useCallback((message: Record<string, unknown>) => {
    if (hostOrigin.current) window.parent.postMessage(message, hostOrigin.current);
  }, []);

  useEffect(() => {
    onEmbedSessionRenewed((token) => {
      storeToken(token);
      postToHost({ type: EMBED_SESSION, token });
    });
    return () => onEmbedSessionRenewed(null);
  }, [postToHost]);

  const applyReaderToken = useCallback(
    (token: string | null) => {
      setReader({ kind: 'signing-in' });
      readerQueue.current = readerQueue.current.then(async () => {
        let status: TEmbedReaderStatus;
        if (token === null) {
          await apiFetch('/api/reader/session', { method: 'DELETE' }).catch(() => undefined);
          status = 'signed-out';
        } else {
          try {
            await apiFetch('/api/reader/session', { method: 'POST', body: { token } });
            status = 'signed-in';
          } catch {
            // Refused (forged, expired, another site's secret) or unreachable: whoever the session had is signed out.
            await apiFetch('/api/reader/session', { method: 'DELETE' }).catch(() => undefined);
            status = 'refused';
          }
        }
        setReader({ kind: 'done', status });
        postToHost({ type: EMBED_READER, status });
      });
    },
    [postToHost],
  );

  useEffect(() => {
    if (!isFramed) return;
    let isStarting = false;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent) return;
      const message = parseHostMessage(event.data);
      if (!message) return;
      if (message.type === EMBED_HELLO) {
        if (message.theme) document.documentElement.setAttribute('data-theme', message.theme);
        if (hostOrigin.current !== null) {
          if (hostOrigin.current === event.origin && !isStarting) postToHost({ type: EMBED_READY });
          return;
        }
        if (!isEmbedOriginAllowed(allowedOrigins, event.origin)) {
          setPhase({ kind: 'refused', reason: 'not_allowed' });
          return;
        }
        hostOrigin.current = event.origin;
        setSearchUrl(message.searchUrl ?? null);
        // Versioned docs: a conversation started here is of the host page's version (data-version, else its address).
        setDocsVersion(message.docsVersion ?? null);
        setHostPageUrl(message.pageUrl ?? null);
        isStarting = true;
        void apiFetch<TSession>('/api/embed/session', { method: 'POST', body: { origin: event.origin, token: readToken() ?? message.token } }).then(
          (session) => {
            storeToken(session.token);
            postToHost({ type: EMBED_SESSION, token: session.token });
            setRequestHeaders({ [EMBED_TOKEN_HEADER_NAME]: session.token });
            isStarting = false;
            setPhase({ kind: 'ready', origin: session.origin });
            postToHost({ type: EMBED_READY });
          },
          (error: unknown) => {
            isStarting = false;
            setPhase({ kind: 'refused', reason: 'not_started', detail: error instanceof Error ? error.message : null });
          },
        );
        return;
      }
      // Everything else only from the page the session is for.
      if (event.origin !== hostOrigin.current) return;
      if (message.type === EMBED_THEME) document.documentElement.setAttribute('data-theme', message.theme);
      else if (message.type === EMBED_OPEN) setFocusRequest((count) => count + 1);
      else if (message.type === EMBED_ASK) setAsk({ id: nextAskId++, question: message.question });
      else if (message.type === EMBED_ASK_QUOTE) {
        // Counted as an ask (the thread list closes); the reader types the question next.
        setQuote({ id: nextAskId++, text: message.quote, url: message.url, title: message.title });
        setFocusRequest((count) => count + 1);
      }
      else if (message.type === EMBED_READER_TOKEN && !isStarting) applyReaderToken(message.token);
    };
    window.addEventListener('message', onMessage);
    // The host may have said hello before this listener existed: ask it again. Carries nothing secret.
    window.parent.postMessage({ type: EMBED_FRAME_READY }, '*');
    return () => window.removeEventListener('message', onMessage);
  }, [allowedOrigins, postToHost, isFramed, applyReaderToken]);

  const onAsked = useCallback((id: number) => setAsk((current) => (current?.id === id ? null : current)), []);
  const onQuoteDone = useCallback((id: number) => setQuote((current) => (current?.id === id ? null : current)), []);
  const onClose = useCallback(() => postToHost({ type: EMBED_CLOSE }), [postToHost]);

  return (
    <SiteTheme>
      <TopWindowLinks value={true}>
        <HostSearch value={searchUrl}>
        <AssistantToasts>
          {!isFramed ? (
            <Box padding="space60" height="100vh" backgroundColor="colorBackgroundBody">
              <Paragraph marginBottom="space0">{t('embed.notFramed')}</Paragraph>
            </Box>
          ) : phase.kind === 'ready' ? (
            <EmbedPanel ask={ask} askCount={nextAskId - 1} onAsked={onAsked} quote={quote} onQuoteDone={onQuoteDone} onClose={onClose} focusRequest={focusRequest} reader={reader} />
          ) : (
            <Box padding="space60" height="100vh" backgroundColor="colorBackgroundBody" aria-busy={phase.kind === 'waiting'}>
              <Paragraph marginBottom="space0">{phaseText(phase, t)}</Paragraph>
            </Box>
          )}
        </AssistantToasts>
        </HostSearch>
      </TopWindowLinks>
    </SiteTheme>
  );
}

/** What the frame says while it is not the panel: loading, or why it was refused (the server's reason after ours). */
function phaseText(phase: Exclude<TPhase, { kind: 'ready' }>, t: TUiText): string {
  if (phase.kind === 'waiting') return t('embed.loading');
  if (phase.reason === 'not_allowed') return t('embed.notAllowed');
  return phase.detail ? `${t('embed.couldNotStart')} ${phase.detail}` : t('embed.couldNotStart');
}

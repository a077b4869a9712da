import { useEffect, useState, useSyncExternalStore } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { apiFetch, isApiError } from '../assistant/api';
import { useUiText } from '../assistant/ui-text';

// The page a hand-off's e-mail links (lib/handoff/links.ts): /handoff/confirm confirms the address the reader left,
// /handoff/open opens their conversation. The link's token is in the address's fragment (#t=…), which no server sees;
// the page acts only when the reader presses its button, so a mail scanner that opens the link changes nothing. Opening
// the conversation in the browser it was asked in needs no press (nothing changes: it is theirs); moving it here
// from another browser does.

type TAction = 'confirm' | 'open';
type TState = { kind: 'idle' } | { kind: 'elsewhere' } | { kind: 'working' } | { kind: 'failed'; failure: string } | { kind: 'confirmed' } | { kind: 'opening' };

type TOpened = { status: 'opened'; thread_id: string; url: string } | { status: 'elsewhere' };

/** What the server said of a refusal the reader can act on (expired, used, signed in as another reader), else `fallback`. */
function failureOf(error: unknown, fallback: string): string {
  return isApiError(error) && error.status >= 400 && error.status < 500 ? error.message : fallback;
}

/** The link's token, from the fragment: undefined on the server (no fragment there), null when the link lacks it. */
function tokenFromFragment(): string | null {
  const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('t');
  return token && token.length > 0 ? token : null;
}
const subscribeToHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function HandoffLinkPage({ action }: { action: TAction }) {
  const t = useUiText();
  const token = useSyncExternalStore(subscribeToHash, tokenFromFragment, () => undefined);
  const [state, setState] = useState<TState>({ kind: 'idle' });
  const failed = t('handoffLink.failed');

  // The conversation already this browser's opens at once; another browser's waits for the reader's press.
  useEffect(() => {
    if (action !== 'open' || !token) return;
    let isCurrent = true;
    apiFetch<TOpened>('/api/handoff/link', { method: 'POST', body: { action: 'open', token } }).then(
      (opened) => {
        if (!isCurrent) return;
        if (opened.status === 'elsewhere') return setState({ kind: 'elsewhere' });
        setState({ kind: 'opening' });
        window.location.replace(opened.url);
      },
      (error: unknown) => isCurrent && setState({ kind: 'failed', failure: failureOf(error, failed) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [action, token, failed]);

  const press = async () => {
    if (!token) return;
    setState({ kind: 'working' });
    try {
      if (action === 'confirm') {
        await apiFetch('/api/handoff/link', { method: 'POST', body: { action: 'confirm', token } });
        // The link is spent: it leaves the address bar and the history.
        window.history.replaceState(null, '', window.location.pathname);
        setState({ kind: 'confirmed' });
      } else {
        const opened = await apiFetch<TOpened>('/api/handoff/link', { method: 'POST', body: { action: 'open', token, move: true } });
        if (opened.status === 'opened') {
          setState({ kind: 'opening' });
          window.location.replace(opened.url);
        }
      }
    } catch (error) {
      setState({ kind: 'failed', failure: failureOf(error, failed) });
    }
  };

  const isAsking = token && (state.kind === 'working' || (action === 'confirm' ? state.kind === 'idle' : state.kind === 'elsewhere'));
  const text =
    token === undefined
      ? t('handoffLink.working')
      : token === null
        ? t('handoffLink.incomplete')
        : state.kind === 'confirmed'
          ? null
          : state.kind === 'failed'
            ? null
            : action === 'confirm'
              ? t('handoffLink.confirmText')
              : state.kind === 'idle' || state.kind === 'opening'
                ? t('handoffLink.opening')
                : t('handoffLink.elsewhere');
  return (
    <Box as="main" maxWidth="size60" marginX="auto" paddingX="space60" paddingY="space80" data-testid="handoff-link">
      <Heading as="h1" variant="heading20">
        {action === 'confirm' ? t('handoffLink.confirmTitle') : t('handoffLink.openTitle')}
      </Heading>
      {text ? <Paragraph>{text}</Paragraph> : null}
      {state.kind === 'confirmed' ? (
        <Paragraph>
          <span role="status">{t('handoffLink.confirmed')}</span> <Anchor href="/assistant">{t('handoffLink.toAssistant')}</Anchor>
        </Paragraph>
      ) : null}
      {state.kind === 'failed' ? (
        <Paragraph>
          <span role="alert">{state.failure}</span> <Anchor href="/assistant">{t('handoffLink.toAssistant')}</Anchor>
        </Paragraph>
      ) : null}
      {isAsking ? (
        <Button variant="primary" loading={state.kind === 'working'} onClick={() => void press()}>
          {action === 'confirm' ? t('handoffLink.confirmButton') : t('handoffLink.moveButton')}
        </Button>
      ) : null}
    </Box>
  );
}

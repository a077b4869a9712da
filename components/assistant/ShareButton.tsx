import { useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import { apiFetch, isApiError } from './api';
import { useUiText } from './ui-text';

// Share: a read-only link to the conversation as it is now (POST /api/paste-assistant-thread/{id}/share), copied to
// the clipboard and shown for copying by hand; sharing again gives the same link, its snapshot up to date. "Stop
// sharing" revokes it (DELETE on the same route); a new link after that is limited per hour (429: said as such).

type TState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'shared'; url: string; isCopied: boolean }
  | { kind: 'stopped' }
  | { kind: 'failed'; isLimited: boolean };

const shareUrl = (threadId: string) => `/api/paste-assistant-thread/${threadId}/share`;

export function ShareButton({ threadId }: { threadId: string }) {
  const [state, setState] = useState<TState>({ kind: 'idle' });
  const t = useUiText();

  const share = async () => {
    setState({ kind: 'busy' });
    try {
      const { url } = await apiFetch<{ url: string }>(shareUrl(threadId), { method: 'POST' });
      const isCopied = await navigator.clipboard?.writeText(url).then(
        () => true,
        () => false,
      );
      setState({ kind: 'shared', url, isCopied: isCopied === true });
    } catch (error) {
      setState({ kind: 'failed', isLimited: isApiError(error) && error.status === 429 });
    }
  };

  const stop = async () => {
    setState({ kind: 'busy' });
    try {
      await apiFetch(shareUrl(threadId), { method: 'DELETE' });
      setState({ kind: 'stopped' });
    } catch {
      setState({ kind: 'failed', isLimited: false });
    }
  };

  return (
    <Box display="flex" flexDirection="column" rowGap="space20" marginTop="space30" data-testid="share-conversation">
      <Box>
        <Button variant="secondary" size="small" aria-label={t('share.buttonLabel')} disabled={state.kind === 'busy'} onClick={() => void share()}>
          {state.kind === 'busy' ? t('share.sharing') : t('share.button')}
        </Button>
      </Box>
      <Box role="status" aria-live="polite">
        {state.kind === 'shared' ? (
          <>
            <Text as="p" fontSize="fontSize20" color="colorTextWeak">
              {state.isCopied ? t('share.copied') : t('share.shownOnly')}
            </Text>
            <input
              readOnly
              aria-label={t('share.linkLabel')}
              value={state.url}
              onFocus={(event) => event.currentTarget.select()}
              style={{ width: '100%', fontSize: '0.75rem', boxSizing: 'border-box' }}
            />
            <Button variant="link" size="small" onClick={() => void stop()}>
              {t('share.stop')}
            </Button>
          </>
        ) : null}
        {state.kind === 'stopped' ? (
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            {t('share.stopped')}
          </Text>
        ) : null}
        {state.kind === 'failed' ? (
          <Text as="p" fontSize="fontSize20" color="colorTextError">
            {state.isLimited ? t('share.tooMany') : t('share.failed')}
          </Text>
        ) : null}
      </Box>
    </Box>
  );
}

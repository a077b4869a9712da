import { useEffect, useId, useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Text } from '@twilio-paste/core/text';
import { TextArea } from '@twilio-paste/core/textarea';
import type { THandoffOffer, THandoffView } from '@/lib/shared/handoff';
import { getHandoff, isApiError, requestHandoff } from './api';
import { useUiText } from './ui-text';

// "Ask the maintainers" (lib/handoff): among the conversation's actions, shown only where the site hands conversations
// to its maintainers (HANDOFF_TO; GET …/handoff says so), put first when the last answer said the docs do not cover
// it or the reader voted it down (`isSuggested`). A short form takes an optional note, and an address for the reply
// only where replies are e-mailed. Once sent it says where it went (the link on GitHub) and whether a
// maintainer replied; asking again is the same hand-off.

type TState =
  | { kind: 'loading' }
  | { kind: 'off' }
  | { kind: 'idle'; offer: THandoffOffer }
  | { kind: 'form'; offer: THandoffOffer; isSending: boolean; isFailed: boolean; failure?: string }
  | { kind: 'sent'; handoff: THandoffView };

export function HandoffButton({ threadId, isSuggested, replyCount }: { threadId: string; isSuggested: boolean; replyCount: number }) {
  const [state, setState] = useState<TState>({ kind: 'loading' });
  const [note, setNote] = useState('');
  const [email, setEmail] = useState('');
  const t = useUiText();
  const noteId = useId();
  const emailId = useId();

  // Read again when a maintainer's reply arrives, so that "replied" shows.
  useEffect(() => {
    let isCurrent = true;
    getHandoff(threadId).then(
      ({ handoff, offer }) => {
        if (!isCurrent) return;
        if (handoff) setState({ kind: 'sent', handoff });
        else setState(offer.isOn ? { kind: 'idle', offer } : { kind: 'off' });
      },
      () => isCurrent && setState({ kind: 'off' }),
    );
    return () => {
      isCurrent = false;
    };
  }, [threadId, replyCount]);

  if (state.kind === 'loading' || state.kind === 'off') return null;

  if (state.kind === 'sent') {
    const { handoff } = state;
    return (
      <Box role="status" aria-live="polite" marginTop="space30" data-testid="handoff-status">
        <Text as="p" fontSize="fontSize20" color="colorTextWeak">
          {handoff.channel === 'github' ? t('handoff.sentGithub') : t('handoff.sentSlack')}{' '}
          {handoff.url ? (
            <Anchor href={handoff.url} showExternal>
              {t('handoff.openIssue')}
            </Anchor>
          ) : null}
        </Text>
        <Text as="p" fontSize="fontSize20" color="colorTextWeak" data-testid="handoff-reply-state">
          {handoff.replied_at !== null ? t('handoff.replied') : t('handoff.waiting')}{' '}
          {!handoff.is_emailed ? '' : handoff.is_email_confirmed ? (handoff.replied_at === null ? t('handoff.emailed') : '') : t('handoff.confirmEmail')}
        </Text>
      </Box>
    );
  }

  const { offer } = state;
  if (state.kind === 'idle') {
    return (
      <Box marginTop="space30" data-testid="handoff">
        <Button variant={isSuggested ? 'primary' : 'secondary'} size="small" aria-label={t('handoff.buttonLabel')} onClick={() => setState({ kind: 'form', offer, isSending: false, isFailed: false })}>
          {t('handoff.button')}
        </Button>
      </Box>
    );
  }

  const send = async () => {
    setState({ ...state, isSending: true, isFailed: false, failure: undefined });
    try {
      const handoff = await requestHandoff(threadId, { note: note.trim() || undefined, email: email.trim() || undefined });
      setState({ kind: 'sent', handoff });
    } catch (error) {
      // A refusal the reader can act on (a limit and when it lifts, an answer still to come) is said as the server says it.
      const failure = isApiError(error) && (error.status === 409 || error.status === 429) ? error.message : undefined;
      setState({ ...state, isSending: false, isFailed: true, failure });
    }
  };
  const where = offer.channels.includes('github') ? t('handoff.where.github') : offer.channels.includes('slack') ? t('handoff.where.slack') : '';
  return (
    <Box
      as="form"
      marginTop="space30"
      display="flex"
      flexDirection="column"
      rowGap="space30"
      data-testid="handoff-form"
      onSubmit={(event: { preventDefault(): void }) => {
        event.preventDefault();
        void send();
      }}
    >
      <Text as="p" fontSize="fontSize20">
        {t('handoff.intro', { where })}
      </Text>
      <Box>
        <Label htmlFor={noteId}>{t('handoff.noteLabel')}</Label>
        <TextArea id={noteId} name="note" maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
      </Box>
      {offer.isEmailOffered ? (
        <Box>
          <Label htmlFor={emailId}>{t('handoff.emailLabel')}</Label>
          <Input id={emailId} name="email" type="email" autoComplete="email" maxLength={320} value={email} onChange={(event) => setEmail(event.target.value)} />
        </Box>
      ) : null}
      <Box display="flex" columnGap="space30" flexWrap="wrap" rowGap="space20">
        <Button variant="primary" size="small" type="submit" loading={state.isSending}>
          {state.isSending ? t('handoff.sending') : t('handoff.send')}
        </Button>
        <Button variant="secondary" size="small" onClick={() => setState({ kind: 'idle', offer })}>
          {t('handoff.cancel')}
        </Button>
      </Box>
      {state.isFailed ? (
        <Text as="p" role="alert" fontSize="fontSize20" color="colorTextError">
          {state.failure ?? t('handoff.failed')}
        </Text>
      ) : null}
    </Box>
  );
}

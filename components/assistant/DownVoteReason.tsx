import { useId, useState, type FormEvent } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Label } from '@twilio-paste/core/label';
import { TextArea } from '@twilio-paste/core/textarea';
import { MAX_VOTE_REASON_CHARS } from '@/lib/shared/votes';
import { useUiText } from './ui-text';

/** After a thumbs-down: an optional line on what was wrong. "The maintainers read this" only where someone does (`isFeedbackRead`). */
export function DownVoteReason({ onSend, onDone, isFeedbackRead }: { onSend(reason: string): Promise<boolean>; onDone(): void; isFeedbackRead: boolean }) {
  const t = useUiText();
  const [reason, setReason] = useState('');
  const [isSending, setIsSending] = useState(false);
  const id = `vote-reason-${useId()}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return onDone();
    setIsSending(true);
    void onSend(reason.trim()).then((isSent) => {
      setIsSending(false);
      if (isSent) onDone();
    });
  };
  return (
    <Box as="form" marginTop="space30" aria-label={t('vote.why')} onSubmit={submit}>
      <Label htmlFor={id}>{t('vote.whatWasMissing')}</Label>
      <TextArea
        id={id}
        value={reason}
        maxLength={MAX_VOTE_REASON_CHARS}
        rows={2}
        onChange={(event) => setReason(event.target.value)}
        placeholder={isFeedbackRead ? t('vote.maintainersRead') : undefined}
      />
      <Box display="flex" columnGap="space30" marginTop="space30">
        <Button type="submit" variant="primary" size="small" loading={isSending} disabled={reason.trim() === ''}>
          {t('vote.send')}
        </Button>
        <Button type="button" variant="secondary" size="small" onClick={onDone}>
          {t('vote.noThanks')}
        </Button>
      </Box>
    </Box>
  );
}

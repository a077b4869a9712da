import type { TUiKey } from '@/lib/shared/i18n/en';
import { formatUiText } from '@/lib/shared/i18n/text';
import { isTerminal, messageText, type TMessage, type TRun } from './api';

// What the conversation says about a run that ended without an answer, and which question Retry asks again.

/** A run that ended without an answer: why, and the question Retry runs again (null: nothing to retry). */
export type TFailure = { run: TRun; message: string; retryText: string | null; questionId: string | null };

/** `t`: the reader's words (useUiText) for a failure the server gave no message of its own; English by default. */
export function describeFailure(run: TRun, t: (key: TUiKey) => string = (key) => formatUiText(null, key)): string {
  switch (run.status) {
    case 'cancelled':
      return t('failure.cancelled');
    case 'failed':
      return run.last_error?.message ?? t('failure.failed');
    case 'expired':
      return run.last_error?.message ?? t('failure.expired');
    case 'incomplete':
      return run.incomplete_details?.message ?? t('failure.incomplete');
    default:
      return '';
  }
}

/**
 * The failure to show for the thread's latest run, or null: none while it is going, when it answered, or while a
 * new message is being sent. Retry asks again the run's own question, else the thread's last one.
 */
export function failureOf({
  run,
  messages,
  isSending,
  t,
}: {
  run: TRun | null;
  messages: TMessage[];
  isSending: boolean;
  t?: (key: TUiKey) => string;
}): TFailure | null {
  if (!run || !isTerminal(run) || run.status === 'completed' || isSending) return null;
  const question = messages.find((message) => message.role === 'user' && message.run_id === run.id);
  const lastQuestion = [...messages].reverse().find((message) => message.role === 'user');
  const source = question ?? lastQuestion;
  return { run, message: describeFailure(run, t), retryText: source ? messageText(source) : null, questionId: source?.id ?? null };
}

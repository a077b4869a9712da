import { isTerminal, messageText, type TMessage, type TRun } from './api';

// What the conversation says about a run that ended without an answer, and which question Retry asks again.

/** A run that ended without an answer: why, and the question Retry runs again (null: nothing to retry). */
export type TFailure = { run: TRun; message: string; retryText: string | null; questionId: string | null };

export function describeFailure(run: TRun): string {
  switch (run.status) {
    case 'cancelled':
      return 'You stopped this answer.';
    case 'failed':
      return run.last_error?.message ?? 'The assistant could not answer. Please try again.';
    case 'expired':
      return run.last_error?.message ?? 'The assistant did not finish answering in time.';
    case 'incomplete':
      return run.incomplete_details?.message ?? 'The assistant stopped before finishing its answer.';
    default:
      return '';
  }
}

/**
 * The failure to show for the thread's latest run, or null: none while it is going, when it answered, or while a
 * new message is being sent. Retry asks again the run's own question, else the thread's last one.
 */
export function failureOf({ run, messages, isSending }: { run: TRun | null; messages: TMessage[]; isSending: boolean }): TFailure | null {
  if (!run || !isTerminal(run) || run.status === 'completed' || isSending) return null;
  const question = messages.find((message) => message.role === 'user' && message.run_id === run.id);
  const lastQuestion = [...messages].reverse().find((message) => message.role === 'user');
  const source = question ?? lastQuestion;
  return { run, message: describeFailure(run), retryText: source ? messageText(source) : null, questionId: source?.id ?? null };
}

import { isMaintainerReply } from '@/lib/shared/messages';
import type { TMessage } from './api';

// "Research this (about 30 s)" (issue 71): under a quick answer that found nothing it trusts (the answer's
// `no_docs_match`: not covered, or nothing cited), one tap asks for a research run of the same stored question (POST
// …/runs with mode "research", as Retry does): the question is not sent again, so it shows once, with its page, quote
// and screenshots kept; the quick answer stays and the research answer follows it. The server allows exactly this
// re-run of an answered question (create_run_for_message_by_id in supabase/schemas/30_runs.sql).

/** The question a research run would answer again: the last answer's question, when that answer is a quick one not covered. */
export function researchableQuestion(messages: TMessage[]): TMessage | null {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant' || isMaintainerReply(last) || last.status === 'incomplete') return null;
  if (last.metadata?.no_docs_match !== true || last.metadata?.research === true) return null;
  const question = messages.findLast((message) => message.role === 'user');
  return question ?? null;
}


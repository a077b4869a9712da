import { isMaintainerReply } from '@/lib/shared/messages';
import type { TMessage } from './api';

// "Research this (about 30 s)" (issue 71): under a quick answer that found nothing it trusts (the answer's
// `no_docs_match`: not covered, or nothing cited), one tap asks the same question again as a research question (its
// text as stored, masked, sent with mode "research"; a Retry cannot: it refuses a question whose answer completed).

/** The question a research run would ask again: the last answer's question, when that answer is a quick one not covered. */
export function researchableQuestion(messages: TMessage[]): TMessage | null {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant' || isMaintainerReply(last) || last.status === 'incomplete') return null;
  if (last.metadata?.no_docs_match !== true || last.metadata?.research === true) return null;
  const question = messages.findLast((message) => message.role === 'user');
  return question ?? null;
}


import type { TDb } from './types';
import type { TMessageRow, TRunRow, TThreadRow } from './rows';
import type { TVote } from './votes';

// Reads for maintainers, not scoped to a session: called only behind a signed maintainer link.

export type TTranscriptRun = Omit<TRunRow, 'instructions' | 'tools'>;
export type TTranscriptData = {
  thread: TThreadRow;
  messages: (TMessageRow & { vote: TVote | null })[];
  runs: TTranscriptRun[];
  slack: { kind: string; status: string; attempts: number; last_error: string | null; created_at: string; settled_at: string | null }[];
};

export function getThreadTranscriptById({ db, threadId }: { db: TDb; threadId: string }) {
  return db.rpc<TTranscriptData>('get_thread_transcript_by_id', { p_thread_id: threadId });
}

type TCounted = { query: string; count: number };
type TQuestionItem = { thread_id: string; message_id: string; question: string | null };

export type TMaintainerReportData = {
  from: string;
  to: string;
  threads: number;
  messages: { user: number; assistant: number };
  runs: { total: number; by_status: Record<string, number>; median_seconds: number | null; p90_seconds: number | null };
  docs_queries: { total: number; site: number; assistant: number; without_results: number };
  top_queries: (TCounted & { avg_results: number })[];
  queries_without_results: TCounted[];
  answers_without_docs: { count: number; items: (TQuestionItem & { created_at: string })[] };
  votes: { up: number; down: number; down_items: (TQuestionItem & { updated_at: string })[] };
};

export function getMaintainerReport({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TMaintainerReportData>('get_maintainer_report', {
    p_from: from.toISOString(),
    p_to: to.toISOString(),
    p_limit: limit,
  });
}

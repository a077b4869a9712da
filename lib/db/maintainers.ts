import type { TMaintainerAnswerProposal } from './maintainer-answers';
import type { TDb } from './types';
import type { TMessageRow, TRunRow, TThreadRow } from './rows';
import type { TVote } from './votes';

// Reads for maintainers, not scoped to a session: called only behind a signed maintainer link.

export type TTranscriptRun = Omit<TRunRow, 'instructions' | 'tools'>;
export type TTranscriptData = {
  thread: TThreadRow;
  /** Where the conversation came from: site, slack, mcp or api. */
  source?: string;
  /** A conversation held in Slack: its channel (a DM's channel for a direct message). */
  conversation?: { channel_id: string; channel_type: string; thread_ts: string } | null;
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
  /** `assistant`: the assistant's answers; `maintainer`: maintainers' replies from Slack. */
  messages: { user: number; assistant: number; maintainer: number };
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

// The dashboard (get_maintainer_dashboard): figures per UTC day, and the questions the docs failed.

export type TDashboardDay = {
  day: string;
  questions: number;
  answered: number;
  not_covered: number;
  up: number;
  down: number;
  searches: number;
  searches_without_results: number;
};
export type TUnansweredItem = {
  kind: 'not_covered' | 'voted_down';
  thread_id: string;
  /** The answer that failed. */
  message_id: string;
  created_at: string;
  question: string | null;
  reason: string | null;
  /** Where the conversation came from: site, slack, mcp or api. */
  source: string;
};
export type TMaintainerDashboardData = {
  from: string;
  to: string;
  days: TDashboardDay[];
  /** Questions per source in the period, most first. */
  sources: { source: string; questions: number }[];
  maintainer_replies: number;
  searches_without_results: { query: string; count: number }[];
  unanswered: TUnansweredItem[];
};

export function getMaintainerDashboard({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TMaintainerDashboardData>('get_maintainer_dashboard', { p_from: from.toISOString(), p_to: to.toISOString(), p_limit: limit });
}

// Replies from Slack (add_maintainer_reply_by_slack_thread): atomic with the event id's dedupe.

export type TMaintainerReplyResult =
  | { status: 'added'; message: TMessageRow; owner: string }
  | { status: 'duplicate' }
  | { status: 'unknown_thread' };

export function addMaintainerReplyBySlackThread({
  db,
  eventId,
  threadTs,
  slackTs,
  text,
  author,
  proposal = null,
}: {
  db: TDb;
  eventId: string;
  threadTs: string;
  slackTs: string;
  text: string;
  author: { name: string | null; slackUser: string };
  /** The reply as a proposed maintainers' answer, masked and without names (lib/maintainers/answers.ts); null: none. */
  proposal?: TMaintainerAnswerProposal | null;
}) {
  return db.rpc<TMaintainerReplyResult>('add_maintainer_reply_by_slack_thread', {
    p_event_id: eventId,
    p_thread_ts: threadTs,
    p_slack_ts: slackTs,
    p_text: text,
    p_author: { name: author.name, slack_user: author.slackUser },
    p_proposal: proposal,
  });
}

// The weekly digest's lease: of many instances, one posts each period's digest.

export type TDigestClaim = { claimed: false } | { claimed: true; from: string; to: string };

export function claimMaintainerDigest({ db, kind, worker, everySeconds, leaseSeconds }: { db: TDb; kind: string; worker: string; everySeconds: number; leaseSeconds: number }) {
  return db.rpc<TDigestClaim>('claim_maintainer_digest', { p_kind: kind, p_worker: worker, p_every_seconds: everySeconds, p_lease_seconds: leaseSeconds });
}

export function completeMaintainerDigest({ db, kind, worker, to }: { db: TDb; kind: string; worker: string; to: string }) {
  return db.rpc<boolean>('complete_maintainer_digest', { p_kind: kind, p_worker: worker, p_to: to });
}

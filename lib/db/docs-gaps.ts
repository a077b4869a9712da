import type { TGapDraft, TGapQuestionKind } from '../shared/docs-gaps';
import type { TDb } from './types';

// The gaps (supabase/schemas/63_docs_gaps.sql): the questions of a period the docs failed, and the drafted fixes.

export type TGapQuestionRow = {
  kind: TGapQuestionKind;
  thread_id: string;
  message_id: string;
  created_at: string;
  question: string | null;
  reason: string | null;
  /** A maintainer's answer to the question (masked, without names), when the maintainers answered it. */
  answer: string | null;
};

export function listGapQuestions({ db, from, to, limit }: { db: TDb; from: Date; to: Date; limit: number }) {
  return db.rpc<TGapQuestionRow[]>('list_gap_questions', { p_from: from.toISOString(), p_to: to.toISOString(), p_limit: limit });
}

export type TNewGapDraft = Pick<TGapDraft, 'topicId' | 'topic' | 'target' | 'kind' | 'title' | 'body' | 'diff' | 'pagePath' | 'questions'>;

export function addGapDraft({ db, draft }: { db: TDb; draft: TNewGapDraft }) {
  return db.rpc<TGapDraft>('add_gap_draft', { p_draft: draft });
}

/** Null when there is no such draft. `issueNumber`: the issue on GitHub the draft opened or updated (kept when null). */
export function recordGapDraftAttemptById({
  db,
  id,
  status,
  url,
  error,
  issueNumber = null,
}: {
  db: TDb;
  id: number;
  status: 'opened' | 'failed';
  url: string | null;
  error: string | null;
  issueNumber?: number | null;
}) {
  return db.rpc<TGapDraft | null>('record_gap_draft_attempt_by_id', { p_id: id, p_status: status, p_url: url, p_error: error, p_issue_number: issueNumber });
}

export function getGapDraftById({ db, id }: { db: TDb; id: number }) {
  return db.rpc<TGapDraft | null>('get_gap_draft_by_id', { p_id: id });
}

/** Newest first; `from` null: since the first draft. */
export function listGapDrafts({ db, from = null, to = null, limit = 200 }: { db: TDb; from?: Date | null; to?: Date | null; limit?: number }) {
  return db.rpc<TGapDraft[]>('list_gap_drafts', { p_from: from?.toISOString() ?? null, p_to: to?.toISOString() ?? null, p_limit: limit });
}

/** Null when the draft was closed already (or is not there). */
export function closeGapDraftById({ db, id, answered }: { db: TDb; id: number; answered: number }) {
  return db.rpc<TGapDraft | null>('close_gap_draft_by_id', { p_id: id, p_answered: answered });
}

/** Opened drafts not yet closed whose page was re-indexed since they were made: their questions are searched again. */
export function listGapDraftsToRecheck({ db, limit = 100 }: { db: TDb; limit?: number }) {
  return db.rpc<TGapDraft[]>('list_gap_drafts_to_recheck', { p_limit: limit });
}

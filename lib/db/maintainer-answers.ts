import { afterDocsChange } from './docs-changes';
import type { TDb } from './types';

// The maintainers' answers (supabase/schemas/62_maintainer_answers.sql): proposed from maintainers' replies in
// Slack (by the reply functions themselves) or written on the dashboard, listed and decided by maintainers, and
// indexed as docs pages of kind 'answer' while approved (built by that kind, lib/docs/sources/answers). A decision
// changes what it indexes.

export type TMaintainerAnswerRow = {
  id: number;
  status: 'proposed' | 'approved' | 'rejected';
  question: string;
  answer: string;
  /** 'slack': proposed from a maintainer's reply (while it keeps it); 'dashboard': written there. */
  origin: 'slack' | 'dashboard';
  answeredAt: string;
  createdAt: string;
  decidedAt: string | null;
};

export type TMaintainerAnswerLists = { proposed: TMaintainerAnswerRow[]; approved: TMaintainerAnswerRow[]; rejected: TMaintainerAnswerRow[] };

export type TApprovedMaintainerAnswer = { id: number; title: string; question: string; answer: string; answeredAt: string; approvedAt: string };

export function listMaintainerAnswers({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<TMaintainerAnswerLists>('list_maintainer_answers', { p_limit: limit });
}

/** `status` null: back to proposed. `question` / `answer`: replace the texts (already masked). 404 for an unknown id. */
export function decideMaintainerAnswerById({
  db,
  id,
  status,
  question,
  answer,
}: {
  db: TDb;
  id: number;
  status: 'approved' | 'rejected' | null;
  question?: string;
  answer?: string;
}) {
  return afterDocsChange(
    db,
    db.rpc<TMaintainerAnswerRow>('decide_maintainer_answer_by_id', { p_id: id, p_status: status, p_question: question ?? null, p_answer: answer ?? null }),
  );
}

/**
 * A maintainer's own answer (texts already masked): proposed, or approved at once (`status` 'approved') as a
 * decision approves one. 409 when an answer that is not rejected has the same question.
 */
export function createMaintainerAnswer({ db, question, answer, status }: { db: TDb; question: string; answer: string; status: 'approved' | null }) {
  return afterDocsChange(db, db.rpc<TMaintainerAnswerRow>('create_maintainer_answer', { p_question: question, p_answer: answer, p_status: status }));
}

/** An approved answer, or null (rejected, proposed, retracted or unknown). */
export function getApprovedMaintainerAnswerById({ db, id }: { db: TDb; id: number }) {
  return db.rpc<TApprovedMaintainerAnswer | null>('get_approved_maintainer_answer_by_id', { p_id: id });
}

/** The approved answers, oldest first, each with its public page's title (the answers kind builds their pages). */
export function listApprovedMaintainerAnswers({ db }: { db: TDb }) {
  return db.rpc<TApprovedMaintainerAnswer[]>('list_approved_maintainer_answers');
}

export function listApprovedMaintainerAnswerPaths({ db }: { db: TDb }) {
  return db.rpc<string[]>('list_approved_maintainer_answer_paths');
}

/** What a reply function proposes with the reply (the reader's question is the conversation's, already masked). */
export type TMaintainerAnswerProposal = { answer: string };

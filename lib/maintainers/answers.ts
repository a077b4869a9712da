import { z } from 'zod';
import { decideMaintainerAnswerById, listMaintainerAnswers, type TMaintainerAnswerRow } from '../db/maintainer-answers';
import type { TDb } from '../db/types';
import { embedMissingSections } from '../docs/index/indexer';
import { syncKindNow, type TSourcesConfig } from '../docs/sources';
import type { TEmbedder } from '../docs/index/embeddings';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { maintainerAnswerHref, type TMaintainerAnswer, type TMaintainerAnswersView } from '../shared/maintainer-answers';

// The maintainers' answers on the dashboard (GET / POST /api/maintainers/answers): the proposed ones (a reader's
// question and a maintainer's reply from Slack, proposed where the reply is stored: supabase/schemas/62_maintainer_answers.sql),
// the approved ones (a source of kind 'answer', lib/docs/sources/answers, searchable from the decision on) and the
// rejected ones. A maintainer's edit is masked as a reader's text is, since it is published as typed.

/** Each list is cut to this many, newest first. */
const LIST_LIMIT = 500;
const MAX_QUESTION_CHARS = 4000;
const MAX_ANSWER_CHARS = 8000;

export const ZMaintainerAnswerDecision = z
  .object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    status: z.enum(['approved', 'rejected']).nullable(),
    question: z.string().trim().min(1, 'question must not be empty').max(MAX_QUESTION_CHARS).optional(),
    answer: z.string().trim().min(1, 'answer must not be empty').max(MAX_ANSWER_CHARS).optional(),
  })
  .strict();
export type TMaintainerAnswerDecision = z.infer<typeof ZMaintainerAnswerDecision>;

export type TMaintainerAnswersDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null; privacy?: TPrivacy; config: TSourcesConfig };

/** The kind of source approved answers are (lib/docs/sources/answers), by its label in the registry. */
const ANSWER_KIND = 'answer';

function toView(row: TMaintainerAnswerRow): TMaintainerAnswer {
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    status: row.status,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    ...(row.status === 'approved' ? { url: maintainerAnswerHref(row.id) } : {}),
  };
}

export async function listMaintainerAnswersView({ db }: { db: TDb }): Promise<TMaintainerAnswersView> {
  const lists = await listMaintainerAnswers({ db, limit: LIST_LIMIT });
  return { proposed: lists.proposed.map(toView), approved: lists.approved.map(toView), rejected: lists.rejected.map(toView) };
}

/**
 * A decision (and its edits): approved, the answer's page is in the index when this returns (its embedding follows
 * in the background when embeddings are on: until then full-text search finds it); rejected or back to proposed
 * (null), it is out of the index when this returns. 404 for an unknown id.
 */
export async function decideMaintainerAnswer({ deps, decision }: { deps: TMaintainerAnswersDeps; decision: TMaintainerAnswerDecision }): Promise<TMaintainerAnswer> {
  const privacy = deps.privacy ?? DEFAULT_PRIVACY;
  const mask = (text: string | undefined) => (text === undefined ? undefined : privacy.mask(text).text.trim() || undefined);
  const row = await decideMaintainerAnswerById({
    db: deps.db,
    id: decision.id,
    status: decision.status,
    question: mask(decision.question),
    answer: mask(decision.answer),
  });
  deps.log.info({ answerId: row.id, status: row.status, isEdited: decision.question !== undefined || decision.answer !== undefined }, 'maintainers’ answer decided');
  // The answers kind indexes the approved answers' pages (and removes the others'), as every kind indexes its own.
  await syncKindNow({ kind: ANSWER_KIND, deps, config: deps.config });
  const { embedder } = deps;
  if (embedder && row.status === 'approved') {
    void embedMissingSections({ db: deps.db, embedder }).catch((error: unknown) =>
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'embedding an approved answer failed; full-text search finds it meanwhile'),
    );
  }
  return toView(row);
}

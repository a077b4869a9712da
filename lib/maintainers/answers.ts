import { z } from 'zod';
import { createMaintainerAnswer, decideMaintainerAnswerById, listMaintainerAnswers, type TMaintainerAnswerRow } from '../db/maintainer-answers';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { syncKindNow, type TSourcesConfig } from '../docs/sources';
import { embedMissingSections, type TEmbedder } from '../docs/index/embeddings';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { maintainerAnswerHref, type TMaintainerAnswer, type TMaintainerAnswersView } from '../shared/maintainer-answers';

// The maintainers' answers on the dashboard (GET / POST /api/maintainers/answers): the proposed ones (a reader's
// question and a maintainer's reply from Slack, proposed where the reply is stored: supabase/schemas/62_maintainer_answers.sql,
// or a question and answer a maintainer wrote on the dashboard), the approved ones (a source of kind 'answer',
// lib/docs/sources/answers, searchable from the decision on) and the rejected ones. A maintainer's text (an edit
// or a new answer) is masked as a reader's text is, since it is published as typed; its links meet the answers'
// one link policy where an answer is rendered (lib/docs/site/answers.ts), whichever way it was written.

/** Each list is cut to this many, newest first. */
const LIST_LIMIT = 500;
const MAX_QUESTION_CHARS = 4000;
const MAX_ANSWER_CHARS = 8000;

const ZQuestion = z.string().trim().min(1, 'question must not be empty').max(MAX_QUESTION_CHARS);
const ZAnswer = z.string().trim().min(1, 'answer must not be empty').max(MAX_ANSWER_CHARS);

/**
 * POST's body: with `id`, a decision on that answer (its texts replaced when given); without, a new answer the
 * maintainer wrote, `question` and `answer` both required, proposed (`status` null) or approved at once.
 */
export const ZMaintainerAnswerPost = z
  .object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    status: z.enum(['approved', 'rejected']).nullable(),
    question: ZQuestion.optional(),
    answer: ZAnswer.optional(),
  })
  .strict()
  .superRefine((post, ctx) => {
    if (post.id !== undefined) return;
    if (post.question === undefined) ctx.addIssue({ code: 'custom', path: ['question'], message: 'a new answer needs a question' });
    if (post.answer === undefined) ctx.addIssue({ code: 'custom', path: ['answer'], message: 'a new answer needs an answer' });
    if (post.status === 'rejected') ctx.addIssue({ code: 'custom', path: ['status'], message: 'a new answer is approved or proposed (null)' });
  });
export type TMaintainerAnswerPost = z.infer<typeof ZMaintainerAnswerPost>;
export type TMaintainerAnswerDecision = TMaintainerAnswerPost & { id: number };
export type TMaintainerAnswerDraft = { question: string; answer: string; status: 'approved' | null };

export type TMaintainerAnswersDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null; privacy?: TPrivacy; config: TSourcesConfig };

/** The kind of source approved answers are (lib/docs/sources/answers), by its label in the registry. */
const ANSWER_KIND = 'answer';

function toView(row: TMaintainerAnswerRow): TMaintainerAnswer {
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    status: row.status,
    origin: row.origin,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    ...(row.status === 'approved' ? { url: maintainerAnswerHref(row.id) } : {}),
  };
}

export async function listMaintainerAnswersView({ db }: { db: TDb }): Promise<TMaintainerAnswersView> {
  const lists = await listMaintainerAnswers({ db, limit: LIST_LIMIT });
  return { proposed: lists.proposed.map(toView), approved: lists.approved.map(toView), rejected: lists.rejected.map(toView) };
}

/** A maintainer's text as it is stored and published: masked as a reader's is; undefined when nothing is left. */
function maskOf(deps: TMaintainerAnswersDeps) {
  const privacy = deps.privacy ?? DEFAULT_PRIVACY;
  return (text: string | undefined) => (text === undefined ? undefined : privacy.mask(text).text.trim() || undefined);
}

/** An approved answer's embedding follows in the background when embeddings are on: until then full-text search finds it. */
function embedIfApproved(deps: TMaintainerAnswersDeps, row: TMaintainerAnswerRow) {
  const { embedder } = deps;
  if (embedder && row.status === 'approved') {
    void embedMissingSections({ db: deps.db, embedder }).catch((error: unknown) =>
      deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'embedding an approved answer failed; full-text search finds it meanwhile'),
    );
  }
}

/**
 * A decision (and its edits): approved, the answer's page is in the index when this returns; rejected or back to
 * proposed (null), it is out of the index when this returns. 404 for an unknown id.
 */
export async function decideMaintainerAnswer({ deps, decision }: { deps: TMaintainerAnswersDeps; decision: TMaintainerAnswerDecision }): Promise<TMaintainerAnswer> {
  const mask = maskOf(deps);
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
  embedIfApproved(deps, row);
  return toView(row);
}

/**
 * A maintainer's own answer: stored proposed, or approved at once (its page in the index when this returns, built
 * by the answers kind as after a decision). 409 when an answer that is not rejected has the same question; 400 when masking leaves nothing.
 */
export async function writeMaintainerAnswer({ deps, draft }: { deps: TMaintainerAnswersDeps; draft: TMaintainerAnswerDraft }): Promise<TMaintainerAnswer> {
  const mask = maskOf(deps);
  const question = mask(draft.question);
  const answer = mask(draft.answer);
  if (question === undefined || answer === undefined) throw new AppError('bad_request', 'A question and an answer need text.');
  const row = await createMaintainerAnswer({ db: deps.db, question, answer, status: draft.status });
  deps.log.info({ answerId: row.id, status: row.status }, 'maintainers’ answer written');
  if (row.status === 'approved') await syncKindNow({ kind: ANSWER_KIND, deps, config: deps.config });
  embedIfApproved(deps, row);
  return toView(row);
}

/** POST's one entry: a decision on an answer (200), or a new answer (201). */
export async function postMaintainerAnswer({ deps, post }: { deps: TMaintainerAnswersDeps; post: TMaintainerAnswerPost }): Promise<{ status: 200 | 201; answer: TMaintainerAnswer }> {
  if (post.id !== undefined) return { status: 200, answer: await decideMaintainerAnswer({ deps, decision: { ...post, id: post.id } }) };
  const draft = { question: post.question ?? '', answer: post.answer ?? '', status: post.status === 'approved' ? ('approved' as const) : null };
  return { status: 201, answer: await writeMaintainerAnswer({ deps, draft }) };
}

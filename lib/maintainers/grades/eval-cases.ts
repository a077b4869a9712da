import { z } from 'zod';
import { MAINTAINER_ACCESS } from '../../audiences';
import { createEvalCaseByMessage, deleteEvalCaseById, listEvalCases, type TEvalCaseRow } from '../../db/answer-grades';
import type { TDb } from '../../db/types';
import { readVisibleIndex } from '../../docs/gate';
import { AppError } from '../../errors';

// Eval cases from conversations: a maintainer names, for an answer that went wrong, the docs page that should have
// answered its question. Kept in the database, and downloaded as the JSONL `npm run eval` reads (scripts/eval.ts:
// one {"question", "expected": [page]} per line), so that a team's CI keeps the question answered
// (content/docs/guides/evaluate.mdx). The pages offered and accepted are read through the docs' read gate with the
// maintainers' access: every indexed page, and nothing that is not one.

const MAX_EVAL_CASES = 10_000;

export const ZCreateEvalCase = z
  .object({
    messageId: z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/, 'messageId is an answer id (msg_…)'),
    path: z.string().trim().min(1).max(1000),
  })
  .strict();
export type TCreateEvalCase = z.infer<typeof ZCreateEvalCase>;

export const ZEvalCaseId = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

/** The pages a maintainer may name, by title. */
export async function listEvalCasePages({ db }: { db: TDb }): Promise<{ path: string; title: string }[]> {
  const visible = await readVisibleIndex({ db, access: MAINTAINER_ACCESS });
  return visible
    .pages()
    .map((page) => ({ path: page.path, title: page.title || page.path }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.path.localeCompare(b.path));
}

/** Makes (or, for an answer that has one, re-points) the eval case; 400 for a page the docs do not have, 404 for no such answer. */
export async function createEvalCase({ db, input }: { db: TDb; input: TCreateEvalCase }): Promise<TEvalCaseRow> {
  const page = (await listEvalCasePages({ db })).find((candidate) => candidate.path === input.path);
  if (!page) throw new AppError('bad_request', 'path: not a page of the docs (choose one from the list).');
  return createEvalCaseByMessage({ db, messageId: input.messageId, expectedPath: page.path, expectedTitle: page.title });
}

export async function deleteEvalCase({ db, id }: { db: TDb; id: number }): Promise<{ id: number; deleted: true }> {
  if (!(await deleteEvalCaseById({ db, id }))) throw new AppError('not_found', 'No such eval case.');
  return { id, deleted: true };
}

export function listAllEvalCases({ db }: { db: TDb }) {
  return listEvalCases({ db, limit: MAX_EVAL_CASES });
}

/** The eval cases as `npm run eval` reads them: one JSON object per line, oldest first. */
export function evalCasesJsonl(cases: Pick<TEvalCaseRow, 'question' | 'expected_path'>[]): string {
  return cases.map((row) => `${JSON.stringify({ question: row.question.replace(/\s+/g, ' ').trim(), expected: [row.expected_path] })}\n`).join('');
}

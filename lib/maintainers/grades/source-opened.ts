import { z } from 'zod';
import { ZMessageId, ZThreadId } from '../../assistant/schemas';
import { recordAnswerSourceOpened } from '../../db/answer-grades';
import type { TDb } from '../../db/types';

// A reader opened a source their answer cites (components/assistant: a click on a cited link). One of the signals an
// answer is graded by (66_answer_grades.sql): only the thread's owner records it, only for a URL the answer cites,
// once per answer and URL; nothing else about the reader is kept.

export const ZSourceOpened = z
  .object({
    threadId: ZThreadId,
    messageId: ZMessageId,
    url: z.string().trim().min(1).max(2000),
  })
  .strict();
export type TSourceOpened = z.infer<typeof ZSourceOpened>;

/** `recorded` false when the answer does not cite that URL; 404 for a thread that is not the caller's. */
export async function recordSourceOpenedForCaller({ deps, owner, input }: { deps: { db: TDb }; owner: string; input: TSourceOpened }): Promise<{ recorded: boolean }> {
  return { recorded: await recordAnswerSourceOpened({ db: deps.db, owner, threadId: input.threadId, messageId: input.messageId, url: input.url }) };
}

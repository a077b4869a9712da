import type { TDb } from '../db/types';
import { ZThreadId } from '../assistant/schemas';
import { isAppError } from '../errors';
import { isMaintainerLinkValid } from './links';
import { getTranscriptForMaintainer, type TTranscriptView } from './transcript';

export type TTranscriptPageResult = { notFound: true } | { props: { transcript: TTranscriptView } };

/** The transcript page's data: 404 for a malformed id, a missing/expired/wrong signature, or no such thread. */
export async function loadTranscriptPage({
  deps,
  threadId,
  query,
}: {
  deps: { db: TDb; sessionSecret: string };
  threadId: unknown;
  query: Record<string, string | string[] | undefined>;
}): Promise<TTranscriptPageResult> {
  const parsed = ZThreadId.safeParse(threadId);
  if (!parsed.success) return { notFound: true };
  const scope = { type: 'transcript' as const, threadId: parsed.data };
  if (!isMaintainerLinkValid({ secret: deps.sessionSecret, scope, exp: query.exp, sig: query.sig })) return { notFound: true };
  try {
    return { props: { transcript: await getTranscriptForMaintainer({ db: deps.db, threadId: parsed.data }) } };
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return { notFound: true };
    throw error;
  }
}

import { recordChatInbox, type TInboxDelivery } from '../db/chat-inbox';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { DEFAULT_PRIVACY, maskedMetadata, type TPrivacy } from '../privacy/mask';

// What every door's endpoint does with a delivery, within the chat service's three seconds: read it only when
// its signature is the service's (the door checks it, each service signs its own way), and write a question down
// once (a delivery repeated is the same row), masked as on the site, waking the door's worker (./worker.ts) to
// answer it later, on whichever instance takes its lease.

export type TIntakeDeps = { db: TDb; privacy?: TPrivacy };

/** The delivery's JSON, once its signature is checked: 401 unless `isSigned`, 400 for a body that is not JSON. */
export function readSignedJson({ isSigned, body, label }: { isSigned: boolean; body: Buffer; label: string }): unknown {
  if (!isSigned) throw new AppError('unauthorized', `The request is not signed by ${label}, or the signature is too old.`);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
}

/** Records a question (its text masked; what was masked in its metadata) once; wakes the worker when it is new. */
export async function enqueueQuestion({
  deps,
  delivery,
  wake,
}: {
  deps: TIntakeDeps;
  delivery: TInboxDelivery;
  wake: () => void;
}): Promise<'queued' | 'duplicate'> {
  const masked = (deps.privacy ?? DEFAULT_PRIVACY).mask(delivery.text);
  const recorded = await recordChatInbox({
    db: deps.db,
    delivery: { ...delivery, text: masked.text, metadata: { ...maskedMetadata(masked), ...delivery.metadata } },
  });
  if (recorded.status === 'queued') wake();
  return recorded.status;
}

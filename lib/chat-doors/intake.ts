import type { IncomingHttpHeaders } from 'node:http';
import { recordChatInbox, type TInboxDelivery } from '../db/chat-inbox';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { DEFAULT_PRIVACY, maskedMetadata, type TPrivacy } from '../privacy/mask';
import { parseSignedJson } from '../shared/text';
import { currentTraceparent } from '../telemetry';

/** Where a question's inbox row keeps the trace of its delivery (never copied onto the stored message: ./drive.ts). */
export const TRACEPARENT_KEY = 'traceparent';

// What every door's endpoint does with a delivery, within the chat service's three seconds: read it only when
// its signature is the service's (the door checks it, each service signs its own way), and write a question down
// once (a delivery repeated is the same row), masked as on the site, waking the door's worker (./worker.ts) to
// answer it later, on whichever instance takes its lease.

export type TIntakeDeps = { db: TDb; privacy?: TPrivacy };

/** A delivery as a door's endpoint receives it: the raw body (the signature is over its bytes) and the headers. */
export type TSignedDelivery = { headers: IncomingHttpHeaders; body: Buffer; nowMs?: number };

/** What a door's signature check reads: the signature and its timestamp (as the headers carry them), the body, the time. */
export type TSignatureParts = { timestamp: unknown; signature: unknown; body: Buffer; nowMs?: number };

/** Whether a signature's timestamp (seconds, as a header carries it) is within `windowSeconds` of now: an older one is a replay. */
export function isTimestampFresh(timestamp: unknown, nowMs: number, windowSeconds: number): timestamp is string {
  return typeof timestamp === 'string' && /^\d{1,12}$/.test(timestamp) && Math.abs(nowMs / 1000 - Number(timestamp)) <= windowSeconds;
}

/** A delivery and how its door checks it: `isSigned` given the two headers `headerNames` names. */
type TSignedCheck = {
  delivery: TSignedDelivery;
  /** The service, as the refusal names it. */
  label: string;
  headerNames: { timestamp: string; signature: string };
  isSigned(parts: TSignatureParts): boolean;
};

/** 401 unless `isSigned` (the door's check, given its two headers) holds for the delivery: nothing else is read before. */
export function assertSigned({
  delivery,
  label,
  headerNames,
  isSigned,
}: TSignedCheck): void {
  const { headers, body, nowMs } = delivery;
  if (!isSigned({ timestamp: headers[headerNames.timestamp], signature: headers[headerNames.signature], body, nowMs })) {
    throw new AppError('unauthorized', `The request is not signed by ${label}, or the signature is too old.`);
  }
}

/**
 * The delivery's JSON, once its signature is checked: 401 unless `isSigned` (the door's check, given its two
 * headers) holds, 400 for a body that is not JSON; what Postgres cannot store is dropped (parseSignedJson).
 */
export function readSignedJson({
  delivery,
  label,
  headerNames,
  isSigned,
}: TSignedCheck): unknown {
  assertSigned({ delivery, label, headerNames, isSigned });
  try {
    return parseSignedJson(delivery.body.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
}

function traceparentField(): { [TRACEPARENT_KEY]?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { [TRACEPARENT_KEY]: traceparent } : {};
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
    // The delivery's trace (the endpoint's request) goes with the question: the worker that answers it, on whichever
    // instance, continues it (./worker.ts), so that one trace reaches from the delivery to the posted reply.
    delivery: { ...delivery, text: masked.text, metadata: { ...maskedMetadata(masked), ...delivery.metadata, ...traceparentField() } },
  });
  if (recorded.status === 'queued') wake();
  return recorded.status;
}

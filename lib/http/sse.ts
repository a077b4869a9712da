import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../errors';
import type { TLogger } from '../log';

// Server-sent events over Node's response. A route that streams returns `eventStream(produce)` from its
// handler (lib/http/index.ts): everything the handler does before returning (parsing, ownership checks) still
// fails with the JSON error contract; once `produce` runs, the status is 200 and the body is events.

export type TSseWriter = {
  /** Aborted when the reader disconnects. */
  signal: AbortSignal;
  send(event: { event: string; data: unknown; id?: string }): void;
  comment(text: string): void;
  /** Milliseconds since anything was written (for heartbeats). */
  idleMs(): number;
};

export type TSseProducer = (sse: TSseWriter) => Promise<void>;
export type TEventStreamResult = { eventStream: TSseProducer };

export function eventStream(produce: TSseProducer): TEventStreamResult {
  return { eventStream: produce };
}

export function isEventStreamResult(value: unknown): value is TEventStreamResult {
  return typeof value === 'object' && value !== null && typeof (value as TEventStreamResult).eventStream === 'function';
}

/**
 * A stream that is not served (the answer to a HEAD request): its producer runs against a reader already gone,
 * writing nothing, so that what opening it took (a stream slot, a followed run) is given back.
 */
export async function cancelEventStream(produce: TSseProducer): Promise<void> {
  const gone = new AbortController();
  gone.abort();
  await produce({ signal: gone.signal, send: () => {}, comment: () => {}, idleMs: () => 0 });
}

/** How long a disconnected EventSource waits before reconnecting (sent once, as `retry:`). */
export const SSE_RETRY_MS = 1000;

export async function serveEventStream({
  req,
  res,
  produce,
  log,
  errorBody: toErrorData = errorBody,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  produce: TSseProducer;
  log?: TLogger;
  /** The data of the `error` event sent when `produce` fails (the site's error body, or /v1's). */
  errorBody?: (code: string, message: string) => unknown;
}): Promise<void> {
  const disconnected = new AbortController();
  // The response's 'close' is the connection going away (the request's fires once its body is read).
  const onClose = () => disconnected.abort();
  res.on('close', onClose);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  // no-transform: keeps compression (Next's, a proxy's) from buffering the events.
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  req.socket?.setNoDelay?.(true);
  let lastWriteAt = performance.now();
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) return;
    res.write(text);
    lastWriteAt = performance.now();
  };
  write(`retry: ${SSE_RETRY_MS}\n\n`);
  const writer: TSseWriter = {
    signal: disconnected.signal,
    send({ event, data, id }) {
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\n${payload.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
    },
    comment(text) {
      write(`: ${text.replace(/\n/g, ' ')}\n\n`);
    },
    idleMs: () => performance.now() - lastWriteAt,
  };
  try {
    await produce(writer);
  } catch (error) {
    // Headers are gone: the failure is told as an event, and the reader's EventSource reconnects.
    log?.error({ err: error }, 'event stream failed');
    writer.send({ event: 'error', data: toErrorData('internal', 'The event stream failed. Reconnect to resume.') });
  } finally {
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
  }
}

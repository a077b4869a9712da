import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';

// When a model request has left this process. The run engine does its bookkeeping while the model works, and with
// the embedded store (PGlite) every query runs on this thread: started before the request's bytes are on the
// socket, it holds the request back by its length (3-4 ms a round in the streaming bench). Node's fetch (undici,
// which the OpenAI SDK calls) publishes on its diagnostics channels when it creates a request and when the
// request's body has been written; a request created inside `whenRequestSent`'s call is known by the async
// context it is created in, so concurrent calls never answer for each other.
//
// Written is not yet read. A model server on this machine (Ollama, llama.cpp, the benches' fake) is woken by the
// request, and the kernel tends to wake it on the CPU of the process that wrote to it, this one: bookkeeping started
// at once kept it from running until the first query was over (+3-4 ms to a tool round, in up to 4 in 10 of the
// streaming bench's conversations). So the body written counts once this thread has slept one timer tick after it.
//
// Contract: the promise resolves once, at the first of: the request's body written, then a timer tick;
// `markAnswered` (the model's first delta: the request surely left); the call settled (a fetch that is not undici's,
// as msw's in tests, an adapter without HTTP, a failure to connect); or `boundMs` after the call started, so that a
// slow connection never holds the bookkeeping (or a reader's answer) for long. Never rejects.

type TPending = { resolve(): void };

const context = new AsyncLocalStorage<TPending>();
const byRequest = new WeakMap<object, TPending>();
let isSubscribed = false;

/** Past this, the work waiting for a request goes on without knowing it left: a connection is slow to open. */
const REQUEST_SENT_BOUND_MS = 50;

function subscribe(): void {
  if (isSubscribed) return;
  isSubscribed = true;
  diagnostics.subscribe('undici:request:create', (message) => {
    const pending = context.getStore();
    const request = (message as { request?: object }).request;
    if (pending && request) byRequest.set(request, pending);
  });
  diagnostics.subscribe('undici:request:bodySent', (message) => {
    const request = (message as { request?: object }).request;
    const pending = request ? byRequest.get(request) : undefined;
    if (pending) setTimeout(pending.resolve, 0);
  });
}

export type TRequestSent<T> = {
  /** The call's own promise. */
  result: Promise<T>;
  /** Resolves once the call's request has left (see the contract above). */
  sent: Promise<void>;
};

/** Runs `call`, which is given `markAnswered`: what it calls when the model answers something (the request has left). */
export function whenRequestSent<T>(call: (markAnswered: () => void) => Promise<T>, boundMs = REQUEST_SENT_BOUND_MS): TRequestSent<T> {
  subscribe();
  let resolveSent: () => void = () => {};
  const sent = new Promise<void>((resolve) => {
    resolveSent = resolve;
  });
  const pending: TPending = {
    resolve() {
      clearTimeout(timer);
      resolveSent();
    },
  };
  const timer = setTimeout(pending.resolve, boundMs);
  timer.unref?.();
  const result = context.run(pending, () => call(pending.resolve));
  result.then(pending.resolve, pending.resolve);
  return { result, sent };
}

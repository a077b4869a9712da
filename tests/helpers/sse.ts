import { createSseParser, type TSseEvent } from '@/lib/shared/stream-protocol';

// Reads a run's event stream over real HTTP with fetch, as a browser's EventSource would (minus the automatic
// reconnect, which the tests do by hand with the last event id).

export type TReadEvent = TSseEvent & { json: any };

export type TEventReader = {
  status: number;
  headers: Headers;
  /** Every event received so far. */
  events: TReadEvent[];
  lastEventId: string | undefined;
  /** Resolves once an event matches (or rejects when the stream ends first / after timeoutMs). */
  waitFor(predicate: (event: TReadEvent) => boolean, timeoutMs?: number): Promise<TReadEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Disconnects, as a closed tab or a dropped network would. */
  close(): void;
};

export async function openEventStream(
  url: string,
  { cookie, lastEventId }: { cookie?: string; lastEventId?: string } = {},
): Promise<TEventReader & { body?: unknown }> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (cookie) headers.cookie = cookie;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: TReadEvent[] = [];
  const listeners = new Set<() => void>();
  let isEnded = false;
  const parser = createSseParser();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const body = await response.json().catch(() => undefined);
    return {
      status: response.status,
      headers: response.headers,
      body,
      events,
      lastEventId: undefined,
      waitFor: () => Promise.reject(new Error('not an event stream')),
      ended: Promise.resolve(),
      close: () => controller.abort(),
    };
  }
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
          events.push({ ...event, json: parseJson(event.data) });
        }
        for (const listener of listeners) listener();
      }
    } catch {
      // Aborted by close().
    } finally {
      isEnded = true;
      for (const listener of listeners) listener();
    }
  })();
  const reader: TEventReader = {
    status: response.status,
    headers: response.headers,
    events,
    get lastEventId() {
      return parser.lastEventId;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) return done(() => resolve(found));
          if (isEnded) return done(() => reject(new Error(`stream ended without the event; got ${events.map((e) => e.event).join(', ')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no such event in time; got ${events.map((e) => e.event).join(', ')}`))), timeoutMs);
        const done = (then: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
    ended,
    close: () => controller.abort(),
  };
  return reader;
}

function parseJson(data: string): any {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** The deltas' text, checking that each starts exactly where the text so far ends (no gap, no overlap). */
export function joinContiguousDeltas(events: TReadEvent[], start = ''): string {
  let text = start;
  for (const event of events.filter((entry) => entry.event === 'thread.message.delta')) {
    if (event.json.offset !== text.length) throw new Error(`delta at offset ${event.json.offset}, text has ${text.length} characters`);
    text += event.json.delta.content[0].text.value;
  }
  return text;
}

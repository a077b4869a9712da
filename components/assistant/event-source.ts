import { createSseParser } from '@/lib/shared/stream-protocol';
import { requestHeaders } from './api';

// The run's event stream. The site's pages use the browser's EventSource (the session cookie rides along).
// The embed frame has no cookie: its session is a header (X-Embed-Token), which EventSource cannot send, so
// there the stream is read with fetch, behind the same small surface the run follower uses: named events as
// MessageEvents, `error` as a plain Event when the connection fails (and `readyState` CLOSED when the server
// answered with an error status), reconnecting with Last-Event-ID otherwise, as EventSource does.

export type TEventSourceLike = {
  readonly readyState: number;
  close(): void;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
};

const RECONNECT_MS = 1000;
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

export function openEventSource(url: string): TEventSourceLike {
  const headers = requestHeaders();
  if (Object.keys(headers).length === 0 && typeof window.EventSource === 'function') return new EventSource(url);
  return new FetchEventSource(url, headers);
}

class FetchEventSource implements TEventSourceLike {
  readyState: number = CONNECTING;
  private readonly target = new EventTarget();
  private readonly controller = new AbortController();
  private lastEventId: string | undefined;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {
    void this.run();
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.target.addEventListener(type, listener as EventListener);
  }

  private dispatchEvent(event: Event): void {
    this.target.dispatchEvent(event);
  }

  close(): void {
    this.readyState = CLOSED;
    this.controller.abort();
  }

  private async run(): Promise<void> {
    while (this.readyState !== CLOSED) {
      try {
        const response = await fetch(new URL(this.url, window.location.href), {
          headers: { ...this.headers, Accept: 'text/event-stream', ...(this.lastEventId ? { 'Last-Event-ID': this.lastEventId } : {}) },
          credentials: 'same-origin',
          cache: 'no-store',
          signal: this.controller.signal,
        });
        if (!response.ok || !response.body) {
          // As EventSource: an error status ends the stream for good.
          this.readyState = CLOSED;
          this.dispatchEvent(new Event('error'));
          return;
        }
        this.readyState = OPEN;
        const parser = createSseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (this.readyState === CLOSED) return;
            if (event.id !== undefined) this.lastEventId = event.id;
            this.dispatchEvent(new MessageEvent(event.event, { data: event.data, lastEventId: event.id ?? '' }));
          }
        }
      } catch {
        if (this.readyState === CLOSED) return;
      }
      if (this.readyState === CLOSED) return;
      this.readyState = CONNECTING;
      this.dispatchEvent(new Event('error'));
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }
}

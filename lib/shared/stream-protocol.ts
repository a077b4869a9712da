// The run event stream's wire format, shared by the server (lib/assistant/streaming/events-stream.ts), the browser
// (components/assistant) and the tests and bench that read it. No Node or DOM imports here.
//
// GET /api/paste-assistant-thread/[tid]/run/[rid]/events answers text/event-stream with, in order of need:
//   event: thread.run.<status>       data: the run object, whenever its status changes (and once on connect), and
//                                    for a research run whenever its `research_steps` change (./research-steps.ts)
//   event: thread.message.delta      data: {id, object, run_id, offset, delta: {content: [{index: 0, type: 'text', text: {value}}]}}
//   event: thread.message.completed  data: the message object with its final content and citations
//   event: thread.message.incomplete data: the message object, when the run ended without completing
//   event: done                      data: [DONE]  (the run ended; the server closes the stream)
//   event: error                     data: {error: {code, message}}  (the stream failed after it started)
// plus `: ping` comments every 15 s. Names and payloads follow OpenAI's Assistants streaming events, with one
// addition: a delta carries `offset`, the UTF-16 index at which its value starts in the run's answer text.
// A reader applies it as `text = text.slice(0, offset) + value` (applyTextDelta): usually an append; offset 0
// replaces the text (a retried step, or text dropped before a tool call); a shorter offset trims it.
//
// Every event has an id: a cursor `<run status>.<text length>.<hash of the text>` of what the reader has after
// that event. Reconnecting with it (Last-Event-ID, which EventSource sends by itself, or `?cursor=` after a
// page reload, built from the persisted text with cursorFor) resumes with the text the reader lacks: nothing
// twice, nothing missing. A cursor whose text the server cannot verify (the text changed meanwhile) gets the
// whole text again from offset 0.

import { isRunStatus, RUN_STATUSES, type TRunStatus } from './runs';

type TStreamRunStatus = TRunStatus;

export const DONE_EVENT = 'done';
export const DELTA_EVENT = 'thread.message.delta';
export const MESSAGE_COMPLETED_EVENT = 'thread.message.completed';
export const MESSAGE_INCOMPLETE_EVENT = 'thread.message.incomplete';
export const ERROR_EVENT = 'error';
export const runEventName = (status: TStreamRunStatus) => `thread.run.${status}`;
export const RUN_EVENT_NAMES = RUN_STATUSES.map(runEventName);

export type TTextDelta = {
  /** The message id, or null before the message exists in the store. */
  id: string | null;
  object: 'thread.message.delta';
  run_id: string;
  offset: number;
  delta: { content: [{ index: 0; type: 'text'; text: { value: string } }] };
};

export function buildTextDelta({ messageId, runId, offset, value }: { messageId: string | null; runId: string; offset: number; value: string }): TTextDelta {
  return {
    id: messageId,
    object: 'thread.message.delta',
    run_id: runId,
    offset,
    delta: { content: [{ index: 0, type: 'text', text: { value } }] },
  };
}

export function applyTextDelta(text: string, delta: Pick<TTextDelta, 'offset' | 'delta'>): string {
  const value = delta.delta.content.map((part) => part.text.value).join('');
  return text.slice(0, Math.min(Math.max(0, delta.offset), text.length)) + value;
}

// FNV-1a, 32 bits, over UTF-16 code units: cheap, incremental, and the same in every JavaScript runtime.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashText(text: string, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

export type TStreamCursor = { status: TStreamRunStatus | null; offset: number; hash: number };

export function encodeCursor(cursor: TStreamCursor): string {
  return `${cursor.status ?? '-'}.${cursor.offset}.${cursor.hash.toString(16).padStart(8, '0')}`;
}

const CURSOR = /^(-|[a-z_]{1,20})\.(\d{1,9})\.([0-9a-f]{8})$/;

/** A cursor from Last-Event-ID or ?cursor=; null when it is not one. */
export function parseCursor(value: string | undefined | null): TStreamCursor | null {
  const match = CURSOR.exec(value?.trim() ?? '');
  if (!match) return null;
  const status = match[1] === '-' ? null : (match[1] as TStreamRunStatus);
  if (status !== null && !isRunStatus(status)) return null;
  return { status, offset: Number(match[2]), hash: Number.parseInt(match[3] as string, 16) };
}

/** The cursor of a reader that has `text` and has seen the run in `status` (e.g. after reloading a page). */
export function cursorFor(text: string, status: TStreamRunStatus | null): string {
  return encodeCursor({ status, offset: text.length, hash: hashText(text) });
}

export type TSseEvent = { event: string; data: string; id: string | undefined };

/**
 * An incremental text/event-stream parser (the browser's EventSource does this itself; tests and the bench
 * read streams with fetch). Feed it chunks; it returns the complete events they finish.
 */
export function createSseParser(): { push(chunk: string): TSseEvent[]; lastEventId: string | undefined } {
  let buffer = '';
  let lastEventId: string | undefined;
  return {
    get lastEventId() {
      return lastEventId;
    },
    push(chunk) {
      buffer += chunk.replace(/\r\n?/g, '\n');
      const events: TSseEvent[] = [];
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        let event = 'message';
        const data: string[] = [];
        let id: string | undefined;
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
        }
        if (id !== undefined) lastEventId = id;
        if (data.length > 0) events.push({ event, data: data.join('\n'), id });
      }
      return events;
    },
  };
}

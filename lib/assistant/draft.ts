import { randomUUID } from 'node:crypto';
import type { TApp } from '../app';
import { appendRunMessageById } from '../db/runs';
import type { TMessageRow } from '../db/rows';

// The answer while the model writes it. Text deltas go to three places:
//   - app.runState.live, at once, with an in-process `text` notification: event streams on this instance send
//     each delta as it arrives, without a database read;
//   - the run's in-progress assistant message in Postgres, at most every PERSIST_INTERVAL_MS (one write in
//     flight at a time; deltas that arrive meanwhile are coalesced into the next write), so that polling
//     clients and other instances see the text grow, and so that it survives a restart;
//   - nowhere else: the final content (with its citations) is written by complete_run_by_id.

export const PERSIST_INTERVAL_MS = 100;

export type TLiveDraft = { messageId: string; text: string };

export type TDraftWriter = {
  /** A raw text delta from the model. Never throws. */
  push(delta: string): void;
  /** Stops writing: cancels a pending write and waits for the one in flight. */
  stop(): Promise<void>;
  /** Writes whatever is not persisted yet (used before giving up on a run). */
  flush(): Promise<void>;
  readonly messageId: string;
  /** Database writes so far (a bench and test figure). */
  readonly writes: number;
};

export function newMessageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

/**
 * The part of the model's raw text a reader may see so far. It matches what the adapters finally store
 * (lib/assistant/model/shared.ts: a leading <think>…</think> block removed, then trimmed): a reasoning block is
 * hidden until it closes, and trailing whitespace is held back until more text follows, so that the streamed
 * text is always a prefix of the final answer.
 */
export function visibleText(raw: string): string {
  const lead = raw.trimStart();
  if (lead.startsWith(THINK_OPEN)) {
    const end = lead.indexOf(THINK_CLOSE);
    return end === -1 ? '' : lead.slice(end + THINK_CLOSE.length).trim();
  }
  // A tag still arriving ("<thi") is held back too.
  if (THINK_OPEN.startsWith(lead)) return '';
  return lead.trimEnd();
}

/** Length in Unicode code points, as Postgres counts characters. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
  }
  return count;
}

/** Length of the common prefix of two strings in UTF-16 units, never splitting a surrogate pair. */
export function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let index = 0;
  while (index < max && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  // Stopping right after a high surrogate would cut a pair (the low halves differ, or one string ended).
  const last = a.charCodeAt(index - 1);
  if (index > 0 && last >= 0xd800 && last <= 0xdbff) index -= 1;
  return index;
}

export function messageText(message: Pick<TMessageRow, 'content'> | null | undefined): string {
  return message?.content.map((part) => part.text.value).join('\n\n') ?? '';
}

export function createDraftWriter({
  app,
  runId,
  worker,
  existing,
  onInactive,
  intervalMs = PERSIST_INTERVAL_MS,
}: {
  app: TApp;
  runId: string;
  worker: string;
  /** The in-progress answer an earlier attempt at this step persisted (its executor died), if any. */
  existing: TMessageRow | null;
  /** The run is no longer in progress under this worker (cancelled, taken over): stop the model. */
  onInactive: () => void;
  intervalMs?: number;
}): TDraftWriter {
  const messageId = existing?.id ?? newMessageId();
  // A retried step usually writes the same words again: while the new text is a prefix of what is stored,
  // readers keep seeing the stored text instead of watching it shrink and regrow.
  const replayed = messageText(existing);
  let isReplaying = replayed !== '';
  let raw = '';
  let shown = replayed;
  let persisted = replayed;
  let lastWriteAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let isStopped = false;
  let writes = 0;

  const write = async (): Promise<void> => {
    const target = shown;
    if (target === persisted) return;
    const prefix = commonPrefixLength(persisted, target);
    lastWriteAt = performance.now();
    writes += 1;
    try {
      const result = await appendRunMessageById({
        db: app.db,
        runId,
        worker,
        messageId,
        offset: codePointLength(persisted.slice(0, prefix)),
        text: target.slice(prefix),
      });
      if (!result.is_active) {
        isStopped = true;
        onInactive();
        return;
      }
      // A gap means the stored text is not what this writer thought: the next write replaces it whole.
      persisted = result.is_gap ? '' : target;
    } catch (error) {
      // A failed write loses nothing: the next one sends everything not known to be stored.
      app.log.warn({ err: error, runId }, 'could not persist answer text');
    }
  };

  const schedule = () => {
    if (isStopped || inFlight || timer) return;
    const wait = lastWriteAt + intervalMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        schedule();
      }, wait);
      return;
    }
    inFlight = write().finally(() => {
      inFlight = undefined;
      if (shown !== persisted) schedule();
    });
  };

  return {
    messageId,
    get writes() {
      return writes;
    },
    push(delta) {
      if (isStopped || delta === '') return;
      raw += delta;
      const visible = visibleText(raw);
      const next = isReplaying && replayed.startsWith(visible) ? replayed : visible;
      if (next !== replayed) isReplaying = false;
      if (next === shown) return;
      shown = next;
      app.runState.live.set(runId, { messageId, text: shown });
      app.runEvents.notify(runId, 'text');
      schedule();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    async flush() {
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
      if (!isStopped && shown !== persisted) await write();
    },
  };
}

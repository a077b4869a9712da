import { randomUUID } from 'node:crypto';
import { appendRunMessageById } from '../db/runs';
import type { TMessageRow } from '../db/rows';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { messageText } from '../shared/messages';
import { toStorableText } from '../shared/text';

// The answer while the model writes it. Text deltas go to three places:
//   - `onText`, at once: the run engine keeps it as the run's live draft and notifies this process's event
//     streams, which send each delta as it arrives, without a database read;
//   - the run's in-progress assistant message in Postgres, at most every PERSIST_INTERVAL_MS and after the readers
//     are told (one write in flight at a time; deltas that arrive meanwhile are coalesced into the next write), so
//     that polling clients and other instances see the text grow, and so that it survives a restart;
//   - nowhere else: the final content (with its citations) is written by complete_run_by_id.

export const PERSIST_INTERVAL_MS = 100;

export type TLiveDraft = { messageId: string; text: string };

export type TDraftWriter = {
  /** A raw text delta from the model. Never throws. */
  push(delta: string): void;
  /** Stops writing: cancels a pending write (but a first one: see stop) and waits for the one in flight. */
  stop(): Promise<void>;
  /** Writes whatever is not persisted yet (used before giving up on a run). */
  flush(): Promise<void>;
  /** Replaces the answer with the model's final text (cut at maxChars), for an answer that was not streamed. */
  setText(text: string): void;
  /** The visible answer reached maxChars (and was cut there). */
  readonly isOverLimit: boolean;
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
 * The part of the model's raw text a reader may see so far. It matches what is finally stored (the adapters
 * remove a leading <think>…</think> block and trim, lib/model/shared.ts; the runtime then makes it
 * storable, lib/shared/text.ts): a reasoning block is hidden until it closes, and trailing whitespace (and a
 * trailing high surrogate, whose pair may follow) is held back until more text follows, so that the streamed
 * text is always a prefix of the final answer.
 */
export function visibleText(raw: string): string {
  return createVisibleText().push(raw);
}

export type TVisibleText = {
  /** Takes the next raw delta; returns the text that became visible with it ('' if none). */
  push(delta: string): string;
};

/**
 * visibleText, fed piece by piece in time proportional to each piece: the visible text only ever grows, and
 * nothing already seen is scanned again (a long answer costs linear time, not quadratic).
 */
export function createVisibleText(): TVisibleText {
  let phase: 'lead' | 'think' | 'body' = 'lead';
  let lead = '';
  // Inside a reasoning block only the tail that could start the closing tag is kept.
  let thinkTail = '';
  let isBodyStarted = false;
  let held = '';

  const feedBody = (chunk: string): string => {
    let text = chunk;
    if (!isBodyStarted) {
      text = text.trimStart();
      if (text === '') return '';
      isBodyStarted = true;
    }
    const combined = held + text;
    let cut = combined.length;
    for (;;) {
      while (cut > 0 && /\s/.test(combined.charAt(cut - 1))) cut -= 1;
      const last = combined.charCodeAt(cut - 1);
      if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut -= 1;
      else break;
    }
    held = combined.slice(cut);
    return toStorableText(combined.slice(0, cut));
  };

  return {
    push(delta) {
      if (delta === '') return '';
      if (phase === 'body') return feedBody(delta);
      if (phase === 'think') {
        const tail = thinkTail + delta;
        const end = tail.indexOf(THINK_CLOSE);
        if (end === -1) {
          thinkTail = tail.slice(-(THINK_CLOSE.length - 1));
          return '';
        }
        phase = 'body';
        thinkTail = '';
        return feedBody(tail.slice(end + THINK_CLOSE.length));
      }
      lead += delta;
      const trimmed = lead.trimStart();
      if (trimmed.startsWith(THINK_OPEN)) {
        phase = 'think';
        lead = '';
        return this.push(trimmed.slice(THINK_OPEN.length));
      }
      // A tag still arriving ("<thi") is held back too.
      if (THINK_OPEN.startsWith(trimmed)) return '';
      phase = 'body';
      lead = '';
      return feedBody(trimmed);
    },
  };
}

/** `text` cut to at most `maxChars` UTF-16 units without splitting a surrogate pair. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
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


export function createDraftWriter({
  db,
  log,
  runId,
  worker,
  existing,
  onText,
  onInactive,
  maxChars,
  onLimit,
  intervalMs = PERSIST_INTERVAL_MS,
}: {
  db: TDb;
  log: TLogger;
  runId: string;
  worker: string;
  /** The in-progress answer an earlier attempt at this step persisted (its executor died), if any. */
  existing: TMessageRow | null;
  /** The answer as a reader may see it now, ahead of what is persisted. */
  onText: (draft: TLiveDraft) => void;
  /** The run is no longer in progress under this worker (cancelled, taken over): stop the model. */
  onInactive: () => void;
  /** MAX_ANSWER_CHARS: the visible answer is cut there, and onLimit is called once. */
  maxChars: number;
  /** The answer reached maxChars: the model call should stop, and the run end incomplete. */
  onLimit: () => void;
  intervalMs?: number;
}): TDraftWriter {
  const messageId = existing?.id ?? newMessageId();
  // A retried step usually writes the same words again: while the new text is a prefix of what is stored,
  // readers keep seeing the stored text instead of watching it shrink and regrow.
  const replayed = messageText(existing);
  let isReplaying = replayed !== '';
  const visibleBuffer = createVisibleText();
  let visible = '';
  let isOverLimit = false;
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
        db,
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
      log.warn({ err: error, runId }, 'could not persist answer text');
    }
  };

  // A write that is due starts on a timer too, never inside push(): the delta that made it due reaches the
  // readers' event streams first (onText wakes them; they write in this turn of the event loop), and the embedded
  // store runs its queries on this same thread, so a write started at once held the first words back by its length.
  const schedule = () => {
    if (isStopped || inFlight || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (isStopped || inFlight) return;
      inFlight = write().finally(() => {
        inFlight = undefined;
        if (shown !== persisted) schedule();
      });
    }, Math.max(0, lastWriteAt + intervalMs - performance.now()));
  };

  return {
    messageId,
    get writes() {
      return writes;
    },
    get isOverLimit() {
      return isOverLimit;
    },
    push(delta) {
      if (isStopped || isOverLimit || delta === '') return;
      const added = visibleBuffer.push(delta);
      if (added === '') return;
      // Only the new piece is compared with the replayed text, so a long answer costs linear time.
      if (isReplaying && !replayed.startsWith(added, visible.length)) isReplaying = false;
      visible += added;
      if (visible.length > maxChars) {
        visible = cutText(visible, maxChars);
        isOverLimit = true;
        isReplaying = false;
        onLimit();
      }
      const next = isReplaying ? replayed : visible;
      if (next === shown) return;
      shown = next;
      onText({ messageId, text: shown });
      schedule();
    },
    setText(text) {
      if (isStopped) return;
      visible = cutText(text, maxChars);
      isOverLimit = text.length > maxChars;
      isReplaying = false;
      if (visible === shown) return;
      shown = visible;
      onText({ messageId, text: shown });
      schedule();
    },
    async stop() {
      // Text the readers were shown whose first write was still due is stored now: the message completing the answer
      // (complete_run_by_id) is then this one, with the id the readers' streams already know it by.
      const isUnstored = timer !== undefined && writes === 0;
      isStopped = true;
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
      if (isUnstored && shown !== persisted) await write();
    },
    async flush() {
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
      if (!isStopped && shown !== persisted) await write();
    },
  };
}

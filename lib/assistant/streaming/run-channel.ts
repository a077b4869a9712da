import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import { commonPrefixLength, type TLiveDraft } from '../draft';
import type { TRunEvents } from './events';

// Run changes across instances, over the database's notifications (LISTEN/NOTIFY with Postgres; in-process
// with PGlite and supabase-js). The run engine publishes every transition it makes (`run`: read the run again)
// and the answer text its executor writes (`text`: offset + delta, ahead of what is persisted); each instance
// feeds what others publish into its own run events, and keeps the text as the run's remote live draft, so
// that its readers get it without a database read.
//
// Text travels as (offset, delta) against the text this sender published before, in order (the transport keeps
// one sender's notifications in order). A receiver that lacks the text before an offset (it started, or its
// listening connection came back, mid-answer) drops its copy and tells its readers to read the stored draft.

export const RUN_CHANNEL = 'pa_run';

/** UTF-16 units of text per notification: even if every one were escaped as \uXXXX, well under NOTIFY_MAX_BYTES. */
export const TEXT_CHUNK_UNITS = 1000;

type TRunNote =
  | { w: string; r: string; k: 'run' }
  | { w: string; r: string; k: 'text'; m: string; o: number; t: string };

type TRemoteDraft = TLiveDraft & { at: number };

export type TRunChannel = {
  /** The run changed here (a transition): other instances read it again. Text queued for it goes first. */
  publishRun(runId: string): void;
  /** The executor here has more answer text (coalesced: one notification per run per tick). */
  publishText(runId: string, draft: TLiveDraft): void;
  /** The executor's step ended: what was published for it is forgotten. */
  endText(runId: string): void;
  /** The answer another instance's executor is writing, as far as this instance heard it. */
  getRemoteDraft(runId: string): TLiveDraft | undefined;
  /** Forgets remote drafts not heard of for `maxAgeMs` (their run ended where nobody told us). */
  prune(maxAgeMs: number): void;
  close(): void;
};

export function createRunChannel({ db, workerId, events, log }: { db: TDb; workerId: string; events: TRunEvents; log: TLogger }): TRunChannel {
  const sent = new Map<string, TLiveDraft>();
  const pending = new Map<string, TLiveDraft>();
  const remote = new Map<string, TRemoteDraft>();
  let flushScheduled = false;

  const send = (note: TRunNote) => {
    void db.notify(RUN_CHANNEL, JSON.stringify(note));
  };

  const flushText = (runId: string) => {
    const draft = pending.get(runId);
    if (!draft) return;
    pending.delete(runId);
    const before = sent.get(runId);
    const base = before && before.messageId === draft.messageId ? before.text : '';
    let offset = base === '' ? 0 : commonPrefixLength(base, draft.text);
    if (offset === base.length && offset === draft.text.length && before) return;
    sent.set(runId, draft);
    const value = draft.text.slice(offset);
    if (value === '') {
      send({ w: workerId, r: runId, k: 'text', m: draft.messageId, o: offset, t: '' });
      return;
    }
    for (let start = 0; start < value.length; ) {
      let end = Math.min(value.length, start + TEXT_CHUNK_UNITS);
      const last = value.charCodeAt(end - 1);
      // A surrogate pair is never split between notifications.
      if (end < value.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      send({ w: workerId, r: runId, k: 'text', m: draft.messageId, o: offset, t: value.slice(start, end) });
      offset += end - start;
      start = end;
    }
  };

  const flushAll = () => {
    flushScheduled = false;
    for (const runId of [...pending.keys()]) flushText(runId);
  };

  const onNote = (payload: string | null) => {
    if (payload === null) {
      // Notifications may have been lost: every remote draft may be stale, and every follower reads again.
      remote.clear();
      events.notifyAll('run');
      return;
    }
    let note: TRunNote;
    try {
      note = JSON.parse(payload) as TRunNote;
    } catch {
      return;
    }
    if (typeof note !== 'object' || note === null || note.w === workerId || typeof note.r !== 'string') return;
    if (note.k === 'run') {
      remote.delete(note.r);
      events.notify(note.r, 'run');
      return;
    }
    if (note.k !== 'text' || typeof note.t !== 'string' || typeof note.o !== 'number') return;
    const known = remote.get(note.r);
    const hasBase = note.o === 0 || (known !== undefined && known.messageId === note.m && known.text.length >= note.o);
    if (!hasBase) {
      // A gap: this instance missed text. Its readers fall back to the stored draft until the step ends.
      if (known) remote.delete(note.r);
      events.notify(note.r, 'run');
      return;
    }
    const text = (note.o === 0 ? '' : (known?.text ?? '').slice(0, note.o)) + note.t;
    remote.set(note.r, { messageId: note.m, text, at: Date.now() });
    events.notify(note.r, 'text');
  };

  const unlisten = db.listen(RUN_CHANNEL, (payload) => {
    try {
      onNote(payload);
    } catch (error) {
      log.warn({ err: error }, 'run notification could not be handled');
    }
  });

  return {
    publishRun(runId) {
      flushText(runId);
      send({ w: workerId, r: runId, k: 'run' });
    },
    publishText(runId, draft) {
      pending.set(runId, draft);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(flushAll);
    },
    endText(runId) {
      flushText(runId);
      sent.delete(runId);
    },
    getRemoteDraft(runId) {
      const draft = remote.get(runId);
      return draft ? { messageId: draft.messageId, text: draft.text } : undefined;
    },
    prune(maxAgeMs) {
      const cutoff = Date.now() - maxAgeMs;
      for (const [runId, draft] of remote) if (draft.at < cutoff) remote.delete(runId);
    },
    close() {
      unlisten();
      pending.clear();
    },
  };
}

import type { TDb } from '../db/types';
import { createWake } from '../jobs';
import type { TReviewChannel } from './index';

// Slack's delivery loops across instances, over the database's notifications (LISTEN/NOTIFY with Postgres;
// in-process with PGlite and supabase-js). Something to post was queued: this instance's loop takes it now, and
// the other instances' loops hear of it too, so one whose loop is idle sooner delivers it. A notification is
// only a wake-up: every loop also polls the outbox.

export const OUTBOX_CHANNEL = 'pa_outbox';

export type TOutboxWakes = {
  /** Something that posts to Slack was stored: wakes this instance's loop and tells the others'. */
  wake(): void;
  /** Stops hearing the other instances. */
  stop(): void;
};

/** Wakes `slack`'s loop when this instance or another (`workerId` tells them apart) queued a post. */
export function connectOutboxWakes({ db, reviewChannel, workerId }: { db: Pick<TDb, 'notify' | 'listen'>; reviewChannel: Pick<TReviewChannel, 'wake'>; workerId: string }): TOutboxWakes {
  const wakes = createWake({ db, channel: OUTBOX_CHANNEL, worker: workerId, kick: () => reviewChannel.wake() });
  return { wake: wakes.wake, stop: wakes.listen() };
}

import type { TDb } from '../db/types';

// The wake: something a job should act on soon happened (a row queued). This process's loop is kicked at once;
// the other instances' loops hear of it through the database's notifications (LISTEN/NOTIFY on Postgres,
// in-process on PGlite), so whichever is idle sooner acts. A notification only wakes a loop, never carries data:
// the loops poll as well, so a missed one only delays.

export type TWake = {
  /** Kicks this process's loop and tells the other instances'. */
  wake(): void;
  /** Kicks the loop when another instance wakes this channel; returns the function that stops listening. */
  listen(): () => void;
};

export function createWake({ db, channel, worker, kick }: { db: Pick<TDb, 'notify' | 'listen'>; channel: string; worker: string; kick: () => void }): TWake {
  return {
    wake() {
      kick();
      void db.notify(channel, worker).catch(() => {
        // Other instances find the work at their next poll.
      });
    },
    listen() {
      return db.listen(channel, (sender) => {
        if (sender !== worker) kick();
      });
    },
  };
}

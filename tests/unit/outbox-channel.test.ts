import { describe, expect, it } from 'vitest';
import { createLocalNotifier } from '@/lib/db/notifications';
import { connectOutboxWakes } from '@/lib/review-channel/outbox-channel';

// Two instances' delivery loops on one database's notifications (the in-process transport PGlite uses): a post
// queued on one wakes its own loop at once and the other's through the channel, and each loop is woken once.

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('outbox wakes across instances', () => {
  it('wakes this loop at once and the other instances\' through the channel, never this one twice', async () => {
    const db = createLocalNotifier();
    const wakes = { a: 0, b: 0 };
    const a = connectOutboxWakes({ db, reviewChannel: { wake: () => (wakes.a += 1) }, workerId: 'worker_a' });
    const b = connectOutboxWakes({ db, reviewChannel: { wake: () => (wakes.b += 1) }, workerId: 'worker_b' });
    a.wake();
    expect(wakes).toEqual({ a: 1, b: 0 });
    await settle();
    expect(wakes).toEqual({ a: 1, b: 1 });

    b.wake();
    await settle();
    expect(wakes).toEqual({ a: 2, b: 2 });

    b.stop();
    a.wake();
    await settle();
    expect(wakes).toEqual({ a: 3, b: 2 });
    a.stop();
  });
});

import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRunEvents, type TRunChange } from '@/lib/assistant/streaming/events';
import { createRunChannel, RUN_CHANNEL } from '@/lib/assistant/streaming/run-channel';
import { createLocalNotifier } from '@/lib/db/notifications';
import { NOTIFY_MAX_BYTES, type TDb } from '@/lib/db/types';

// Two "instances" on one notification transport (in-process here; LISTEN/NOTIFY on Postgres is covered by the
// integration tests): what one publishes of a run reaches the other's run events and live drafts.

const log = pino({ level: 'silent' });

function buildPair() {
  const notifier = createLocalNotifier();
  const sentPayloads: string[] = [];
  const db = {
    ...notifier,
    transport: 'pglite',
    async notify(channel: string, payload: string) {
      sentPayloads.push(payload);
      await notifier.notify(channel, payload);
    },
    rpc: async () => null,
    close: async () => {},
  } as unknown as TDb;
  const eventsA = createRunEvents();
  const eventsB = createRunEvents();
  const a = createRunChannel({ db, workerId: 'worker_a', events: eventsA, log });
  const b = createRunChannel({ db, workerId: 'worker_b', events: eventsB, log });
  const heardByA: TRunChange[] = [];
  const heardByB: TRunChange[] = [];
  eventsA.on('run_1', (change) => heardByA.push(change));
  eventsB.on('run_1', (change) => heardByB.push(change));
  return { db, notifier, a, b, heardByA, heardByB, sentPayloads };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('run changes across instances', () => {
  it('carries the answer as offset + delta, coalesced per tick, and the sender does not hear itself', async () => {
    const { a, b, heardByA, heardByB, sentPayloads } = buildPair();
    a.publishText('run_1', { messageId: 'msg_1', text: 'Use the' });
    a.publishText('run_1', { messageId: 'msg_1', text: 'Use the destructive' });
    await settle();
    expect(sentPayloads).toHaveLength(1);
    expect(b.getRemoteDraft('run_1')).toEqual({ messageId: 'msg_1', text: 'Use the destructive' });
    a.publishText('run_1', { messageId: 'msg_1', text: 'Use the destructive variant.' });
    await settle();
    expect(JSON.parse(sentPayloads[1]!)).toMatchObject({ o: 'Use the destructive'.length, t: ' variant.' });
    expect(b.getRemoteDraft('run_1')?.text).toBe('Use the destructive variant.');
    expect(heardByB).toEqual(['text', 'text']);
    expect(heardByA).toEqual([]);
    expect(a.getRemoteDraft('run_1')).toBeUndefined();

    // A transition: pending text goes first, then the run change, which ends the remote draft.
    a.publishText('run_1', { messageId: 'msg_1', text: 'Use the destructive variant. Done' });
    a.publishRun('run_1');
    await settle();
    expect(sentPayloads.slice(-2).map((payload) => JSON.parse(payload).k)).toEqual(['text', 'run']);
    expect(heardByB.at(-1)).toBe('run');
    expect(b.getRemoteDraft('run_1')).toBeUndefined();
  });

  it('splits a long delta into notifications under the payload limit, never splitting a surrogate pair', async () => {
    const { a, b, sentPayloads } = buildPair();
    // Control characters are escaped as \u00XX in JSON (6 bytes each): the worst case for the size.
    const text = `${'\u0001'.repeat(1500)}${'😀'.repeat(1500)}${'é'.repeat(3001)}`;
    a.publishText('run_1', { messageId: 'msg_1', text });
    await settle();
    expect(sentPayloads.length).toBeGreaterThan(3);
    for (const payload of sentPayloads) expect(Buffer.byteLength(payload, 'utf8')).toBeLessThan(NOTIFY_MAX_BYTES);
    for (const payload of sentPayloads) expect(JSON.parse(payload).t).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    expect(b.getRemoteDraft('run_1')?.text).toBe(text);
  });

  it('on a gap (text it never heard the start of) drops its copy and asks readers to read the stored draft', async () => {
    const { notifier, b, heardByB } = buildPair();
    await notifier.notify(RUN_CHANNEL, JSON.stringify({ w: 'worker_a', r: 'run_1', k: 'text', m: 'msg_1', o: 0, t: 'Hello' }));
    await settle();
    expect(b.getRemoteDraft('run_1')?.text).toBe('Hello');
    // Offset 12: text between 5 and 12 was lost.
    await notifier.notify(RUN_CHANNEL, JSON.stringify({ w: 'worker_a', r: 'run_1', k: 'text', m: 'msg_1', o: 12, t: 'world' }));
    await settle();
    expect(b.getRemoteDraft('run_1')).toBeUndefined();
    expect(heardByB).toEqual(['text', 'run']);
    // A new step (offset 0) starts a copy again; a lost connection (null) drops everything and wakes every follower.
    await notifier.notify(RUN_CHANNEL, JSON.stringify({ w: 'worker_a', r: 'run_1', k: 'text', m: 'msg_2', o: 0, t: 'Again' }));
    await settle();
    expect(b.getRemoteDraft('run_1')?.text).toBe('Again');
    notifier.listen(RUN_CHANNEL, () => {});
    // What the Postgres listener does after reconnecting: every handler gets null.
    await (notifier as unknown as { notify(channel: string, payload: string | null): Promise<void> }).notify(RUN_CHANNEL, null as unknown as string);
    await settle();
    expect(b.getRemoteDraft('run_1')).toBeUndefined();
    expect(heardByB.at(-1)).toBe('run');
  });
});

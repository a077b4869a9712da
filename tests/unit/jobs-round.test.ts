import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRound } from '@/lib/jobs';

// lib/jobs' round on fake timers: which round runs when is asserted by advancing the clock, not by measuring it.

type TWarning = { fields: unknown; message: string };

function setup(overrides: Partial<Parameters<typeof createRound>[0]> = {}) {
  const warnings: TWarning[] = [];
  const log = { warn: (fields: unknown, message: string) => void warnings.push({ fields, message }) };
  let rounds = 0;
  let release: (() => void) | undefined;
  let isHeld = false;
  const round = createRound({
    name: 'test job',
    log,
    everyMs: 1000,
    round: async () => {
      rounds += 1;
      if (isHeld) await new Promise<void>((resolve) => (release = resolve));
    },
    ...overrides,
  });
  return {
    round,
    warnings,
    rounds: () => rounds,
    hold: () => {
      isHeld = true;
    },
    release: () => {
      isHeld = false;
      release?.();
    },
  };
}

describe('lib/jobs round', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    vi.useRealTimers();
  });

  it('runs the first round after firstDelayMs, then every everyMs; nothing before start() or after stop()', async () => {
    const { round, rounds } = setup({ firstDelayMs: 0 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(rounds()).toBe(0);
    round.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(rounds()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(rounds()).toBe(2);
    await round.stop();
    expect(round.isRunning).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rounds()).toBe(2);
    round.kick();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(rounds()).toBe(2);
  });

  it('without firstDelayMs, the first round waits everyMs; jitter keeps every delay within ± its fraction', async () => {
    const random = vi.spyOn(Math, 'random');
    try {
      random.mockReturnValue(0);
      const low = setup({ jitter: 0.25 });
      low.round.start();
      await vi.advanceTimersByTimeAsync(749);
      expect(low.rounds()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(low.rounds()).toBe(1);
      await low.round.stop();

      random.mockReturnValue(0.9);
      const high = setup({ jitter: 0.25 });
      high.round.start();
      await vi.advanceTimersByTimeAsync(1199);
      expect(high.rounds()).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(high.rounds()).toBe(1);
      await high.round.stop();
    } finally {
      random.mockRestore();
    }
  });

  it('runs one round at a time; a kick during a round runs another right after it, a kick when idle runs one soon', async () => {
    const job = setup({ firstDelayMs: 0 });
    job.hold();
    job.round.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(job.rounds()).toBe(1);
    job.round.kick();
    job.round.kick();
    await vi.advanceTimersByTimeAsync(5000);
    // Still the first round: no second one while it runs.
    expect(job.rounds()).toBe(1);
    job.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(job.rounds()).toBe(2);
    // Idle now: a kick runs a round without waiting for everyMs.
    await vi.advanceTimersByTimeAsync(100);
    job.round.kick();
    await vi.advanceTimersByTimeAsync(0);
    expect(job.rounds()).toBe(3);
    await job.round.stop();
  });

  it('stop() resolves only once the round in progress ended', async () => {
    const job = setup({ firstDelayMs: 0 });
    job.hold();
    job.round.start();
    await vi.advanceTimersByTimeAsync(0);
    let isStopped = false;
    const stopping = job.round.stop().then(() => {
      isStopped = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(isStopped).toBe(false);
    job.release();
    await stopping;
    expect(isStopped).toBe(true);
    expect(job.rounds()).toBe(1);
  });

  it('uses the delay a round returns; a round that throws is logged and the next comes after failureDelayMs', async () => {
    let calls = 0;
    const warnings: TWarning[] = [];
    const round = createRound({
      name: 'flaky',
      failureMessage: 'flaky failed; tried again later',
      log: { warn: (fields, message) => void warnings.push({ fields, message }) },
      everyMs: 60_000,
      firstDelayMs: 0,
      failureDelayMs: 3000,
      round: async () => {
        calls += 1;
        if (calls === 1) return 500;
        if (calls === 2) throw new Error('boom');
      },
    });
    round.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    expect(warnings).toEqual([{ fields: expect.objectContaining({ job: 'flaky' }), message: 'flaky failed; tried again later' }]);
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(3);
    await round.stop();
  });

  it('never runs a round before holdMs(), kicked or not', async () => {
    let pausedUntil = Date.now() + 10_000;
    const job = setup({ firstDelayMs: 0, holdMs: () => Math.max(0, pausedUntil - Date.now()) });
    job.round.start();
    job.round.kick();
    await vi.advanceTimersByTimeAsync(9999);
    expect(job.rounds()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(job.rounds()).toBe(1);
    pausedUntil = Date.now() + 5000;
    job.round.kick();
    await vi.advanceTimersByTimeAsync(4999);
    expect(job.rounds()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(job.rounds()).toBe(2);
    await job.round.stop();
  });

  it('does not keep the process alive: its timers are unref’d', async () => {
    vi.useRealTimers();
    const original = globalThis.setTimeout;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
      const timer = original(callback, ms);
      timers.push(timer);
      return timer;
    }) as typeof setTimeout);
    const job = setup({ firstDelayMs: 60_000 });
    try {
      job.round.start();
    } finally {
      spy.mockRestore();
    }
    expect(timers).toHaveLength(1);
    expect(timers[0]!.hasRef()).toBe(false);
    await job.round.stop();
  });
});

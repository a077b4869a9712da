/**
 * The wait before a failed delivery's next attempt: doubling from `baseMs` per attempt up to `maxMs`, less up to a
 * fifth at random so that rows that failed together do not all come back together.
 */
export function jitteredBackoffMs(attempts: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 20));
  return Math.round(exponential * (0.8 + Math.random() * 0.2));
}

import { describe, expect, it } from 'vitest';
import { jitteredBackoffMs } from '@/lib/jobs';

describe('the wait before a failed delivery\'s next attempt', () => {
  it('doubles per attempt from the base, never past the cap, less at most a fifth at random', () => {
    for (let round = 0; round < 50; round += 1) {
      for (const [attempts, full] of [[0, 1000], [1, 2000], [3, 8000], [10, 60_000], [40, 60_000]] as const) {
        const wait = jitteredBackoffMs(attempts, { baseMs: 1000, maxMs: 60_000 });
        expect(wait).toBeLessThanOrEqual(full);
        expect(wait).toBeGreaterThanOrEqual(Math.round(full * 0.8));
      }
    }
  });
});

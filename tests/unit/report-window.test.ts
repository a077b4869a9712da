import { describe, expect, it } from 'vitest';
import { resolveWindow, ZReportWindow } from '@/lib/maintainers/report';

describe('the maintainers report window', () => {
  const now = Date.parse('2026-11-23T12:00:00.123Z');

  it('ends after the current millisecond by default, so a row the database stamped microseconds into it counts', () => {
    const { from, to } = resolveWindow(ZReportWindow.parse({}), now);
    // A row stamped 12:00:00.123456 is at or after 12:00:00.123: a window ending at the millisecond's start left it out.
    expect(to.getTime()).toBeGreaterThan(now);
    expect(to.getTime() - now).toBeLessThanOrEqual(1);
    expect(to.getTime() - from.getTime()).toBe(7 * 86_400_000);
  });

  it('keeps an explicit end as given and refuses a start that is not before it', () => {
    const { from, to } = resolveWindow(ZReportWindow.parse({ to: '2026-11-20T00:00:00Z', days: 2 }), now);
    expect(to.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(from.toISOString()).toBe('2026-11-18T00:00:00.000Z');
    expect(() => resolveWindow(ZReportWindow.parse({ from: '2026-11-20T00:00:00Z', to: '2026-11-20T00:00:00Z' }), now)).toThrow(/before/);
  });
});

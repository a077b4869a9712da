import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

// RUN_PIPELINING switches the run engine's pipelined tool round (lib/assistant/engine/pipeline.ts): on by default, as
// the engine ran before the switch; off, the plain path. Anything else stops start-up with one line naming it.

const parse = (env: Record<string, string>) => parseConfig(env, '/srv/app');

describe('RUN_PIPELINING', () => {
  it('is on by default and when empty, off when set off', () => {
    expect(parse({}).runs.isPipelined).toBe(true);
    expect(parse({ RUN_PIPELINING: '' }).runs.isPipelined).toBe(true);
    expect(parse({ RUN_PIPELINING: 'on' }).runs.isPipelined).toBe(true);
    expect(parse({ RUN_PIPELINING: 'off' }).runs.isPipelined).toBe(false);
  });

  it('refuses another value with one line naming the variable', () => {
    let failure: unknown;
    try {
      parse({ RUN_PIPELINING: 'sometimes' });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/^RUN_PIPELINING: /);
    expect((failure as Error).message).not.toContain('\n');
  });
});

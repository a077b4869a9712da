import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, serverNodeFlags } from '@/lib/server-flags.mjs';

// The Node flags `npm start` runs `next start` with (scripts/start.mjs, lib/server-flags.mjs): the server's own
// choice, unless the operator's NODE_OPTIONS already sets the same V8 option.

describe('serverNodeFlags', () => {
  it('runs the server with a 32 MB young generation semi-space by default', () => {
    expect(SERVER_NODE_FLAGS).toContain('--max-semi-space-size=32');
    expect(serverNodeFlags(undefined)).toEqual(SERVER_NODE_FLAGS);
    expect(serverNodeFlags('--enable-source-maps --max-old-space-size=2048')).toEqual(SERVER_NODE_FLAGS);
  });

  it('leaves a size the operator set in NODE_OPTIONS alone', () => {
    expect(serverNodeFlags('--max-semi-space-size=64')).toEqual([]);
    expect(serverNodeFlags('  --enable-source-maps   --max-semi-space-size=8 ')).toEqual([]);
  });
});

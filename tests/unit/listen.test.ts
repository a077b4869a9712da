import { describe, expect, it } from 'vitest';
import { nextListenArgs, resolveListenAddress } from '@/lib/listen.mjs';

// Where `npm start` and `npm run dev` listen (scripts/start.mjs): PORT and HOST (or HOSTNAME), 3000 and every
// interface by default. The server really listening there is checked in tests/production/start.test.ts.

const MACHINE = 'build-host-7f3a';

describe('resolveListenAddress', () => {
  it('is port 3000 on every interface with nothing set', () => {
    expect(resolveListenAddress({}, MACHINE)).toEqual({ port: 3000, host: null });
    expect(resolveListenAddress({ PORT: '', HOST: ' ' }, MACHINE)).toEqual({ port: 3000, host: null });
    expect(nextListenArgs({ port: 3000, host: null })).toEqual(['-p', '3000']);
  });

  it('takes PORT and HOST, and HOSTNAME when HOST is unset', () => {
    expect(resolveListenAddress({ PORT: '8080', HOST: '127.0.0.1' }, MACHINE)).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(resolveListenAddress({ HOSTNAME: '::1' }, MACHINE)).toEqual({ port: 3000, host: '::1' });
    expect(resolveListenAddress({ HOST: '0.0.0.0', HOSTNAME: '::1' }, MACHINE)).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(nextListenArgs({ port: 8080, host: '127.0.0.1' })).toEqual(['-p', '8080', '-H', '127.0.0.1']);
  });

  it("ignores a HOSTNAME that is only the machine's own name (as shells and Docker set it)", () => {
    expect(resolveListenAddress({ HOSTNAME: MACHINE }, MACHINE)).toEqual({ port: 3000, host: null });
  });

  it('refuses a PORT that is not a port, in one line', () => {
    for (const port of ['0', '65536', 'http', '80.5', '-1', '3000x']) {
      expect(resolveListenAddress({ PORT: port }, MACHINE), port).toEqual({ error: expect.stringMatching(/^PORT must be a port number from 1 to 65535/) });
    }
  });
});

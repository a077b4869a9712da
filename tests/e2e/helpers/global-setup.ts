import type { TestProject } from 'vitest/node';
import { startE2eServer, type TE2eServer } from './server';

// Two servers for the whole run:
//   - "fast": the offline model answers at once (most tests);
//   - "slow": the offline model waits OFFLINE_MODEL_DELAY_MS before each response and the message route
//     returns the pending run after 1 s, so runs stay pending long enough to reload mid-run or press Stop;
//     it writes its answer a word every E2E_PIECE_MS, so the answer is seen growing.
// MAX_MESSAGE_CHARS is small on the fast server so that a too-long message (413) is quick to type.

declare module 'vitest' {
  // Module augmentation needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    fastUrl: string;
    slowUrl: string;
  }
}

export const E2E_MAX_MESSAGE_CHARS = 300;
export const E2E_SLOW_DELAY_MS = 3000;
export const E2E_PIECE_MS = 25;

export default async function setup(project: TestProject) {
  const servers: TE2eServer[] = [];
  try {
    // Started side by side (each waits on its own start-up much of the time); settled both, so that one failing
    // never leaves the other running.
    const started = await Promise.allSettled([
      startE2eServer({ MAX_MESSAGE_CHARS: String(E2E_MAX_MESSAGE_CHARS) }),
      startE2eServer({
        OFFLINE_MODEL_DELAY_MS: String(E2E_SLOW_DELAY_MS),
        OFFLINE_MODEL_PIECE_MS: String(E2E_PIECE_MS),
        MESSAGE_WAIT_SECONDS: '1',
      }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [fast, slow] = servers as [TE2eServer, TE2eServer];
    project.provide('fastUrl', fast.url);
    project.provide('slowUrl', slow.url);
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
}

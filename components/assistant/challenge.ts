import { useSyncExternalStore } from 'react';
import { encodeSolution, solveChallenge, type TChallenge } from '@/lib/shared/challenge';

// The browser's side of the proof-of-work challenge (lib/shared/challenge.ts): solves it with Web Crypto, on
// this page, with nothing fetched from anywhere, and lets the conversation show "Checking your browser…"
// meanwhile. Each solve is recorded as a performance measure named SOLVE_MEASURE (how long readers wait).

export const SOLVE_MEASURE = 'paste-assistant-challenge-solve';

let solving = 0;
const listeners = new Set<() => void>();

function setSolving(delta: number) {
  solving += delta;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while this page is solving a challenge. */
export function useIsCheckingBrowser(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => solving > 0,
    () => false,
  );
}

/** The solution to send back (the body's `challenge` field), or an Error when the challenge cannot be solved. */
export async function solveInBrowser(challenge: TChallenge): Promise<string> {
  setSolving(1);
  const startedAt = performance.now();
  try {
    const solution = await solveChallenge(challenge);
    if (!solution) throw new Error('Your browser could not be checked. Reload the page and try again.');
    return encodeSolution(solution);
  } finally {
    performance.measure?.(SOLVE_MEASURE, { start: startedAt, end: performance.now() });
    setSolving(-1);
  }
}

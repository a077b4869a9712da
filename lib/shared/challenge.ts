// The proof-of-work challenge (ALTCHA's v1 scheme), as browser and server share it. A browser that can solve
// challenges says so with CHALLENGE_HEADER on the requests that cost a model call; near its hourly limits
// the server then answers 429 `challenge_required` with a challenge in `error.challenge`, and the browser
// sends the request again with the solution in the body's `challenge` field. Clients that do not send the
// header are never challenged: they meet the limits as before (429 rate_limited).

export const CHALLENGE_HEADER = 'x-paste-challenge';
export const CHALLENGE_CAPABILITY = 'altcha';
export const CHALLENGE_REQUIRED = 'challenge_required';

/** What the browser solves: find `number` ≤ maxnumber with sha256(salt + number) = challenge. */
export type TChallenge = { algorithm: 'SHA-256'; challenge: string; maxnumber: number; salt: string; signature: string };

/** The solution, sent base64-encoded as JSON in the body's `challenge` field. */
export type TChallengeSolution = { algorithm: 'SHA-256'; challenge: string; number: number; salt: string; signature: string };

export function encodeSolution(solution: TChallengeSolution): string {
  return btoa(JSON.stringify(solution));
}

export function isChallenge(value: unknown): value is TChallenge {
  const challenge = value as Partial<TChallenge> | null;
  return (
    typeof challenge === 'object' &&
    challenge !== null &&
    challenge.algorithm === 'SHA-256' &&
    typeof challenge.challenge === 'string' &&
    typeof challenge.salt === 'string' &&
    typeof challenge.signature === 'string' &&
    typeof challenge.maxnumber === 'number'
  );
}

/** Numbers hashed at once: Web Crypto's digests are asynchronous, so a batch runs them side by side. */
const SOLVE_BATCH = 500;

/**
 * Finds the challenge's number with Web Crypto (browsers, and Node's global crypto), trying 0…maxnumber in
 * batches. Resolves null when no number matches (a forged or corrupted challenge), or when `signal` aborts.
 */
export async function solveChallenge(challenge: TChallenge, signal?: AbortSignal): Promise<TChallengeSolution | null> {
  const encoder = new TextEncoder();
  const target = hexToBytes(challenge.challenge);
  for (let start = 0; start <= challenge.maxnumber; start += SOLVE_BATCH) {
    if (signal?.aborted) return null;
    const numbers = Array.from({ length: Math.min(SOLVE_BATCH, challenge.maxnumber - start + 1) }, (_, index) => start + index);
    const digests = await Promise.all(numbers.map((number) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge.salt}${number}`))));
    const found = digests.findIndex((digest) => isSameBytes(new Uint8Array(digest), target));
    if (found >= 0) {
      return { algorithm: challenge.algorithm, challenge: challenge.challenge, number: start + found, salt: challenge.salt, signature: challenge.signature };
    }
  }
  return null;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function isSameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

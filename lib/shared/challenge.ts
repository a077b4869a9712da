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

import { createHash, createHmac } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import { z } from 'zod';
import type { TChallengeConfig, TRateLimitConfig } from './settings';
import { redeemChallengeById, takeChallengeCreditByKey } from '../db/challenge';
import { getRateBucketLevels, type TBucketSpec } from '../db/limits';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER, type TChallenge } from '../shared/challenge';
import type { IncomingMessage } from 'node:http';
import { describeWait, handoffBuckets, modelBuckets, type TClient } from './index';

// A self-hosted proof-of-work challenge (ALTCHA's scheme, altcha-lib on the server; the browser solves it with
// Web Crypto), for browsers near their hourly message limits. Nothing leaves this server: no third-party
// service, nothing downloaded at run time.
//
// When a browser (a request with CHALLENGE_HEADER) is about to use more than CHALLENGE_THRESHOLD_PERCENT of its
// session's or its address's hourly message quota, the request is refused with 429 `challenge_required` and a
// challenge. A verified solution (signed with a key derived from SESSION_SECRET, bound to the session, single
// use, expiring after CHALLENGE_TTL_SECONDS) gives the session CHALLENGE_ALLOWANCE messages that go through
// even past the hourly quota; at most CHALLENGE_MAX_PER_HOUR solutions count per session and hour, so the
// extra is bounded. The thread cap and the site's daily token cap hold regardless. Clients that do not send
// the header are never challenged and get 429 `rate_limited` at the quota, as before.
//
// Hand-offs to the maintainers (enforceHandoffChallenge) are challenged the same way near the reader's or the
// address's hourly hand-off limit, but a solution buys one hand-off and never one past a limit: a hand-off can open
// a GitHub issue, and its limits are the cap on them.

export type TChallengeDeps = { db: TDb; rateLimits: TRateLimitConfig; challenge: TChallengeConfig; sessionSecret: string };

/** What the request says: whether the client solves challenges, and the solution it sends (base64 JSON). */
export type TChallengeRequest = { isCapable: boolean; solution?: string };

const ZSolution = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string().regex(/^[0-9a-f]{64}$/),
  number: z.number().int().min(0),
  salt: z.string().min(1).max(512),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});

const PASS_SECONDS = 3600;

/** The challenge side of a request: the header that says the client solves challenges, and its solution. */
export function readChallengeRequest(req: IncomingMessage, solution: string | undefined): TChallengeRequest {
  return { isCapable: req.headers[CHALLENGE_HEADER] === CHALLENGE_CAPABILITY, solution };
}

/** The HMAC key of challenges: derived, so that the session secret itself signs nothing but sessions. */
export function challengeKey(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('paste-assistant:challenge:v1').digest('hex');
}

/** The session a challenge is issued to, as its salt carries it (a hash: the salt is public). */
function sessionTag(sessionId: string): string {
  return createHash('sha256').update(`challenge:${sessionId}`).digest('hex').slice(0, 24);
}

export async function issueChallenge({ deps, client }: { deps: TChallengeDeps; client: TClient }): Promise<TChallenge> {
  const challenge = await createChallenge({
    hmacKey: challengeKey(deps.sessionSecret),
    algorithm: 'SHA-256',
    maxnumber: deps.challenge.maxNumber,
    expires: new Date(Date.now() + deps.challenge.ttlSeconds * 1000),
    params: { s: sessionTag(client.sessionId) },
  });
  return { algorithm: 'SHA-256', challenge: challenge.challenge, maxnumber: challenge.maxnumber ?? deps.challenge.maxNumber, salt: challenge.salt, signature: challenge.signature };
}

/**
 * Before a model call a reader makes: redeems the solution it sent, if any (400 malformed, 403 invalid,
 * expired, another session's or spent), then challenges a browser near its hourly limits unless its pass has
 * messages left. Returns whether this message may go past the hourly quota (paid for by a solution).
 */
export async function enforceChallenge({
  deps,
  client,
  request,
}: {
  deps: TChallengeDeps;
  client: TClient;
  request?: TChallengeRequest;
}): Promise<{ isExtraAllowed: boolean }> {
  if (!deps.challenge.isEnabled || !request?.isCapable) return { isExtraAllowed: false };
  const passKey = `s:${client.sessionId}:pass`;
  if (request.solution !== undefined) await redeemSolution({ deps, client, passKey, encoded: request.solution, credits: deps.challenge.allowance });
  if (!(await isNearLimits({ deps, buckets: modelBuckets(deps.rateLimits, client) }))) return { isExtraAllowed: false };
  const credit = await takeChallengeCreditByKey({ db: deps.db, passKey });
  if (credit.taken) return { isExtraAllowed: true };
  throw new AppError('challenge_required', 'Checking your browser: solve this challenge and send the message again.', {
    extra: { challenge: await issueChallenge({ deps, client }) },
    detail: { limit: 'challenge' },
  });
}

/**
 * Before a hand-off a reader asks for (lib/handoff): redeems the solution sent, if any, then challenges a browser whose
 * hand-off would bring the reader's or the address's hourly hand-off limit to the threshold, unless a solution paid for
 * this one. A solution pays for one hand-off and lifts no limit (the limits are taken after, in SQL).
 */
export async function enforceHandoffChallenge({ deps, client, request }: { deps: TChallengeDeps; client: TClient; request?: TChallengeRequest }): Promise<void> {
  if (!deps.challenge.isEnabled || !request?.isCapable) return;
  const passKey = `s:${client.sessionId}:handoff-pass`;
  if (request.solution !== undefined) await redeemSolution({ deps, client, passKey, encoded: request.solution, credits: 1 });
  const near = handoffBuckets(deps.rateLimits, client).filter((bucket) => bucket.name !== 'handoff_site');
  if (!(await isNearLimits({ deps, buckets: near }))) return;
  if ((await takeChallengeCreditByKey({ db: deps.db, passKey })).taken) return;
  throw new AppError('challenge_required', 'Checking your browser: solve this challenge and ask the maintainers again.', {
    extra: { challenge: await issueChallenge({ deps, client }) },
    detail: { limit: 'challenge' },
  });
}

/** Whether one more would bring any of these hourly buckets to the threshold or past it. */
async function isNearLimits({ deps, buckets }: { deps: TChallengeDeps; buckets: TBucketSpec[] }): Promise<boolean> {
  const levels = await getRateBucketLevels({ db: deps.db, buckets });
  // Whole messages: a bucket refills continuously, and a fraction of a message is not one.
  return levels.some((level) => level.capacity - (Math.floor(level.available) - 1) >= deps.challenge.threshold * level.capacity);
}

async function redeemSolution({ deps, client, passKey, encoded, credits }: { deps: TChallengeDeps; client: TClient; passKey: string; encoded: string; credits: number }) {
  let solution: z.infer<typeof ZSolution>;
  try {
    solution = ZSolution.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  } catch {
    throw new AppError('bad_request', 'challenge: must be a solved challenge (base64 JSON: algorithm, challenge, number, salt, signature).');
  }
  const params = extractParams(solution);
  const expires = Number(params.expires);
  if (params.s !== sessionTag(client.sessionId)) throw invalid('This challenge was issued to another session.');
  if (!Number.isFinite(expires) || expires * 1000 < Date.now()) throw invalid('This challenge has expired. Send the message again for a new one.');
  if (!(await verifySolution(solution, challengeKey(deps.sessionSecret), true))) throw invalid('This challenge solution is not valid.');
  const redeemed = await redeemChallengeById({
    db: deps.db,
    challengeId: solution.signature,
    expiresAt: new Date(expires * 1000),
    passKey,
    credits,
    passExpiresAt: new Date(Date.now() + PASS_SECONDS * 1000),
    grantBucket: { key: `s:${client.sessionId}:challenges`, name: 'challenges', capacity: deps.challenge.maxPerHour, per_seconds: PASS_SECONDS },
  });
  if (redeemed.redeemed) return;
  if (redeemed.reason === 'spent') throw invalid('This challenge solution was already used. Send the message again for a new challenge.');
  const retryAfter = Math.max(1, redeemed.retry_after_seconds ?? PASS_SECONDS);
  throw new AppError('rate_limited', `You've reached the limit of messages for now. You can send another in ${describeWait(retryAfter)}.`, {
    headers: { 'Retry-After': String(retryAfter) },
    detail: { limit: 'challenges' },
  });
}

function invalid(message: string): AppError {
  return new AppError('forbidden', message, { detail: { limit: 'challenge' } });
}

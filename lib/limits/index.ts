import type { TRateLimitConfig } from './settings';
import { addModelUsageToday, takeModelAllowance, takeRateLimits, type TAllowance as TDbAllowance, type TBucketSpec } from '../db/limits';
import type { TQuestionLimits } from '../db/runs';
import type { TDb } from '../db/types';
import type { TUsage } from '../db/rows';
import { AppError } from '../errors';

export { resolveClientIp } from './client-ip';

// Rate limits and quotas, counted in Postgres (supabase/schemas/70_limits.sql, called through lib/db/limits.ts)
// so that they hold across every instance sharing the database:
//   - burst: API requests per session and per client address in a short window (every route but health);
//   - hourly: model calls (messages, title completions) per session and per client address;
//   - per thread: user messages in one thread;
//   - daily: model tokens spent by the whole site per UTC day;
//   - per API key (/v1): requests per minute and runs started per hour; the daily token cap covers them too;
//   - hand-offs to the maintainers: per session, per client address and for the whole site per hour (each can open
//     a GitHub issue under the maintainers' token, so no script may turn them into hundreds of issues).
// Session limits alone would be dodged by dropping the cookie; address limits alone would lump together
// everyone behind one NAT. Together they allow a generous per-address budget and a tighter per-reader one.

/** Who is asking: the session (owner of its threads) and the client address as a limit key. */
export type TClient = { sessionId: string; ip: string };

export type TLimitName =
  | 'session_burst'
  | 'ip_burst'
  | 'session_messages'
  | 'ip_messages'
  | 'thread_messages'
  | 'daily_tokens'
  | 'key_requests'
  | 'key_runs'
  | 'handoff_reader'
  | 'handoff_address'
  | 'handoff_site';

type TBucket = TBucketSpec & { name: TLimitName };
type TAllowance = TDbAllowance<TLimitName>;

// A thread's cap never lifts; the reader is told to start a new thread. A day's wait keeps a polite client
// from retrying the same thread in a loop.
const THREAD_CAP_RETRY_SECONDS = 86_400;

/** What the limits need: the store that counts, and the configured limits. */
export type TLimitsDeps = { db: TDb; rateLimits: TRateLimitConfig };

/** Every API request takes one token from its session's and its address's burst buckets. */
export async function enforceRequestLimits({ deps, client }: { deps: TLimitsDeps; client: TClient }): Promise<void> {
  const allowance = await takeRateLimits<TLimitName>({ db: deps.db, buckets: requestBuckets(deps.rateLimits, client) });
  if (!allowance.allowed) throw rateLimited(deps.rateLimits, allowance);
}

/** The burst buckets every API request takes from: the session's and the address's. */
export function requestBuckets(limits: TRateLimitConfig, client: TClient): TBucket[] {
  return [
    { key: `s:${client.sessionId}:req`, name: 'session_burst', capacity: limits.burst, per_seconds: limits.burstSeconds },
    { key: `ip:${client.ip}:req`, name: 'ip_burst', capacity: limits.ipBurst, per_seconds: limits.burstSeconds },
  ];
}

/**
 * A question's limits, for the round trip that stores it (lib/db/runs.ts createMessageAndRunWithinLimits): what
 * enforceRequestLimits (when `isRequestLimited`: the route left the request's burst limits to it) and then
 * enforceModelAllowance take, and `refuse`, the error either throws for the refusal.
 */
export function questionLimits({
  deps,
  client,
  isRequestLimited,
  isExtraAllowed,
  cost = 1,
}: {
  deps: Pick<TLimitsDeps, 'rateLimits'>;
  client: TClient;
  isRequestLimited: boolean;
  isExtraAllowed: boolean;
  /** How many messages of the hourly quotas the question counts as (a research question: RESEARCH_COST). */
  cost?: number;
}): { spec: TQuestionLimits; refuse(refusal: Extract<TDbAllowance, { allowed: false }>): AppError } {
  const limits = deps.rateLimits;
  return {
    spec: {
      requestBuckets: isRequestLimited ? requestBuckets(limits, client) : [],
      threadMessageCap: limits.threadMessages,
      dailyTokenCap: limits.dailyTokens,
      modelBuckets: modelBuckets(limits, client, cost),
      // As enforceModelAllowance: a solved challenge goes past the hourly quotas, never past the others.
      passable: isExtraAllowed ? (['session_messages', 'ip_messages'] satisfies TLimitName[]) : [],
    },
    refuse: (refusal) => rateLimited(limits, refusal as Extract<TAllowance, { allowed: false }>),
  };
}

/**
 * Before a model call: the thread's message cap (when `threadId` is given; 404 if it is not the caller's),
 * the site's daily token cap, then one token from the caller's hourly buckets.
 */
export async function enforceModelAllowance({
  deps,
  client,
  owner = client.sessionId,
  threadId,
  isExtraAllowed = false,
  cost = 1,
}: {
  deps: TLimitsDeps;
  client: TClient;
  /** How many messages of the hourly quotas the call counts as (a research question: RESEARCH_COST). */
  cost?: number;
  /** Whose thread `threadId` is, when not the client's session (a Slack thread is its workspace's, asked in by members). */
  owner?: string;
  threadId?: string;
  /** A message paid for by a solved challenge (./challenge.ts) goes through past the hourly quota. */
  isExtraAllowed?: boolean;
}): Promise<void> {
  const limits = deps.rateLimits;
  const allowance = await takeModelAllowance<TLimitName>({
    db: deps.db,
    owner,
    threadId,
    threadMessageCap: limits.threadMessages,
    dailyTokenCap: limits.dailyTokens,
    buckets: modelBuckets(limits, client, cost),
  });
  if (allowance.allowed) return;
  if (isExtraAllowed && (allowance.limit === 'session_messages' || allowance.limit === 'ip_messages')) return;
  throw rateLimited(deps.rateLimits, allowance);
}

/** The hourly buckets a model call takes from: the session's and the address's (`cost` tokens of each). */
export function modelBuckets(limits: TRateLimitConfig, client: TClient, cost = 1): TBucket[] {
  const costOf = cost === 1 ? {} : { cost };
  return [
    { key: `s:${client.sessionId}:model`, name: 'session_messages', capacity: limits.messagesPerHour, per_seconds: 3600, ...costOf },
    { key: `ip:${client.ip}:model`, name: 'ip_messages', capacity: limits.ipMessagesPerHour, per_seconds: 3600, ...costOf },
  ];
}

/**
 * The hourly buckets a hand-off takes from (lib/handoff): the reader's, the address's and the site's. Taken only by a
 * hand-off that opens something (supabase/schemas/65_handoffs.sql create_handoff_within_limits): asking again is free.
 */
export function handoffBuckets(limits: TRateLimitConfig, client: TClient): TBucket[] {
  return [
    { key: `s:${client.sessionId}:handoff`, name: 'handoff_reader', capacity: limits.handoffsPerHour, per_seconds: 3600 },
    { key: `ip:${client.ip}:handoff`, name: 'handoff_address', capacity: limits.ipHandoffsPerHour, per_seconds: 3600 },
    { key: 'site:handoff', name: 'handoff_site', capacity: limits.siteHandoffsPerHour, per_seconds: 3600 },
  ];
}

/** The 429 for a hand-off one of handoffBuckets refused. */
export function handoffLimited(limits: TRateLimitConfig, refusal: Extract<TDbAllowance, { allowed: false }>): AppError {
  return rateLimited(limits, refusal as Extract<TAllowance, { allowed: false }>);
}

/** What an API key's limits need: the store that counts, the key limits and the site's daily token cap. */
export type TApiKeyLimitsDeps = { db: TDb; api: { requestsPerMinute: number; runsPerHour: number }; rateLimits: Pick<TRateLimitConfig, 'dailyTokens'> };

/** Every /v1 request takes one token from its key's per-minute bucket (429 with Retry-After when it is empty). */
export async function enforceApiKeyRequestLimit({ deps, keyId }: { deps: TApiKeyLimitsDeps; keyId: string }): Promise<void> {
  const allowance = await takeRateLimits<TLimitName>({
    db: deps.db,
    buckets: [{ key: `k:${keyId}:req`, name: 'key_requests', capacity: deps.api.requestsPerMinute, per_seconds: 60 }],
  });
  if (!allowance.allowed) throw apiKeyLimited(deps, allowance);
}

/** Before a /v1 run: the site's daily token cap, then one token from the key's hourly run bucket. */
export async function enforceApiKeyRunAllowance({ deps, keyId, owner }: { deps: TApiKeyLimitsDeps; keyId: string; owner: string }): Promise<void> {
  const allowance = await takeModelAllowance<TLimitName>({
    db: deps.db,
    owner,
    threadMessageCap: 0,
    dailyTokenCap: deps.rateLimits.dailyTokens,
    buckets: [{ key: `k:${keyId}:runs`, name: 'key_runs', capacity: deps.api.runsPerHour, per_seconds: 3600 }],
  });
  if (!allowance.allowed) throw apiKeyLimited(deps, allowance);
}

function apiKeyLimited(deps: TApiKeyLimitsDeps, refusal: Extract<TAllowance, { allowed: false }>): AppError {
  const retryAfter = refusal.retry_after_seconds ?? 60;
  const wait = describeWait(retryAfter);
  const message =
    refusal.limit === 'key_requests'
      ? `Rate limit reached for this API key: ${deps.api.requestsPerMinute} requests per minute. Please try again in ${wait}.`
      : refusal.limit === 'key_runs'
        ? `Rate limit reached for this API key: ${deps.api.runsPerHour} runs per hour. Please try again in ${wait}.`
        : `The server has used its model tokens for today. Please try again in ${wait}.`;
  return new AppError('rate_limited', message, { headers: { 'Retry-After': String(retryAfter) }, detail: { limit: refusal.limit } });
}

/** Tokens spent outside runs (runs are counted by a trigger on their usage). */
export async function recordModelUsage({ db, usage }: { db: TDb; usage?: TUsage | null }): Promise<void> {
  if (!usage || !(usage.total_tokens > 0)) return;
  await addModelUsageToday({ db, totalTokens: Math.floor(usage.total_tokens) });
}

function rateLimited(limits: TRateLimitConfig, refusal: Extract<TAllowance, { allowed: false }>): AppError {
  const retryAfter = refusal.retry_after_seconds ?? THREAD_CAP_RETRY_SECONDS;
  const wait = describeWait(retryAfter);
  const messages: Record<TLimitName, string> = {
    session_burst: `You're sending requests too quickly. Please wait ${wait} and try again.`,
    ip_burst: `Too many requests are coming from your network. Please wait ${wait} and try again.`,
    session_messages: `You've reached the limit of ${limits.messagesPerHour} messages an hour. You can send another in ${wait}.`,
    ip_messages: `Your network has reached its limit of ${limits.ipMessagesPerHour} messages an hour. You can send another in ${wait}.`,
    thread_messages: `This conversation has reached its limit of ${limits.threadMessages} messages. Start a new thread to keep asking.`,
    daily_tokens: `The assistant has answered all it can for today. Please come back in ${wait}, or search the docs meanwhile.`,
    key_requests: `Too many requests. Please wait ${wait}.`,
    key_runs: `Too many runs. Please wait ${wait}.`,
    handoff_reader: `You've asked the maintainers ${limits.handoffsPerHour} times this hour, the most a reader may. You can ask them again in ${wait}.`,
    handoff_address: `Your network has asked the maintainers ${limits.ipHandoffsPerHour} times this hour, the most it may. You can ask them again in ${wait}.`,
    handoff_site: `The maintainers have been asked all they can take this hour. You can ask them again in ${wait}.`,
  };
  return new AppError('rate_limited', messages[refusal.limit] ?? `Too many requests. Please wait ${wait}.`, {
    headers: { 'Retry-After': String(retryAfter) },
    detail: { limit: refusal.limit },
  });
}

export function describeWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  return hours <= 1 ? 'about an hour' : `about ${hours} hours`;
}

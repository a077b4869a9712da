import { z } from 'zod';
import { defineSettings, intInRange, optionalString } from '../settings';

// Abuse limits (./index.ts): sizes, open streams, rates and quotas counted in Postgres (so they hold across
// instances sharing a database), hand-offs' own hourly limits, and the proof-of-work challenge (ALTCHA,
// ./challenge.ts) for browsers near their hourly message or hand-off limits.

export type TRateLimitConfig = {
  /** Header carrying the client address, set by a proxy in front of every instance; unset: the socket address. */
  trustedProxyHeader?: string;
  /** For a list header (X-Forwarded-For): which entry from the right is the client (1 = the last one). */
  trustedProxyHops: number;
  burst: number;
  ipBurst: number;
  burstSeconds: number;
  messagesPerHour: number;
  ipMessagesPerHour: number;
  threadMessages: number;
  /** Model tokens per UTC day for the whole site; 0 = no cap. */
  dailyTokens: number;
  /** Hand-offs to the maintainers (lib/handoff) an hour: per reader (session), per client address, for the whole site. */
  handoffsPerHour: number;
  ipHandoffsPerHour: number;
  siteHandoffsPerHour: number;
};

export type TChallengeConfig = {
  isEnabled: boolean;
  /** Fraction (0–1] of an hourly message quota used before a browser must solve a challenge. */
  threshold: number;
  allowance: number;
  maxPerHour: number;
  maxNumber: number;
  ttlSeconds: number;
};

export type TLimitsSettings = {
  limits: { maxBodyBytes: number; maxMessageChars: number; streamsPerSession: number; streamsPerIp: number };
  rateLimits: TRateLimitConfig;
  challenge: TChallengeConfig;
};

export const limitsSettings = defineSettings(
  {
    // Open event streams at once, per session and per client address; one more is refused with 429.
    EVENT_STREAMS_PER_SESSION: intInRange(10, 1, 100_000),
    EVENT_STREAMS_PER_IP: intInRange(300, 1, 1_000_000),
    MAX_MESSAGE_CHARS: intInRange(8000, 1, 100_000),
    MAX_BODY_BYTES: intInRange(32 * 1024, 1024, 10 * 1024 * 1024),
    TRUSTED_PROXY_HEADER: optionalString.refine((value) => value === undefined || /^[A-Za-z0-9-]{1,64}$/.test(value), {
      message: 'TRUSTED_PROXY_HEADER must be a header name such as x-forwarded-for',
    }),
    TRUSTED_PROXY_HOPS: intInRange(1, 1, 10),
    RATE_LIMIT_BURST: intInRange(40, 1, 1_000_000),
    RATE_LIMIT_IP_BURST: intInRange(200, 1, 1_000_000),
    RATE_LIMIT_BURST_SECONDS: intInRange(10, 1, 3600),
    RATE_LIMIT_MESSAGES_PER_HOUR: intInRange(60, 1, 1_000_000),
    RATE_LIMIT_IP_MESSAGES_PER_HOUR: intInRange(300, 1, 1_000_000),
    RATE_LIMIT_THREAD_MESSAGES: intInRange(100, 1, 1_000_000),
    RATE_LIMIT_DAILY_TOKENS: intInRange(2_000_000, 0, 1_000_000_000_000),
    // Hand-offs to the maintainers an hour (each can open a GitHub issue under the maintainers' token): per reader,
    // per client address, and for the whole site. A reader rarely needs the maintainers twice in an hour, an office
    // behind one address seldom more than a few times, a docs site's readers a handful a day; no script gets more.
    RATE_LIMIT_HANDOFFS_PER_HOUR: intInRange(3, 1, 1000),
    RATE_LIMIT_IP_HANDOFFS_PER_HOUR: intInRange(10, 1, 100_000),
    RATE_LIMIT_SITE_HANDOFFS_PER_HOUR: intInRange(60, 1, 1_000_000),
    CHALLENGE: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
    // Percent of the session's or address's hourly message quota used before a browser is challenged.
    CHALLENGE_THRESHOLD_PERCENT: intInRange(80, 1, 100),
    // Messages a solved challenge allows, even past the hourly quota; and solved challenges counted per hour.
    CHALLENGE_ALLOWANCE: intInRange(10, 1, 1000),
    CHALLENGE_MAX_PER_HOUR: intInRange(3, 1, 1000),
    // The work: the solver tries up to this many numbers (on average half); and how long a challenge is valid.
    CHALLENGE_MAX_NUMBER: intInRange(50_000, 1000, 10_000_000),
    CHALLENGE_TTL_SECONDS: intInRange(300, 10, 3600),
  },
  (env): TLimitsSettings => ({
    limits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxMessageChars: env.MAX_MESSAGE_CHARS,
      streamsPerSession: env.EVENT_STREAMS_PER_SESSION,
      streamsPerIp: env.EVENT_STREAMS_PER_IP,
    },
    rateLimits: {
      trustedProxyHeader: env.TRUSTED_PROXY_HEADER?.toLowerCase(),
      trustedProxyHops: env.TRUSTED_PROXY_HOPS,
      burst: env.RATE_LIMIT_BURST,
      ipBurst: env.RATE_LIMIT_IP_BURST,
      burstSeconds: env.RATE_LIMIT_BURST_SECONDS,
      messagesPerHour: env.RATE_LIMIT_MESSAGES_PER_HOUR,
      ipMessagesPerHour: env.RATE_LIMIT_IP_MESSAGES_PER_HOUR,
      threadMessages: env.RATE_LIMIT_THREAD_MESSAGES,
      dailyTokens: env.RATE_LIMIT_DAILY_TOKENS,
      handoffsPerHour: env.RATE_LIMIT_HANDOFFS_PER_HOUR,
      ipHandoffsPerHour: env.RATE_LIMIT_IP_HANDOFFS_PER_HOUR,
      siteHandoffsPerHour: env.RATE_LIMIT_SITE_HANDOFFS_PER_HOUR,
    },
    challenge: {
      isEnabled: env.CHALLENGE === 'on',
      threshold: env.CHALLENGE_THRESHOLD_PERCENT / 100,
      allowance: env.CHALLENGE_ALLOWANCE,
      maxPerHour: env.CHALLENGE_MAX_PER_HOUR,
      maxNumber: env.CHALLENGE_MAX_NUMBER,
      ttlSeconds: env.CHALLENGE_TTL_SECONDS,
    },
  }),
);

import {
  ErrorCode,
  LogLevel,
  WebClient,
  type Logger as TSlackLogger,
  type WebAPICallError,
} from '@slack/web-api';
import type { TLogger } from '../log';

// The Slack Web API, as the outbox and the answers in Slack need it: post a message (optionally in a thread) and
// update one, in the review channel unless `channel` says where. The client does not retry on its own: the
// outbox and the inbox own retries, so that they survive a restart.

export type TSlackTransport = {
  postMessage(args: { text: string; threadTs?: string; channel?: string }): Promise<{ ts: string }>;
  /** `blocks`: Block Kit blocks shown instead of `text` (which stays the notification's text); [] removes them. */
  updateMessage(args: { ts: string; text: string; channel?: string; blocks?: TSlackBlock[] }): Promise<void>;
  /** A member's name as Slack shows it (users.info, scope users:read); null when Slack has none. */
  getUserName(userId: string): Promise<string | null>;
  /** The member ids of a user group (usergroups.users.list, scope usergroups:read). */
  listUserGroupMembers(groupId: string): Promise<string[]>;
};

/** A Block Kit block as we send them (sections of mrkdwn, a row of buttons): Slack's JSON, checked by Slack. */
export type TSlackBlock = Record<string, unknown> & { type: string };

const REQUEST_TIMEOUT_MS = 10_000;

export function createSlackTransport({
  token,
  channelId,
  apiUrl,
  log,
}: {
  token: string;
  channelId: string;
  apiUrl?: string;
  log: TLogger;
}): TSlackTransport {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: REQUEST_TIMEOUT_MS,
    logger: quietLogger(log),
  });
  return {
    async postMessage({ text, threadTs, channel = channelId }) {
      const result = await client.chat.postMessage({
        channel,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        mrkdwn: true,
        // Reader text is escaped; these also keep Slack from turning "@channel" or bare names into mentions
        // and from unfurling links a reader typed.
        parse: 'none',
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
      });
      if (typeof result.ts !== 'string') throw new Error('Slack answered chat.postMessage without a ts');
      return { ts: result.ts };
    },
    async updateMessage({ ts, text, channel = channelId, blocks }) {
      await client.chat.update({ channel, ts, text, parse: 'none', link_names: false, ...(blocks ? { blocks: blocks as never } : {}) });
    },
    async getUserName(userId) {
      const result = await client.users.info({ user: userId });
      const user = result.user;
      const name = user?.profile?.display_name || user?.real_name || user?.profile?.real_name || user?.name;
      return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
    },
    async listUserGroupMembers(groupId) {
      const result = await client.usergroups.users.list({ usergroup: groupId });
      return (result.users ?? []).filter((id): id is string => typeof id === 'string');
    },
  };
}

// The SDK logs request bodies at debug level; only its warnings and errors (no bodies) reach our log.
function quietLogger(log: TLogger): TSlackLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => log.debug({ slack: msg.filter((part) => typeof part === 'string').join(' ').slice(0, 200) }, 'slack sdk warning'),
    error: (...msg: unknown[]) => log.debug({ slack: msg.filter((part) => typeof part === 'string').join(' ').slice(0, 200) }, 'slack sdk error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export type TSlackFailure =
  | { type: 'permanent'; reason: string }
  | { type: 'transient'; reason: string }
  | { type: 'rate_limited'; reason: string; retryAfterMs: number };

// Platform errors worth another try; every other error Slack answers with is a rejection of this post.
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);
const DEFAULT_RATE_LIMIT_MS = 30_000;

/** What to do about a failed call: give up on the post, try again with backoff, or wait as long as Slack says. */
export function classifySlackError(error: unknown): TSlackFailure {
  const coded = error as Partial<WebAPICallError> & { code?: string };
  switch (coded.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      return { type: 'rate_limited', reason: 'ratelimited', retryAfterMs: toRetryMs(retryAfter) };
    }
    case ErrorCode.PlatformError: {
      const data = (error as { data?: { error?: string; response_metadata?: { retryAfter?: number } } }).data;
      const reason = data?.error ?? 'unknown_error';
      if (reason === 'ratelimited' || reason === 'rate_limited') {
        return { type: 'rate_limited', reason, retryAfterMs: toRetryMs(data?.response_metadata?.retryAfter) };
      }
      return TRANSIENT_PLATFORM_ERRORS.has(reason) ? { type: 'transient', reason } : { type: 'permanent', reason };
    }
    case ErrorCode.HTTPError: {
      const status = (error as { statusCode?: number }).statusCode ?? 0;
      // 5xx and odd statuses are Slack having trouble; a 4xx other than 429 will not get better by retrying.
      if (status >= 400 && status < 500 && status !== 408) return { type: 'permanent', reason: `http_${status}` };
      return { type: 'transient', reason: `http_${status}` };
    }
    case ErrorCode.RequestError:
      return { type: 'transient', reason: 'request_error' };
    default:
      return { type: 'transient', reason: error instanceof Error ? error.name : 'unknown_error' };
  }
}

function toRetryMs(seconds: number | undefined): number {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.max(seconds * 1000, 1000) : DEFAULT_RATE_LIMIT_MS;
}

import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { isCitedPageHidden } from '../docs/gate';
import { buildTranscriptUrl } from '../maintainers/links';
import { createSlackTransport, type TSlackTransport } from '../slack/client';
import type { TReviewChannelSettings } from './settings';
import { createOutboxWorker, type TDeliveryCounts, type TOutboxOptions, type TOutboxWorker } from './outbox';

// The maintainers' Slack. Posts are queued by the database in the transaction of their event (triggers in
// supabase/schemas/51_slack_posts.sql): a new thread, each message, each answer, each vote. This side delivers
// them. Code that stored such an event calls `wake()`, which only nudges the delivery loop: nothing a reader
// does waits for Slack, and it never throws.

export type TReviewChannel = {
  mode: TReviewChannelSettings['mode'];
  /** Something that posts to Slack was stored: deliver it soon. */
  wake(): void;
  /** Starts the in-process delivery loop (no-op when Slack is disabled or auto delivery is off). */
  start(): void;
  stop(): Promise<void>;
  /** One delivery round, for tests and scripts that drive delivery themselves. */
  deliverOutboxOnce(): Promise<TDeliveryCounts>;
  /** Posts a message of its own to the channel (the weekly digest). Throws when Slack is disabled or refuses. */
  postToChannel(text: string): Promise<{ ts: string }>;
  /**
   * A member's display name for a reply from Slack: users.info with the bot token, remembered for an hour
   * (names found and names missing alike). Null when Slack has none, fails, or takes longer than `timeoutMs`.
   */
  getUserName(userId: string, options?: { timeoutMs?: number }): Promise<string | null>;
};

export type TReviewChannelOptions = Partial<TOutboxOptions> & {
  /** Off in tests that drive delivery with deliverOutboxOnce. Default on. */
  isAutoDelivering?: boolean;
  transport?: TSlackTransport;
};

const NAME_TTL_MS = 60 * 60_000;
const NO_DELIVERY: TDeliveryCounts = { claimed: 0, delivered: 0, retried: 0, failed: 0, skipped: 0 };

export function createReviewChannel({
  config,
  db,
  log,
  sessionSecret,
  workerId,
  options = {},
}: {
  config: { reviewChannel: TReviewChannelSettings; siteUrl: string; maintainers: { linkTtlSeconds: number } };
  db: TDb;
  log: TLogger;
  sessionSecret: string;
  workerId: string;
  options?: TReviewChannelOptions;
}): TReviewChannel {
  const slack = config.reviewChannel;
  if (slack.mode === 'disabled') {
    return {
      mode: 'disabled',
      wake: () => {},
      start: () => {},
      stop: async () => {},
      deliverOutboxOnce: async () => ({ ...NO_DELIVERY }),
      postToChannel: async () => {
        throw new Error('Slack is not configured');
      },
      getUserName: async () => null,
    };
  }
  const { isAutoDelivering = true, transport: given, ...outboxOptions } = options;
  const transport = given ?? createSlackTransport({ token: slack.token, channelId: slack.channelId, apiUrl: slack.apiUrl, log });
  const names = new Map<string, { name: string | null; until: number }>();
  const worker: TOutboxWorker = createOutboxWorker({
    db,
    log,
    transport,
    siteUrl: config.siteUrl,
    workerId,
    transcriptLink: (threadId) =>
      buildTranscriptUrl({ siteUrl: config.siteUrl, secret: sessionSecret, threadId, ttlSeconds: config.maintainers.linkTtlSeconds }),
    isHiddenFromChannel: (url) => isCitedPageHidden({ db, url, access: slack.access }),
    options: outboxOptions,
  });
  return {
    mode: 'enabled',
    wake: () => worker.kick(),
    start() {
      if (isAutoDelivering) worker.start();
    },
    stop: () => worker.stop(),
    deliverOutboxOnce: () => worker.deliverOnce(),
    postToChannel: (text) => transport.postMessage({ text }),
    async getUserName(userId, { timeoutMs = 2000 } = {}) {
      const known = names.get(userId);
      if (known && known.until > Date.now()) return known.name;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const name = await Promise.race([
          transport.getUserName(userId),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('users.info timed out')), timeoutMs);
          }),
        ]);
        if (names.size > 1000) names.clear();
        names.set(userId, { name, until: Date.now() + NAME_TTL_MS });
        return name;
      } catch (error) {
        // Not remembered: the next reply asks again.
        log.warn({ err: error instanceof Error ? error.message : String(error), userId }, 'slack: could not look up a maintainer name');
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

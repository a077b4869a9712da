import type { TConfig } from '../config';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { buildTranscriptUrl } from '../maintainers/links';
import { createSlackTransport, type TSlackTransport } from './client';
import { createOutboxWorker, type TDeliveryCounts, type TOutboxOptions, type TOutboxWorker } from './outbox';

// The maintainers' Slack. Posts are queued by the database in the transaction of their event (triggers in the
// slack_outbox migration): a new thread, each message, each answer, each vote. This side delivers them. Code
// that stored such an event calls `wake()`, which only nudges the delivery loop: nothing a reader does waits
// for Slack, and it never throws.

export type TSlackNotifier = {
  mode: TConfig['slack']['mode'];
  /** Something that posts to Slack was stored: deliver it soon. */
  wake(): void;
  /** Starts the in-process delivery loop (no-op when Slack is disabled or auto delivery is off). */
  start(): void;
  stop(): Promise<void>;
  /** One delivery round, for tests and scripts that drive delivery themselves. */
  deliverOutboxOnce(): Promise<TDeliveryCounts>;
};

export type TSlackOptions = Partial<TOutboxOptions> & {
  /** Off in tests that drive delivery with deliverOutboxOnce. Default on. */
  isAutoDelivering?: boolean;
  transport?: TSlackTransport;
};

const NO_DELIVERY: TDeliveryCounts = { claimed: 0, delivered: 0, retried: 0, failed: 0, skipped: 0 };

export function createSlackNotifier({
  config,
  db,
  log,
  sessionSecret,
  workerId,
  options = {},
}: {
  config: TConfig;
  db: TDb;
  log: TLogger;
  sessionSecret: string;
  workerId: string;
  options?: TSlackOptions;
}): TSlackNotifier {
  const slack = config.slack;
  if (slack.mode === 'disabled') {
    return {
      mode: 'disabled',
      wake: () => {},
      start: () => {},
      stop: async () => {},
      deliverOutboxOnce: async () => ({ ...NO_DELIVERY }),
    };
  }
  const { isAutoDelivering = true, transport, ...outboxOptions } = options;
  const worker: TOutboxWorker = createOutboxWorker({
    db,
    log,
    transport: transport ?? createSlackTransport({ token: slack.token, channelId: slack.channelId, apiUrl: slack.apiUrl, log }),
    siteUrl: config.siteUrl,
    workerId,
    transcriptLink: (threadId) =>
      buildTranscriptUrl({ siteUrl: config.siteUrl, secret: sessionSecret, threadId, ttlSeconds: config.maintainers.linkTtlSeconds }),
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
  };
}

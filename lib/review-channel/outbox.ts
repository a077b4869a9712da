import {
  claimSlackOutboxBatch,
  pruneSlackOutbox,
  retrySlackOutboxById,
  setSlackThreadTsById,
  settleSlackOutboxById,
  type TSlackOutboxRow,
} from '../db/slack-outbox';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { classifySlackError, type TSlackTransport } from '../slack/client';
import { isInvalidPayloadError, renderParentText, renderReplyText, type TTranscriptLink } from './format';
import { answerForChannel } from './withhold';
import { withSpan } from '../telemetry';
import { createRound, jitteredBackoffMs } from '../jobs';

// Delivers the Slack outbox from this process. Each round claims the oldest pending post of up to `batchSize`
// threads (a lease, so several instances never post the same row at once), posts them, and settles each one:
// delivered, failed for good (a rejection: logged once), or scheduled again with backoff. Posts are at least
// once: a crash between Slack's answer and the settle repeats that one post.

export type TOutboxOptions = {
  batchSize: number;
  leaseSeconds: number;
  /** Idle wait between rounds; rows from other instances and retries that come due are found this way. */
  pollMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A post failing for longer than this is failed for good. */
  maxAgeSeconds: number;
  keepDeliveredDays: number;
};

// A round posts its rows one after the other, each in at most two calls of at most 10 s (a missing parent, then
// the reply): the lease outlasts a whole round against a Slack that times out on every call.
export const DEFAULT_OUTBOX_OPTIONS: TOutboxOptions = {
  batchSize: 5,
  leaseSeconds: 120,
  pollMs: 5000,
  backoffBaseMs: 2000,
  backoffMaxMs: 5 * 60_000,
  maxAgeSeconds: 3 * 86_400,
  keepDeliveredDays: 14,
};

export type TDeliveryCounts = { claimed: number; delivered: number; retried: number; failed: number; skipped: number };

export type TOutboxWorker = {
  /** One round: claim, post, settle. Never throws for a Slack failure; throws if the database fails. */
  deliverOnce(): Promise<TDeliveryCounts>;
  start(): void;
  /** Asks for a round soon (something was just queued). */
  kick(): void;
  stop(): Promise<void>;
  readonly isRunning: boolean;
};

const PRUNE_EVERY_MS = 60 * 60_000;

export function createOutboxWorker({
  db,
  log,
  transport,
  siteUrl,
  workerId,
  transcriptLink,
  isHiddenFromChannel,
  options: overrides = {},
}: {
  db: TDb;
  log: TLogger;
  transport: TSlackTransport;
  siteUrl: string;
  workerId: string;
  transcriptLink: (threadId: string) => TTranscriptLink;
  /** Whether a cited URL is of a page the channel may not read (./withhold.ts): such an answer is posted withheld. */
  isHiddenFromChannel: (url: string) => Promise<boolean>;
  options?: Partial<TOutboxOptions>;
}): TOutboxWorker {
  const options = { ...DEFAULT_OUTBOX_OPTIONS, ...overrides };
  // A rate limit applies to the workspace, not to one post: nothing is sent before it passes.
  let pausedUntil = 0;
  let lastPruneAt = 0;

  const backoffMs = (attempts: number) => jitteredBackoffMs(attempts, { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs });

  function parentText(row: TSlackOutboxRow): string {
    const title = row.thread_title ?? (typeof row.payload.title === 'string' ? row.payload.title : null);
    return renderParentText({
      threadId: row.thread_id,
      title,
      isThreadPresent: row.is_thread_present,
      transcript: row.is_thread_present ? transcriptLink(row.thread_id) : null,
    });
  }

  async function postParent(row: TSlackOutboxRow): Promise<string> {
    const { ts } = await transport.postMessage({ text: parentText(row) });
    return ts;
  }

  /** Posts one row. Returns how it was settled. */
  async function deliverRow(row: TSlackOutboxRow): Promise<keyof Omit<TDeliveryCounts, 'claimed'>> {
    const fields = { outboxId: row.id, threadId: row.thread_id, kind: row.kind, attempts: row.attempts };
    try {
      if (row.kind === 'thread') {
        if (row.parent_ts) {
          await settleSlackOutboxById({ db, id: row.id, status: 'skipped', slackTs: row.parent_ts, error: 'parent already posted' });
          return 'skipped';
        }
        const ts = await postParent(row);
        await settleSlackOutboxById({ db, id: row.id, status: 'delivered', slackTs: ts });
        return 'delivered';
      }
      if (row.kind === 'thread_title') {
        if (!row.parent_ts) {
          // Nothing to update yet; the parent, when it is posted, shows the thread's current title.
          await settleSlackOutboxById({ db, id: row.id, status: 'skipped', error: 'no parent message to update' });
          return 'skipped';
        }
        await transport.updateMessage({ ts: row.parent_ts, text: parentText(row) });
        await settleSlackOutboxById({ db, id: row.id, status: 'delivered', slackTs: row.parent_ts });
        return 'delivered';
      }
      const payload = row.kind === 'answer' ? await answerForChannel(row.payload, isHiddenFromChannel) : row.payload;
      const text = renderReplyText({ kind: row.kind, payload, siteUrl });
      let parentTs = row.parent_ts;
      if (!parentTs) {
        // The thread was never announced (Slack was off, or the announcement was rejected): announce it now.
        parentTs = await setSlackThreadTsById({ db, threadId: row.thread_id, slackTs: await postParent(row) });
        log.info({ ...fields }, 'slack: posted a missing thread parent');
      }
      const { ts } = await transport.postMessage({ text, threadTs: parentTs });
      await settleSlackOutboxById({ db, id: row.id, status: 'delivered', slackTs: ts });
      return 'delivered';
    } catch (error) {
      if (isInvalidPayloadError(error)) {
        if (await settleSlackOutboxById({ db, id: row.id, status: 'failed', error: error.message })) {
          log.error({ ...fields, reason: error.message }, 'slack post failed for good');
        }
        return 'failed';
      }
      const failure = classifySlackError(error);
      if (failure.type === 'permanent') {
        if (await settleSlackOutboxById({ db, id: row.id, status: 'failed', error: failure.reason })) {
          log.error({ ...fields, reason: failure.reason }, 'slack post failed for good');
        }
        return 'failed';
      }
      let delayMs: number;
      if (failure.type === 'rate_limited') {
        delayMs = failure.retryAfterMs;
        pausedUntil = Math.max(pausedUntil, Date.now() + delayMs);
      } else {
        delayMs = backoffMs(row.attempts);
      }
      const status = await retrySlackOutboxById({ db, id: row.id, delayMs, error: failure.reason, maxAgeSeconds: options.maxAgeSeconds });
      if (status === 'failed') {
        log.error({ ...fields, reason: failure.reason }, 'slack post failed for good: retried for too long');
        return 'failed';
      }
      log.warn({ ...fields, reason: failure.reason, retryInMs: delayMs }, 'slack post failed, will retry');
      return 'retried';
    }
  }

  async function deliverOnce(): Promise<TDeliveryCounts> {
    const counts: TDeliveryCounts = { claimed: 0, delivered: 0, retried: 0, failed: 0, skipped: 0 };
    if (Date.now() < pausedUntil) return counts;
    const rows = await claimSlackOutboxBatch({ db, worker: workerId, limit: options.batchSize, leaseSeconds: options.leaseSeconds });
    counts.claimed = rows.length;
    for (const row of rows) {
      const waitMs = pausedUntil - Date.now();
      if (waitMs > 0) {
        // Rate limited by an earlier post of this round: hand the row back until the limit passes.
        await retrySlackOutboxById({ db, id: row.id, delayMs: waitMs, error: 'ratelimited', maxAgeSeconds: options.maxAgeSeconds });
        counts.retried += 1;
        continue;
      }
      // Each post a trace of its own (the loop's empty rounds are none): what was posted, how many tries, the outcome.
      const outcome = await withSpan(
        'slack outbox delivery',
        { 'pa.outbox.kind': row.kind, 'pa.outbox.attempts': row.attempts },
        async (span) => {
          const delivered = await deliverRow(row);
          span.setAttribute('pa.outbox.outcome', delivered);
          return delivered;
        },
        { isRoot: true, kind: 'producer' },
      );
      counts[outcome] += 1;
    }
    if (Date.now() - lastPruneAt > PRUNE_EVERY_MS) {
      lastPruneAt = Date.now();
      await pruneSlackOutbox({ db, keepDays: options.keepDeliveredDays }).catch((error: unknown) =>
        log.warn({ err: error }, 'slack: could not prune the outbox'),
      );
    }
    return counts;
  }

  const loop = createRound({
    name: 'slack outbox',
    log,
    everyMs: options.pollMs,
    firstDelayMs: 0,
    holdMs: () => Math.max(0, pausedUntil - Date.now()),
    failureMessage: 'slack: outbox round failed',
    async round() {
      const counts = await deliverOnce();
      // A full batch may mean more is waiting; rows handed back for a rate limit are not.
      return counts.claimed > 0 && counts.claimed - counts.retried > 0 ? 0 : options.pollMs;
    },
  });

  return {
    deliverOnce,
    start: () => loop.start(),
    kick: () => loop.kick(),
    stop: () => loop.stop(),
    get isRunning() {
      return loop.isRunning;
    },
  };
}

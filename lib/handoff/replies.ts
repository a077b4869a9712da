import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { addHandoffReplyByExternalId, listGithubHandoffsToSync, setHandoffSyncedById, type THandoffRow } from '../db/handoffs';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { maskMentions } from '../github/mentions';
import type { TGithubClient } from '../github/client';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { parseSignedJson, toStorableText } from '../shared/text';
import { maintainerAnswerProposal, MAX_REPLY_CHARS } from '../slack/text';
import { githubExternalId, isMaintainerComment, listHandoffComments, type THandoffComment } from './github';
import type { THandoffConfig } from './settings';

// The maintainers' reply on GitHub, back in the reader's conversation, by two ways that meet in one SQL function
// (add_handoff_reply_by_external_id, supabase/schemas/65_handoffs.sql), so a comment both see is added once:
// - GitHub's webhook (POST /api/github/webhook): `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body with
//   GITHUB_WEBHOOK_SECRET, compared in constant time; unsigned or forged → 401, nothing read. A delivery's id
//   (X-GitHub-Delivery) is kept: a replayed delivery adds nothing. `issue_comment` and `discussion_comment` when
//   `created`; anything else is acknowledged and ignored.
// - the sync (syncGithubHandoffs, a round of ./jobs.ts): the comments of open hand-offs since their last sync, for the
//   deliveries the webhook missed (not configured, the site down, GitHub's own failures).
// Only a member's, owner's or collaborator's comment, never a bot's (ours included), becomes the maintainers' reply.
// Who is mentioned in it is masked (lib/github/mentions.ts); readers see only that a maintainer replied.

export type THandoffReplyDeps = {
  db: TDb;
  log: TLogger;
  privacy?: TPrivacy;
  config: { handoff?: THandoffConfig | null };
  handoffGithub: TGithubClient | null;
  /** Something for the reader's e-mail may be waiting: the e-mail round runs now. */
  handoffJobs?: { kickEmails(): void } | null;
};

export function signGithubPayload(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True only for a well-formed `sha256=<hex>` signature of exactly these bytes with this secret. */
export function isGithubSignatureValid({ secret, signature, body }: { secret: string; signature: unknown; body: Buffer }): boolean {
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signGithubPayload(secret, body)), Buffer.from(signature));
}

const ZCommentEvent = z.object({
  action: z.string(),
  comment: z.looseObject({
    id: z.number(),
    node_id: z.string().optional(),
    body: z.string().nullable().optional(),
    author_association: z.string(),
    user: z.looseObject({ login: z.string(), type: z.string().optional() }).nullable(),
  }),
  issue: z.looseObject({ number: z.number() }).optional(),
  discussion: z.looseObject({ number: z.number() }).optional(),
  repository: z.looseObject({ full_name: z.string() }),
});

export type TWebhookOutcome = { type: 'ignored'; reason: string } | { type: 'duplicate' } | { type: 'reply'; threadId: string; messageId: string };

export async function handleGithubWebhook({ deps, headers, body }: { deps: THandoffReplyDeps; headers: IncomingHttpHeaders; body: Buffer }): Promise<TWebhookOutcome> {
  const secret = deps.config.handoff?.webhookSecret;
  if (!secret) throw new AppError('not_found', 'GitHub webhooks are not configured here (GITHUB_WEBHOOK_SECRET).');
  if (!isGithubSignatureValid({ secret, signature: headers['x-hub-signature-256'], body })) {
    throw new AppError('unauthorized', 'The delivery is not signed with this site’s GitHub webhook secret.');
  }
  const delivery = typeof headers['x-github-delivery'] === 'string' ? headers['x-github-delivery'].slice(0, 100) : null;
  const event = typeof headers['x-github-event'] === 'string' ? headers['x-github-event'] : '';
  if (event === 'ping') return { type: 'ignored', reason: 'ping' };
  if (event !== 'issue_comment' && event !== 'discussion_comment') return { type: 'ignored', reason: `event ${event}` };
  let json: unknown;
  try {
    json = parseSignedJson(body.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The delivery is not JSON.');
  }
  const parsed = ZCommentEvent.safeParse(json);
  if (!parsed.success) return { type: 'ignored', reason: 'not a comment' };
  const payload = parsed.data;
  if (payload.action !== 'created') return { type: 'ignored', reason: `action ${payload.action}` };
  const number = event === 'issue_comment' ? payload.issue?.number : payload.discussion?.number;
  if (number === undefined) return { type: 'ignored', reason: 'no issue or discussion' };
  const comment: THandoffComment = {
    // A discussion's comment is the same node to GraphQL (the sync) and to the webhook: its node id.
    id: event === 'discussion_comment' ? (payload.comment.node_id ?? String(payload.comment.id)) : String(payload.comment.id),
    body: payload.comment.body ?? '',
    login: payload.comment.user?.login ?? '',
    authorAssociation: payload.comment.author_association,
    isBot: payload.comment.user?.type === 'Bot',
  };
  const outcome = await addCommentAsReply({ deps, externalId: githubExternalId(payload.repository.full_name, number), comment, delivery });
  return outcome;
}

async function addCommentAsReply({
  deps,
  externalId,
  comment,
  delivery,
}: {
  deps: THandoffReplyDeps;
  externalId: string;
  comment: THandoffComment;
  delivery: string | null;
}): Promise<TWebhookOutcome> {
  if (!isMaintainerComment(comment)) return { type: 'ignored', reason: 'not a maintainer' };
  // The sync reads comments from GitHub's API, not a signed delivery: what Postgres cannot store is dropped here too.
  const text = maskMentions(toStorableText(comment.body)).slice(0, MAX_REPLY_CHARS).trim();
  if (text === '') return { type: 'ignored', reason: 'no text' };
  const result = await addHandoffReplyByExternalId({
    db: deps.db,
    keys: [...(delivery ? [`delivery:${delivery}`] : []), `comment:${externalId}:${comment.id}`],
    externalId,
    commentId: comment.id,
    text,
    author: { name: null, login: comment.login },
    proposal: maintainerAnswerProposal(text, deps.privacy ?? DEFAULT_PRIVACY),
  });
  if (result.status === 'duplicate') return { type: 'duplicate' };
  if (result.status === 'unknown_handoff') return { type: 'ignored', reason: 'not a hand-off' };
  deps.log.info({ threadId: result.message.thread_id, messageId: result.message.id }, 'handoff: maintainer reply from GitHub added');
  deps.handoffJobs?.kickEmails();
  return { type: 'reply', threadId: result.message.thread_id, messageId: result.message.id };
}

/** How far back hand-offs are synced, and how many per round. */
const SYNC_DAYS = 30;
const SYNC_BATCH = 25;

/** One round of the sync: the comments of open GitHub hand-offs since their last sync. Returns the replies added. */
export async function syncGithubHandoffs({ deps }: { deps: THandoffReplyDeps }): Promise<number> {
  const github = deps.handoffGithub;
  if (!github) return 0;
  const rows = await listGithubHandoffsToSync({ db: deps.db, days: SYNC_DAYS, limit: SYNC_BATCH });
  let added = 0;
  for (const row of rows) {
    added += await syncOne(deps, github, row);
  }
  return added;
}

async function syncOne(deps: THandoffReplyDeps, github: TGithubClient, row: THandoffRow): Promise<number> {
  if (!row.external_id) return 0;
  const startedAt = new Date();
  let added = 0;
  try {
    const comments = await listHandoffComments({
      github,
      externalId: row.external_id,
      isDiscussion: (row.external_url ?? '').includes('/discussions/'),
      since: row.synced_at,
    });
    for (const comment of comments) {
      const outcome = await addCommentAsReply({ deps, externalId: row.external_id, comment, delivery: null });
      if (outcome.type === 'reply') added += 1;
    }
    await setHandoffSyncedById({ db: deps.db, id: row.id, at: startedAt });
  } catch (error) {
    deps.log.warn({ handoff: row.id, err: error instanceof Error ? error.message : String(error) }, 'handoff: GitHub sync of a hand-off failed; next round tries again');
  }
  return added;
}

import { randomBytes } from 'node:crypto';
import { readQuote } from '../shared/quote';
import type { TReaderAccess } from '../audiences';
import { isCitedPageHidden } from '../docs/gate';
import { z } from 'zod';
import { AppError } from '../errors';
import { listMessagesByThread } from '../db/messages';
import type { TMessageRow } from '../db/rows';
import { createThreadShare, getThreadShareById, revokeThreadSharesByThread } from '../db/thread-shares';
import { getThreadById } from '../db/threads';
import type { TDb } from '../db/types';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { isMaintainerReply } from '../shared/messages';
import { SHARE_ID_PATTERN, type TSharedConversation, type TSharedConversationView, type TSharedMessage } from '../shared/share';

// Share links (issue 41, item 2). The owner of a conversation shares it: its messages as they are now are kept as a
// snapshot under an unguessable id (192 random bits), readable by anyone with the link at /shared/<id>, until
// the owner revokes it (it then answers 410, and its snapshot is gone). A conversation has one live link (issue 54):
// sharing it again keeps the link and brings its snapshot up to date, so that a reader cannot pile up copies. Revoking and
// sharing again makes a new link, at most SHARE_LINKS_PER_HOUR an hour per conversation, revoked ones counted (issue 67,
// item 1.7; supabase/schemas/21_thread_shares.sql keeps the count): one more is a 429. Another session sharing or revoking someone
// else's conversation gets the same 404 as any read of it. The snapshot is masked again (lib/privacy/mask.ts)
// and carries no identity: no owner, no ids, maintainers' replies without their names.

const SHARED_MESSAGES_MAX = 500;

/** New links a conversation may have in an hour (create_thread_share holds it; its refusal names the same number). */
export const SHARE_LINKS_PER_HOUR = 5;

export const ZShareId = z.string().regex(SHARE_ID_PATTERN, 'must be a share id');

export type TShareDeps = { db: TDb; config: { siteUrl: string }; privacy?: TPrivacy };

export function newShareId(): string {
  return randomBytes(24).toString('base64url');
}

export function shareUrl(siteUrl: string, id: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/shared/${id}`;
}

/**
 * The caller's conversation as a snapshot behind its link: a new link, or the live one with its snapshot replaced
 * (`isNew` says which). 404 (from the database) when it is not theirs; 429 (`rate_limited`, with Retry-After) when a
 * new link is due and the conversation has had SHARE_LINKS_PER_HOUR in the last hour.
 */
export async function shareThreadForCaller({
  deps,
  owner,
  threadId,
}: {
  deps: TShareDeps;
  owner: string;
  threadId: string;
}): Promise<{ url: string; createdAt: string; updatedAt: string; isNew: boolean }> {
  const thread = await getThreadById({ db: deps.db, owner, threadId });
  const page = await listMessagesByThread({ db: deps.db, owner, threadId, limit: SHARED_MESSAGES_MAX, order: 'asc' });
  const snapshot = toSharedConversation({ title: thread.metadata?.threadTitle ?? '', messages: page.data, privacy: deps.privacy ?? DEFAULT_PRIVACY });
  const row = await createThreadShare({ db: deps.db, owner, threadId, id: newShareId(), snapshot });
  if (row.refused) {
    const minutes = Math.max(1, Math.ceil(row.retry_after / 60));
    throw new AppError(
      'rate_limited',
      `This conversation has had ${row.limit} new share links in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { headers: { 'Retry-After': String(row.retry_after) }, detail: { limit: 'share_links_per_hour' } },
    );
  }
  return { url: shareUrl(deps.config.siteUrl, row.id), createdAt: row.created_at, updatedAt: row.updated_at, isNew: row.created };
}

/** Revokes the caller's conversation's link and drops its snapshot; 404 when it is not theirs. */
export async function revokeThreadSharesForCaller({ deps, owner, threadId }: { deps: { db: TDb }; owner: string; threadId: string }): Promise<{ revoked: number }> {
  return revokeThreadSharesByThread({ db: deps.db, owner, threadId });
}

export type TSharedLookup = { status: 'active'; conversation: TSharedConversationView } | { status: 'revoked' } | { status: 'not_found' };

/** A link as anyone opens it. A malformed id is not found, like one that never was. */
export async function openSharedConversation({ deps, id, access }: { deps: { db: TDb }; id: unknown; access: TReaderAccess }): Promise<TSharedLookup> {
  const parsed = ZShareId.safeParse(id);
  if (!parsed.success) return { status: 'not_found' };
  const found = await getThreadShareById({ db: deps.db, id: parsed.data });
  if (found === null) return { status: 'not_found' };
  if (found.status === 'revoked') return { status: 'revoked' };
  const snapshot = found.snapshot as TSharedConversation;
  const messages = await Promise.all(snapshot.messages.map((message) => withheldFrom(deps, message, access)));
  return { status: 'active', conversation: { title: snapshot.title, messages, sharedAt: new Date(found.updated_at).toISOString() } };
}

/** What a viewer reads of an answer drawn from a page they may not see (lib/audiences): neither its text nor its sources. */
export const WITHHELD_ANSWER_TEXT = 'This answer is not shown here: it draws on pages you may not read.';

/**
 * A shared message as this viewer may read it: an answer citing a page they may not see (the sharer could) is
 * withheld whole, its sources with it, so that a link shows no one what their own access would not.
 */
async function withheldFrom(deps: { db: TDb }, message: TSharedMessage, access: TReaderAccess): Promise<TSharedMessage> {
  if (message.role !== 'assistant' || access.isMaintainer) return message;
  const urls = message.content.flatMap((part) => (part.text.annotations ?? []).map((annotation) => annotation.url));
  for (const url of new Set(urls)) {
    if (await isCitedPageHidden({ db: deps.db, url, access })) {
      return { ...message, content: [{ type: 'text', text: { value: WITHHELD_ANSWER_TEXT, annotations: [] } }] };
    }
  }
  return message;
}

/**
 * The messages a reader saw, masked: the reader's questions and the title are masked again (they were when stored;
 * masking is idempotent), and so are answers, whose citations keep their sources but lose their places in the text
 * when masking changed it (the offsets would point elsewhere). Answers still being written are left out.
 */
export function toSharedConversation({ title, messages, privacy }: { title: string; messages: TMessageRow[]; privacy: TPrivacy }): TSharedConversation {
  const shared: TSharedMessage[] = [];
  for (const message of messages) {
    if (message.status === 'in_progress') continue;
    const content = message.content.map((part) => {
      const masked = privacy.mask(part.text.value);
      const annotations = (part.text.annotations ?? []).map((annotation) =>
        masked.count === 0 ? annotation : { ...annotation, start_index: masked.text.length, end_index: masked.text.length },
      );
      return { type: 'text' as const, text: { value: masked.text, annotations: message.role === 'user' ? [] : annotations } };
    });
    const quote = message.role === 'user' ? readQuote(message.metadata) : null;
    shared.push({
      role: message.role,
      isMaintainer: isMaintainerReply(message),
      content,
      ...(quote ? { quote: { text: privacy.mask(quote.text).text, ...(quote.title ? { title: privacy.mask(quote.title).text } : {}) } } : {}),
      status: message.status === 'incomplete' ? 'incomplete' : 'completed',
      createdAt: Math.floor(Date.parse(message.created_at) / 1000),
    });
  }
  return { title: privacy.mask(title).text.trim() || 'A conversation with the assistant', messages: shared };
}

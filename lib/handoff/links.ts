import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { confirmHandoffEmailById, openHandoffConversationLink } from '../db/handoffs';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import type { TLogger } from '../log';

// The links a hand-off's e-mails carry (issue 67), both signed with a key derived from SESSION_SECRET and expiring
// after LINK_TTL_SECONDS, both opened by a page of the site that reads the token from the address's fragment (never
// sent to a server, so never in a log, a trace or a Referer) and acts only when the reader presses its button (a mail
// scanner that fetches, or even renders, the link changes nothing):
// - the first mail to an address a reader left confirms it (/handoff/confirm): once, and replies are e-mailed only
//   to a confirmed address, so nobody can have someone else's replies sent to them. An address not confirmed in time
//   is forgotten (./email.ts).
// - every reply mail links the reader's conversation (/handoff/open). In the browser the question was asked in, it
//   opens, as often as the reader likes. In another browser (the mail read on a phone, cookies cleared), the reader
//   may move the conversation there: it then lives in that browser, and the link moves it nowhere again, so a mail
//   forwarded or seen later by someone else opens nothing. A conversation asked by a signed-in reader moves only to a
//   browser signed in as that reader (its answers may quote pages only they may read). Each reply mail has its own
//   link. What a link cannot do: tell the reader from whoever they forward the mail to before they open it; the mail
//   says so.

export const LINK_TTL_SECONDS = 7 * 86_400;

/** A link's token: its payload (base64url JSON) and signature (base64url HMAC-SHA256). */
export const ZHandoffLinkToken = z.string().max(1000).regex(/^[A-Za-z0-9_-]{10,900}\.[A-Za-z0-9_-]{43}$/, 'token: not a link from this site’s e-mails');

export type THandoffLink = { kind: 'confirm'; handoffId: number; expiresAt: number } | { kind: 'open'; threadId: string; nonce: string; expiresAt: number };

const ZPayload = z.union([
  z.strictObject({ k: z.literal('confirm'), h: z.number().int().positive(), e: z.number().int() }),
  z.strictObject({ k: z.literal('open'), t: z.string().min(1).max(100), n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), e: z.number().int() }),
]);

/** The HMAC key of the links: derived, so that the session secret itself signs nothing but sessions. */
function linkKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('paste-assistant:handoff-links:v1').digest();
}

function signature(sessionSecret: string, payload: string): string {
  return createHmac('sha256', linkKey(sessionSecret)).update(payload).digest('base64url');
}

export function signHandoffLink(sessionSecret: string, link: THandoffLink): string {
  const body = link.kind === 'confirm' ? { k: link.kind, h: link.handoffId, e: link.expiresAt } : { k: link.kind, t: link.threadId, n: link.nonce, e: link.expiresAt };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${signature(sessionSecret, payload)}`;
}

/** The link a token carries; 403 when it is not this site's or has expired, 400 when it is not a link of `kind`. */
export function readHandoffLink<TKind extends THandoffLink['kind']>(sessionSecret: string, token: string, kind: TKind, now = Date.now()): Extract<THandoffLink, { kind: TKind }> {
  const [payload = '', given = ''] = token.split('.');
  const expected = Buffer.from(signature(sessionSecret, payload));
  if (Buffer.byteLength(given) !== expected.length || !timingSafeEqual(Buffer.from(given), expected)) {
    throw new AppError('forbidden', 'This link is not one of this site’s: open the link in the e-mail as it came.');
  }
  let parsed: z.infer<typeof ZPayload>;
  try {
    parsed = ZPayload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('bad_request', 'token: not a link from this site’s e-mails.');
  }
  if (parsed.k !== kind) throw new AppError('bad_request', `token: not a link to ${kind === 'confirm' ? 'confirm an address' : 'open a conversation'}.`);
  if (parsed.e * 1000 < now) throw new AppError('forbidden', 'This link has expired: links in these e-mails work for 7 days.');
  const link: THandoffLink = parsed.k === 'confirm' ? { kind: 'confirm', handoffId: parsed.h, expiresAt: parsed.e } : { kind: 'open', threadId: parsed.t, nonce: parsed.n, expiresAt: parsed.e };
  return link as Extract<THandoffLink, { kind: TKind }>;
}

const expiry = (now: number) => Math.floor(now / 1000) + LINK_TTL_SECONDS;

/** The address a confirmation mail links: the site's page, the token in the fragment. */
export function confirmLinkUrl({ siteUrl, sessionSecret, handoffId, now = Date.now() }: { siteUrl: string; sessionSecret: string; handoffId: number; now?: number }): string {
  return `${siteUrl.replace(/\/+$/, '')}/handoff/confirm#t=${signHandoffLink(sessionSecret, { kind: 'confirm', handoffId, expiresAt: expiry(now) })}`;
}

/** The address a reply mail links the conversation by: a new single-use link each mail. */
export function conversationLinkUrl({ siteUrl, sessionSecret, threadId, now = Date.now() }: { siteUrl: string; sessionSecret: string; threadId: string; now?: number }): string {
  const link = signHandoffLink(sessionSecret, { kind: 'open', threadId, nonce: randomBytes(18).toString('base64url'), expiresAt: expiry(now) });
  return `${siteUrl.replace(/\/+$/, '')}/handoff/open#t=${link}`;
}

export type THandoffLinkDeps = { db: TDb; log: TLogger; sessionSecret: string; handoffJobs?: { kickEmails(): void } | null };

/** POST /api/handoff/link {action: 'confirm'}: the address is confirmed (once), and replies waiting for it go. */
export async function confirmHandoffAddress({ deps, token }: { deps: THandoffLinkDeps; token: string }): Promise<{ status: 'confirmed' }> {
  const link = readHandoffLink(deps.sessionSecret, token, 'confirm');
  const result = await confirmHandoffEmailById({ db: deps.db, id: link.handoffId });
  if (result.status === 'unknown') throw new AppError('not_found', 'This address is no longer kept: the conversation was deleted, or the address was not confirmed in time.');
  if (result.status === 'already') throw new AppError('conflict', 'This address is confirmed already: the maintainers’ replies are e-mailed to it.');
  deps.log.info({ handoff: link.handoffId }, 'handoff: the reader confirmed their address');
  if (result.is_pending) deps.handoffJobs?.kickEmails();
  return { status: 'confirmed' };
}

export type TOpenedConversation = { status: 'opened'; thread_id: string; url: string } | { status: 'elsewhere' };

/**
 * POST /api/handoff/link {action: 'open'}: the conversation, for the browser `owner` (its session). Its own: opened.
 * Another browser's: `elsewhere` until the reader asks to move it here (`isMoving`), then moved and opened, once.
 */
export async function openHandoffConversation({ deps, owner, token, isMoving }: { deps: THandoffLinkDeps; owner: string; token: string; isMoving: boolean }): Promise<TOpenedConversation> {
  const link = readHandoffLink(deps.sessionSecret, token, 'open');
  const result = await openHandoffConversationLink({ db: deps.db, key: link.nonce, threadId: link.threadId, opener: owner, isMoving });
  if (result.status === 'owner' || result.status === 'moved') {
    if (result.status === 'moved') deps.log.info({ threadId: result.thread_id }, 'handoff: a reply mail’s link moved the conversation to the browser that opened it');
    return { status: 'opened', thread_id: result.thread_id, url: `/assistant?thread=${encodeURIComponent(result.thread_id)}` };
  }
  if (result.status === 'unknown') throw new AppError('not_found', 'This conversation is no longer kept: it was deleted.');
  if (result.status === 'sign_in') throw new AppError('forbidden', 'This conversation was asked by a signed-in reader: sign in here as that reader, or open it in the browser you asked in.');
  if (result.status === 'elsewhere') return { status: 'elsewhere' };
  throw new AppError('conflict', 'This link already opened the conversation in another browser: open it there. Each reply mail brings a new link.');
}

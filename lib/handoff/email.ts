import nodemailer from 'nodemailer';
import { claimHandoffConfirmations, claimHandoffEmails, releaseHandoffConfirmationById, releaseHandoffEmailById } from '../db/handoffs';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import { confirmLinkUrl, conversationLinkUrl, LINK_TTL_SECONDS } from './links';
import type { THandoffConfig } from './settings';

// The maintainers' reply, e-mailed to a reader who left an address with their hand-off (HANDOFF_TO names email):
// SMTP through nodemailer (SMTP_URL, from HANDOFF_EMAIL_FROM). The address first gets one mail, with a link that
// confirms it (./links.ts): until it is confirmed, no reply is sent to it, so nobody can have someone else's replies
// sent to them, and an address never confirmed is forgotten after the link expires. A maintainer's reply from any
// channel marks the hand-off's e-mail pending (a trigger, supabase/schemas/65_handoffs.sql); a round here sends the
// confirmations waiting, then the replies pending for confirmed addresses (each with a link to the reader's
// conversation), and puts back what the server refused, for the next round. The address is read only here and goes
// only to the SMTP server: never to a log line (the hand-off's id stands for it), the dashboard or a transcript.

export type TMailer = { send(message: { from: string; to: string; subject: string; text: string }): Promise<void>; close(): void };

export function createMailer(smtpUrl: string): TMailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

export type THandoffEmailDeps = { db: TDb; log: TLogger; config: { siteUrl: string; handoff?: THandoffConfig | null }; mailer: TMailer | null; sessionSecret: string };

const EMAIL_BATCH = 20;
const MAX_QUOTED_CHARS = 1000;

const LINK_DAYS = LINK_TTL_SECONDS / 86_400;

/** One round: the confirmations waiting, then every pending reply to a confirmed address; returns how many mails went. */
export async function sendHandoffEmails({ deps }: { deps: THandoffEmailDeps }): Promise<number> {
  const email = deps.config.handoff?.email;
  if (!email || !deps.mailer) return 0;
  const { siteUrl } = deps.config;
  let sent = 0;
  for (const item of await claimHandoffConfirmations({ db: deps.db, limit: EMAIL_BATCH, forgetDays: LINK_DAYS })) {
    const url = confirmLinkUrl({ siteUrl, sessionSecret: deps.sessionSecret, handoffId: item.id });
    if (await trySend(deps, item.id, 'confirmation', { from: email.from, to: item.email, subject: 'Confirm your address to get the maintainers’ reply', text: confirmationText({ siteUrl, url }) })) sent += 1;
    else await releaseHandoffConfirmationById({ db: deps.db, id: item.id, error: 'the confirmation could not be e-mailed' });
  }
  for (const item of await claimHandoffEmails({ db: deps.db, limit: EMAIL_BATCH })) {
    if (item.replies.length === 0) continue;
    const url = conversationLinkUrl({ siteUrl, sessionSecret: deps.sessionSecret, threadId: item.thread_id });
    const text = emailText({ question: item.question, quote: item.quote ?? null, replies: item.replies, siteUrl, conversationUrl: url });
    if (await trySend(deps, item.id, 'reply', { from: email.from, to: item.email, subject: 'The maintainers replied to your question', text })) sent += 1;
    else await releaseHandoffEmailById({ db: deps.db, id: item.id, previousEmailedAt: item.previous_emailed_at, error: 'the reply could not be e-mailed' });
  }
  return sent;
}

/** Sends one mail; false (logged, the address never named) when the SMTP server refused it: the caller puts it back. */
async function trySend(deps: THandoffEmailDeps, handoffId: number, what: 'confirmation' | 'reply', message: Parameters<TMailer['send']>[0]): Promise<boolean> {
  try {
    await deps.mailer!.send(message);
    deps.log.info({ handoff: handoffId }, `handoff: ${what} e-mailed to the reader`);
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\S+@\S+/g, '[address]').slice(0, 300) : 'unknown';
    deps.log.warn({ handoff: handoffId, reason }, `handoff: the ${what} could not be e-mailed; next round tries again`);
    return false;
  }
}

/** The first mail to an address a reader left: confirm it, or ignore the mail and nothing more comes. */
export function confirmationText({ siteUrl, url }: { siteUrl: string; url: string }): string {
  return [
    `Someone asked the maintainers of ${siteUrl} a question and left this address to get their reply by e-mail.`,
    '',
    `If it was you, confirm the address (the link works for ${LINK_DAYS} days):`,
    '',
    url,
    '',
    `If it was not you, ignore this e-mail: nothing more is sent to this address, and it is forgotten in ${LINK_DAYS} days.`,
  ].join('\n');
}

export function emailText({
  question,
  quote = null,
  replies,
  siteUrl,
  conversationUrl,
}: {
  question: string | null;
  /** The passage the question asked about ("Ask about this"), stored masked: quoted after it, bounded as the question is. */
  quote?: string | null;
  replies: string[];
  siteUrl: string;
  conversationUrl: string;
}): string {
  const quoteLines = (text: string) => text.slice(0, MAX_QUOTED_CHARS).split('\n').map((line) => `> ${line}`).join('\n');
  const passage = quote && quote.trim() !== '' ? ['', 'About this passage:', '', quoteLines(quote)] : [];
  return [
    `You asked the maintainers of ${siteUrl}:`,
    '',
    quoteLines(question ?? ''),
    ...passage,
    '',
    'They replied:',
    '',
    replies.join('\n\n---\n\n'),
    '',
    `The reply is also in your conversation, where you can keep asking: ${conversationUrl}`,
    `The link is yours (do not forward this e-mail): it opens the conversation in the browser you asked in, or moves it to the first other browser that opens it, and then to no other. It works for ${LINK_DAYS} days.`,
    '',
    'You get this e-mail because you left and confirmed this address when you asked. It is kept only to send you the maintainers’ replies, and deleted with the conversation.',
  ].join('\n');
}

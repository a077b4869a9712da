import nodemailer from 'nodemailer';
import { claimHandoffEmails, releaseHandoffEmailById } from '../db/handoffs';
import type { TDb } from '../db/types';
import type { TLogger } from '../log';
import type { THandoffConfig } from './settings';

// The maintainers' reply, e-mailed to a reader who left an address with their hand-off (HANDOFF_TO names email):
// SMTP through nodemailer (SMTP_URL, from HANDOFF_EMAIL_FROM). A maintainer's reply from any channel marks the
// hand-off's e-mail pending (a trigger, supabase/schemas/65_handoffs.sql); a round here takes what is pending and
// sends it, and puts back what the server refused, for the next round. The address is read only here and goes only
// to the SMTP server: never to a log line (the hand-off's id stands for it), the dashboard or a transcript.

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

export type THandoffEmailDeps = { db: TDb; log: TLogger; config: { siteUrl: string; handoff?: THandoffConfig | null }; mailer: TMailer | null };

const EMAIL_BATCH = 20;
const MAX_QUOTED_CHARS = 1000;

/** One round: every pending reply e-mailed; returns how many went. */
export async function sendHandoffEmails({ deps }: { deps: THandoffEmailDeps }): Promise<number> {
  const email = deps.config.handoff?.email;
  if (!email || !deps.mailer) return 0;
  const pending = await claimHandoffEmails({ db: deps.db, limit: EMAIL_BATCH });
  let sent = 0;
  for (const item of pending) {
    if (item.replies.length === 0) continue;
    try {
      await deps.mailer.send({ from: email.from, to: item.email, subject: 'The maintainers replied to your question', text: emailText({ question: item.question, replies: item.replies, siteUrl: deps.config.siteUrl }) });
      sent += 1;
      deps.log.info({ handoff: item.id }, 'handoff: reply e-mailed to the reader');
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/\S+@\S+/g, '[address]').slice(0, 300) : 'unknown';
      await releaseHandoffEmailById({ db: deps.db, id: item.id, previousEmailedAt: item.previous_emailed_at, error: reason });
      deps.log.warn({ handoff: item.id, reason }, 'handoff: the reply could not be e-mailed; next round tries again');
    }
  }
  return sent;
}

export function emailText({ question, replies, siteUrl }: { question: string | null; replies: string[]; siteUrl: string }): string {
  const quoted = (question ?? '').slice(0, MAX_QUOTED_CHARS).split('\n').map((line) => `> ${line}`).join('\n');
  return [
    `You asked the maintainers of ${siteUrl}:`,
    '',
    quoted,
    '',
    replies.length === 1 ? 'They replied:' : 'They replied:',
    '',
    replies.join('\n\n---\n\n'),
    '',
    `The reply is also in your conversation: ${siteUrl.replace(/\/+$/, '')}/assistant`,
    '',
    'You get this e-mail because you left this address when you asked. It is kept only to send you the maintainers’ replies, and deleted with the conversation.',
  ].join('\n');
}

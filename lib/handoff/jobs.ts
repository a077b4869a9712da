import { createRound } from '../jobs';
import { createMailer, sendHandoffEmails, type TMailer } from './email';
import { syncGithubHandoffs, type THandoffReplyDeps } from './replies';

// The hand-offs' background work, on lib/jobs' rounds: the GitHub sync (comments the webhook missed) and the
// replies' e-mails. No lease: every instance may run them; the SQL makes a comment one reply (its id is kept) and
// claims each e-mail once (for update skip locked). Nothing runs without the channel it serves.

/** How often the sync reads the open hand-offs' comments, and how often pending e-mails go. */
const SYNC_EVERY_MS = 5 * 60_000;
const EMAIL_EVERY_MS = 30_000;

export type THandoffJobs = {
  start(): void;
  stop(): Promise<void>;
  /** Runs the e-mail round now (a reply was added, an address confirmed, a hand-off left one). */
  kickEmails(): void;
  /** One sync round now (tests, scripts). */
  syncNow(): Promise<number>;
  sendEmailsNow(): Promise<number>;
};

export function createHandoffJobs({
  deps,
  firstDelayMs,
}: {
  /** `sessionSecret`: what the e-mails' links are signed with (./links.ts). */
  deps: Omit<THandoffReplyDeps, 'handoffJobs'> & { config: { siteUrl: string }; sessionSecret: string };
  firstDelayMs: number;
}): THandoffJobs {
  const handoff = deps.config.handoff;
  const mailer: TMailer | null = handoff?.email ? createMailer(handoff.email.smtpUrl) : null;
  const emailDeps = { db: deps.db, log: deps.log, config: deps.config, mailer, sessionSecret: deps.sessionSecret };
  let jobs: THandoffJobs | null = null;
  const syncNow = () => syncGithubHandoffs({ deps: { ...deps, handoffJobs: jobs } });
  const sendEmailsNow = () => sendHandoffEmails({ deps: emailDeps });
  const sync = createRound({ name: 'handoff-sync', log: deps.log, everyMs: SYNC_EVERY_MS, firstDelayMs, jitter: 0.2, failureMessage: 'handoff: GitHub sync failed', round: async () => void (await syncNow()) });
  const emails = createRound({ name: 'handoff-emails', log: deps.log, everyMs: EMAIL_EVERY_MS, firstDelayMs, jitter: 0.2, failureMessage: 'handoff: e-mail round failed', round: async () => void (await sendEmailsNow()) });
  jobs = {
    start() {
      if (handoff?.github && deps.handoffGithub) sync.start();
      if (mailer) emails.start();
    },
    async stop() {
      await Promise.all([sync.stop(), emails.stop()]);
      mailer?.close();
    },
    kickEmails() {
      if (mailer) emails.kick();
    },
    syncNow,
    sendEmailsNow,
  };
  return jobs;
}

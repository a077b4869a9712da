import { listGapDrafts } from '../db/docs-gaps';
import { claimMaintainerDigest, completeMaintainerDigest } from '../db/maintainers';
import { createLeasedJob, type TLeaseStore } from '../jobs';
import type { TLogger } from '../log';
import type { TGapDraft } from '../shared/docs-gaps';
import { formatRate, GRADE_LABELS, gradeReasonText, POSITIVE_REASONS, type TGradeCountsView, type TGradesView } from '../shared/answer-grades';
import type { TDashboardView } from '../shared/maintainers-dashboard';
import { escapeMrkdwn, slackText } from '../slack/mrkdwn';
import { getDashboardForMaintainers, type TDashboardDeps } from './dashboard';
import { buildDashboardUrl } from './links';

// The weekly Slack digest of the gaps (SLACK_DIGEST=weekly): every instance's loop asks the database every
// SLACK_DIGEST_CHECK_SECONDS whether a digest is due; the one that gets the lease (claim_maintainer_digest) posts
// the period since the last digest and records its end. A failed post keeps the lease until it lapses, then any
// instance tries again, so a digest is neither lost to a Slack outage nor sent twice.

export const DIGEST_KIND = 'weekly';
export const DIGEST_EVERY_SECONDS = 7 * 86_400;
const DIGEST_LEASE_SECONDS = 5 * 60;
const GROUPS_IN_DIGEST = 5;
/** The drafted docs fixes of the period (lib/maintainers/gaps/drafts.ts) the digest lists. */
const DRAFTS_IN_DIGEST = 10;

export type TDigestDeps = TDashboardDeps & {
  log: TLogger;
  reviewChannel: { postToChannel(text: string): Promise<{ ts: string }> };
};

export type TDigestLoop = {
  /** One check: posts the digest if it is due and this instance gets the lease. True if it posted. */
  runOnce(): Promise<boolean>;
  start(): void;
  /** Ends the checks; resolves once the one in progress ended. */
  stop(): Promise<void>;
};

type TDigestPeriod = { from: string; to: string };

export function createDigestLoop({ deps, workerId, checkSeconds }: { deps: TDigestDeps; workerId: string; checkSeconds: number }): TDigestLoop {
  // A failed post completes nothing: the lease is kept until it lapses, then any instance tries again.
  const store: TLeaseStore<TDigestPeriod, true> = {
    async claim({ worker, leaseSeconds }) {
      const claim = await claimMaintainerDigest({ db: deps.db, kind: DIGEST_KIND, worker, everySeconds: DIGEST_EVERY_SECONDS, leaseSeconds });
      return claim.claimed ? { from: claim.from, to: claim.to } : null;
    },
    async complete({ worker, claim, outcome }) {
      if ('result' in outcome) await completeMaintainerDigest({ db: deps.db, kind: DIGEST_KIND, worker, to: claim.to });
    },
  };
  const job = createLeasedJob({
    name: 'digest',
    log: deps.log,
    worker: workerId,
    lease: { store, leaseSeconds: DIGEST_LEASE_SECONDS },
    // A first check soon after start-up, so that a digest due while no instance ran goes out.
    schedule: {
      everyMs: checkSeconds * 1000,
      firstDelayMs: Math.min(checkSeconds * 1000, 5000),
      jitter: 0.25,
      failureMessage: 'weekly Slack digest failed; tried again later',
    },
    async work({ claim }) {
      const view = await getDashboardForMaintainers({ deps, window: { from: new Date(claim.from), to: new Date(claim.to), preset: null } });
      const dashboard = buildDashboardUrl({
        siteUrl: deps.config.siteUrl,
        secret: deps.sessionSecret,
        ttlSeconds: deps.config.maintainers.linkTtlSeconds,
      }).url;
      const drafts = await listGapDrafts({ db: deps.db, from: new Date(claim.from), to: new Date(claim.to), limit: DRAFTS_IN_DIGEST });
      await deps.reviewChannel.postToChannel(formatDigestText(view, dashboard, drafts));
      deps.log.info({ from: claim.from, to: claim.to }, 'weekly Slack digest posted');
      return true as const;
    },
  });

  return {
    runOnce: async () => (await job.runOnce()) ?? false,
    start: () => job.start(),
    stop: () => job.stop(),
  };
}

const day = (iso: string) => iso.slice(0, 10);

const ofGraded = (counts: TGradeCountsView) => `${formatRate(counts.rate)} (${counts.answered} of ${counts.graded})`;

/**
 * Where answers went wrong, in two lines: the answered rate this week against last week's, and the week's worst topic
 * and worst answer with why (lib/maintainers/grades).
 */
export function gradeDigestLines(week: TGradesView['week']): [string, string] {
  const first = `*Answered:* ${ofGraded(week.totals)} of graded answers this week · last week ${week.previous.graded > 0 ? ofGraded(week.previous) : 'none graded'}`;
  const worst = week.worst[0];
  const parts = [
    week.worstTopic ? `topic “${slackText(week.worstTopic.label)}” (${week.worstTopic.graded - week.worstTopic.answered} of ${week.worstTopic.graded} not fully answered)` : '',
    worst
      ? `answer “${slackText(worst.question.length > 100 ? `${worst.question.slice(0, 99)}…` : worst.question)}” — ${GRADE_LABELS[worst.grade].toLowerCase()}: ${worst.reasons.filter((reason) => !POSITIVE_REASONS.has(reason)).map(gradeReasonText).join(', ') || worst.judge?.reason || 'judged so by the model'} · <${escapeMrkdwn(worst.transcriptUrl)}|transcript>`
      : '',
  ].filter(Boolean);
  return [first, `*Worst:* ${parts.length > 0 ? parts.join(' · ') : 'every graded answer this week was answered.'}`];
}

/** The digest as Slack mrkdwn: the period's figures, the top unanswered questions with their transcripts, the dashboard. */
export function formatDigestText(view: TDashboardView, dashboardUrl: string, drafts: TGapDraft[] = []): string {
  const t = view.totals;
  const lines = [
    `:bar_chart: *Paste Assistant: this week's gaps* (${day(view.period.from)} → ${day(view.period.to)})`,
    ...(view.grades ? gradeDigestLines(view.grades.week) : []),
    `Questions *${t.questions}*${view.sources.some((entry) => entry.source !== 'site') ? ` (${view.sources.map((entry) => `${entry.source} ${entry.questions}`).join(', ')})` : ''} · answered ${t.answered} · not covered by the docs *${t.notCovered}* · :thumbsup: ${t.up} · :thumbsdown: ${t.down} · searches without results ${t.searchesWithoutResults}`,
  ];
  const groups = view.groups.slice(0, GROUPS_IN_DIGEST);
  if (groups.length === 0) lines.push('No unanswered questions this week.');
  else {
    lines.push('*Top unanswered questions*');
    groups.forEach((group, index) => {
      const label = group.label.length > 140 ? `${group.label.slice(0, 139)}…` : group.label;
      const kinds = [
        group.notCovered ? `${group.notCovered} not covered` : '',
        group.votedDown ? `${group.votedDown} :thumbsdown:` : '',
        group.sources.some((source) => source !== 'site') ? `from ${group.sources.join(' and ')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const latest = group.questions[0];
      const link = latest ? ` · <${escapeMrkdwn(latest.transcriptUrl)}|transcript>` : '';
      lines.push(`${index + 1}. “${slackText(label)}” — ${group.count}× (${kinds})${link}`);
    });
  }
  if (drafts.length > 0) {
    lines.push('*New drafted docs fixes*');
    for (const draft of drafts) {
      const what = draft.kind === 'pull' ? (draft.target === 'github' ? 'pull request' : 'patch') : 'issue';
      const where = draft.status === 'failed' ? `not opened: ${escapeMrkdwn(draft.error ?? 'GitHub failed')}` : draft.url ? `<${escapeMrkdwn(draft.url)}|${what}>` : what;
      const topic = draft.topic.length > 100 ? `${draft.topic.slice(0, 99)}…` : draft.topic;
      lines.push(`• “${slackText(topic)}” — ${where}${draft.closedAt ? ` (closed: ${draft.answered ?? 0} questions now answered)` : ''}`);
    }
  }
  const empty = view.searchesWithoutResults.slice(0, 5).map((search) => `“${slackText(search.query.slice(0, 80))}” (${search.count})`);
  if (empty.length > 0) lines.push(`*Searches without results:* ${empty.join(' · ')}`);
  lines.push(`<${escapeMrkdwn(dashboardUrl)}|Open the dashboard>`);
  return lines.join('\n');
}

import { z } from 'zod';
import { listHandoffsForMaintainers, type TMaintainerHandoffRow } from '../db/handoffs';
import { getMaintainerDashboard, type TMaintainerDashboardData, type TUnansweredItem } from '../db/maintainers';
import type { TDb } from '../db/types';
import { AppError } from '../errors';
import { ZDigits, ZInputDay } from '../http/input';
import {
  DASHBOARD_PRESETS,
  type TDashboardPreset,
  type TDashboardView,
  type TQuestionGroupView,
  type TUnansweredQuestionView,
  type THandoffItemView,
} from '../shared/maintainers-dashboard';
import { getGradesForMaintainers, type TGradesViewDeps } from './grades/view';
import { buildTranscriptUrl } from './links';
import { groupBySimilarity } from './similarity';

// The dashboard's figures for a period: the last 7, 30 or 90 days (to now), or whole UTC days from–to.

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
/** How many failed questions the database returns for grouping, and how many groups the page shows. */
const UNANSWERED_LIMIT = 1000;
/** Hand-offs listed at most (the newest). */
const HANDOFFS_SHOWN = 50;
const GROUPS_SHOWN = 10;
const QUESTIONS_PER_GROUP = 8;
const REASONS_SHOWN = 20;

export const ZDashboardQuery = z.object({
  days: ZDigits.pipe(z.number())
    .refine((value): value is TDashboardPreset => (DASHBOARD_PRESETS as readonly number[]).includes(value), 'days is 7, 30 or 90')
    .optional(),
  from: ZInputDay.optional().or(z.literal('').transform(() => undefined)),
  to: ZInputDay.optional().or(z.literal('').transform(() => undefined)),
});
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;

export type TDashboardWindow = { from: Date; to: Date; preset: TDashboardPreset | null };

/** [from, to) in whole UTC days: a preset ends with today; dates given include `to`. */
export function resolveDashboardWindow(query: TDashboardQuery, nowMs = Date.now()): TDashboardWindow {
  if (query.from || query.to) {
    const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY_MS : Math.ceil(nowMs / DAY_MS) * DAY_MS;
    const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 30 * DAY_MS;
    if (from >= to) throw new AppError('bad_request', 'from must be on or before to.');
    if (to - from > MAX_DAYS * DAY_MS) throw new AppError('bad_request', `A period is at most ${MAX_DAYS} days.`);
    return { from: new Date(from), to: new Date(to), preset: null };
  }
  // Whole UTC days, today included: "the last 7 days" is seven bars.
  const days = query.days ?? 30;
  const to = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(to - days * DAY_MS), to: new Date(to), preset: days };
}

export type TDashboardDeps = {
  db: TDb;
  sessionSecret: string;
  /** Whether a model judges the sampled answers (lib/maintainers/grades). */
  model: TGradesViewDeps['model'];
  config: { siteUrl: string; maintainers: { linkTtlSeconds: number } } & TGradesViewDeps['config'];
};

export async function getDashboardForMaintainers({ deps, window }: { deps: TDashboardDeps; window: TDashboardWindow }): Promise<TDashboardView> {
  const transcriptUrl = (threadId: string) =>
    buildTranscriptUrl({
      siteUrl: deps.config.siteUrl,
      secret: deps.sessionSecret,
      threadId,
      ttlSeconds: deps.config.maintainers.linkTtlSeconds,
    }).url;
  const [data, handoffs, grades] = await Promise.all([
    getMaintainerDashboard({ db: deps.db, from: window.from, to: window.to, limit: UNANSWERED_LIMIT }),
    listHandoffsForMaintainers({ db: deps.db, from: window.from, to: window.to, limit: HANDOFFS_SHOWN }),
    getGradesForMaintainers({ deps, window, transcriptUrl }),
  ]);
  return { ...toDashboardView(data, window, transcriptUrl), handoffs: toHandoffItems(handoffs, transcriptUrl), grades };
}

/** Hand-offs as the dashboard lists them: one line per conversation (its first channel), its address never. */
export function toHandoffItems(rows: TMaintainerHandoffRow[], transcriptUrl: (threadId: string) => string): THandoffItemView[] {
  const byThread = new Map<string, TMaintainerHandoffRow[]>();
  for (const row of rows) byThread.set(row.thread_id, [...(byThread.get(row.thread_id) ?? []), row]);
  return [...byThread.values()].map((group) => {
    const primary = group.find((row) => row.channel !== 'email') ?? group[0]!;
    return {
      question: (primary.question ?? '').replace(/\s+/g, ' ').trim() || '(the question was not found)',
      channel: primary.channel,
      status: primary.status,
      url: primary.external_url,
      isEmailed: group.some((row) => row.channel === 'email' && row.has_email),
      createdAt: primary.created_at,
      repliedAt: group.map((row) => row.replied_at).find((value) => value !== null) ?? null,
      source: primary.source,
      transcriptUrl: transcriptUrl(primary.thread_id),
    };
  });
}

export function toDashboardView(data: TMaintainerDashboardData, window: TDashboardWindow, transcriptUrl: (threadId: string) => string): TDashboardView {
  const days = data.days.map((day) => ({
    day: day.day,
    questions: day.questions,
    answered: day.answered,
    notCovered: day.not_covered,
    up: day.up,
    down: day.down,
    searches: day.searches,
    searchesWithoutResults: day.searches_without_results,
  }));
  const sum = (key: keyof (typeof days)[number]) => days.reduce((total, day) => total + (day[key] as number), 0);
  const urls = new Map<string, string>();
  const toQuestion = (item: TUnansweredItem): TUnansweredQuestionView => {
    if (!urls.has(item.thread_id)) urls.set(item.thread_id, transcriptUrl(item.thread_id));
    return {
      text: (item.question ?? '').replace(/\s+/g, ' ').trim() || '(the question was not found)',
      kind: item.kind,
      reason: item.reason,
      createdAt: item.created_at,
      threadId: item.thread_id,
      source: item.source ?? 'site',
      transcriptUrl: urls.get(item.thread_id) as string,
    };
  };
  return {
    period: { from: window.from.toISOString(), to: window.to.toISOString(), days: days.length, preset: window.preset },
    totals: {
      questions: sum('questions'),
      answered: sum('answered'),
      notCovered: sum('notCovered'),
      up: sum('up'),
      down: sum('down'),
      searches: sum('searches'),
      searchesWithoutResults: sum('searchesWithoutResults'),
      maintainerReplies: data.maintainer_replies,
    },
    days,
    sources: data.sources ?? [],
    groups: groupUnanswered(data.unanswered.map(toQuestion)),
    reasons: data.unanswered
      .filter((item) => item.kind === 'voted_down' && item.reason)
      .slice(0, REASONS_SHOWN)
      .map(toQuestion),
    searchesWithoutResults: data.searches_without_results.slice(0, 15),
  };
}

/** The failed questions, grouped by similarity: most asked first, then most recent. */
export function groupUnanswered(questions: TUnansweredQuestionView[], limit = GROUPS_SHOWN): TQuestionGroupView[] {
  // Oldest first (ties by thread), so that a group grows the same way whatever order the database returned.
  const ordered = [...questions].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.threadId.localeCompare(b.threadId) || a.text.localeCompare(b.text));
  return groupBySimilarity(ordered, (question) => question.text)
    .map(({ items }): TQuestionGroupView => {
      const wordings = new Map<string, number>();
      for (const item of items) wordings.set(item.text, (wordings.get(item.text) ?? 0) + 1);
      const label = [...wordings].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
      const newest = [...items].reverse();
      const sources = new Map<string, number>();
      for (const item of items) sources.set(item.source, (sources.get(item.source) ?? 0) + 1);
      return {
        label,
        count: items.length,
        notCovered: items.filter((item) => item.kind === 'not_covered').length,
        votedDown: items.filter((item) => item.kind === 'voted_down').length,
        threads: new Set(items.map((item) => item.threadId)).size,
        sources: [...sources].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([source]) => source),
        lastAskedAt: newest[0]?.createdAt ?? '',
        questions: newest.slice(0, QUESTIONS_PER_GROUP),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt) || a.label.localeCompare(b.label))
    .slice(0, limit);
}

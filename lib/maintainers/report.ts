import { z } from 'zod';
import type { TDb } from '../db/types';
import { getMaintainerReport, type TMaintainerReportData } from '../db/maintainers';
import { AppError } from '../errors';
import { ZDigits, ZInputDateTime } from '../http/input';

// The questions our docs fail, for a time window: volume, run outcomes and speed, what readers searched, what
// found nothing, answers that said the docs do not cover the question, and thumbs up/down.

const DAY_MS = 86_400_000;

export const ZReportWindow = z.object({
  from: ZInputDateTime.optional(),
  to: ZInputDateTime.optional(),
  days: ZDigits.pipe(z.number().min(1).max(366)).default(7),
  limit: ZDigits.pipe(z.number().min(1).max(100)).default(10),
});
export type TReportWindow = z.infer<typeof ZReportWindow>;

/**
 * [from, to): `to` defaults to now, `from` to `days` before `to`. "Now" is the end of the current millisecond: the
 * database stamps rows in microseconds, so a row written earlier in this very millisecond (a search just before the
 * report) is later than the millisecond's start and would be left out of a window ending there.
 */
export function resolveWindow(window: TReportWindow, nowMs = Date.now()): { from: Date; to: Date } {
  const to = window.to ? new Date(window.to) : new Date(nowMs + 1);
  const from = window.from ? new Date(window.from) : new Date(to.getTime() - window.days * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new AppError('bad_request', 'from must be before to.');
  return { from, to };
}

export async function getReportForMaintainers({ db, window }: { db: TDb; window: TReportWindow }): Promise<TMaintainerReportData> {
  const { from, to } = resolveWindow(window);
  return getMaintainerReport({ db, from, to, limit: window.limit });
}

function section(title: string, lines: string[]): string {
  return [`${title}`, ...(lines.length > 0 ? lines : ['  (none)'])].join('\n');
}

function quoteLine(text: string | null, max = 120): string {
  const flat = (text ?? '(question not found)').replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

/** The report as text for a terminal. */
export function formatReportText(report: TMaintainerReportData): string {
  const runs = report.runs;
  const statuses = Object.entries(runs.by_status)
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const seconds = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} s`);
  return [
    `Paste Assistant report, ${report.from} → ${report.to}`,
    '',
    `Threads           ${report.threads}`,
    `Messages          ${report.messages.user} from readers, ${report.messages.assistant} answers, ${report.messages.maintainer} maintainers' replies`,
    `Runs              ${runs.total}${statuses ? ` (${statuses})` : ''}`,
    `Run time          median ${seconds(runs.median_seconds)}, p90 ${seconds(runs.p90_seconds)} (completed runs)`,
    `Docs searches     ${report.docs_queries.total} (${report.docs_queries.assistant} by the assistant, ${report.docs_queries.site} on the site), ${report.docs_queries.without_results} without results`,
    `Thumbs            ${report.votes.up} up, ${report.votes.down} down`,
    '',
    section(
      'Top docs queries',
      report.top_queries.map((query) => `  ${String(query.count).padStart(4)}  ${quoteLine(query.query)} (avg ${query.avg_results} results)`),
    ),
    '',
    section('Queries with no results', report.queries_without_results.map((query) => `  ${String(query.count).padStart(4)}  ${quoteLine(query.query)}`)),
    '',
    section(
      `Answers that said the docs do not cover the question (${report.answers_without_docs.count})`,
      report.answers_without_docs.items.map((item) => `  ${quoteLine(item.question)}  [${item.thread_id}]`),
    ),
    '',
    section(
      `Answers voted down (${report.votes.down})`,
      report.votes.down_items.map((item) => `  ${quoteLine(item.question)}  [${item.thread_id}]`),
    ),
  ].join('\n');
}

import { z } from 'zod';
import { getMaintainerDeflection, type TDeflectionData } from '../db/deflection';
import type { TDb } from '../db/types';
import { publicSourceKind } from '../docs/search/kinds';
import { AppError } from '../errors';
import { ZDigits, ZInputDay } from '../http/input';
import type { TDeflectionView, TRateView } from '../shared/deflection';
import { PUBLIC_SOURCE_KINDS } from '../shared/docs';
import { toCsv, type TCsvCell } from './csv';

// Deflection and sources for a period (issue 40, item 2): the rates of the period's questions, the sources the
// answers cited, the pages none cited, page reads against questions, shared conversations. One view for the
// dashboard (components/maintainers/Deflection.tsx), the API (pages/api/maintainers/deflection.ts, JSON or CSV)
// and `npm run report` (scripts/report.ts).

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

export const ZDeflectionQuery = z.object({
  days: ZDigits.pipe(z.number().min(1).max(MAX_DAYS)).optional(),
  from: ZInputDay.optional(),
  to: ZInputDay.optional(),
  limit: ZDigits.pipe(z.number().min(1).max(1000)).default(50),
  format: z.enum(['json', 'csv']).default('json'),
});
export type TDeflectionQuery = z.infer<typeof ZDeflectionQuery>;

/** [from, to) in whole UTC days: `days` ends with today (default 30); dates given include `to`. */
export function resolveDeflectionWindow(query: Pick<TDeflectionQuery, 'days' | 'from' | 'to'>, nowMs = Date.now()): { from: Date; to: Date } {
  if (query.from || query.to) {
    const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY_MS : Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
    const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : to - 30 * DAY_MS;
    if (from >= to) throw new AppError('bad_request', 'from must be on or before to.');
    if (to - from > MAX_DAYS * DAY_MS) throw new AppError('bad_request', `A period is at most ${MAX_DAYS} days.`);
    return { from: new Date(from), to: new Date(to) };
  }
  const to = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(to - (query.days ?? 30) * DAY_MS), to: new Date(to) };
}

export async function getDeflectionForMaintainers({ db, query, nowMs }: { db: TDb; query: TDeflectionQuery; nowMs?: number }): Promise<TDeflectionView> {
  const { from, to } = resolveDeflectionWindow(query, nowMs);
  return toDeflectionView(await getMaintainerDeflection({ db, from, to, limit: query.limit }));
}

/** A share of the whole, or null when there is no whole (no questions is not a 0% rate). */
export function rateOf(count: number, whole: number): TRateView {
  return { count, rate: whole > 0 ? count / whole : null };
}

const perRead = (count: number, reads: number) => (reads > 0 ? count / reads : null);

export function toDeflectionView(data: TDeflectionData): TDeflectionView {
  const questions = data.questions;
  const kinds = new Map<string, { citations: number; sources: number }>(PUBLIC_SOURCE_KINDS.map((kind) => [kind, { citations: 0, sources: 0 }]));
  for (const row of data.kinds) kinds.set(row.kind, { citations: row.citations, sources: row.pages });
  const byKind: Record<string, number> = {};
  for (const [label, count] of Object.entries(data.never_cited.labels)) {
    const kind = publicSourceKind(label);
    byKind[kind] = (byKind[kind] ?? 0) + count;
  }
  return {
    period: { from: new Date(data.from).toISOString(), to: new Date(data.to).toISOString(), days: Math.round((Date.parse(data.to) - Date.parse(data.from)) / DAY_MS) },
    questions,
    rates: {
      answered: rateOf(data.answered, questions),
      notCovered: rateOf(data.not_covered, questions),
      downVoted: rateOf(data.down_voted, questions),
      byMaintainer: rateOf(data.by_maintainer, questions),
      handedOff: rateOf(data.handed_off ?? 0, questions),
      deflected: rateOf(data.deflected, questions),
      withoutAnswer: rateOf(data.without_answer, questions),
    },
    kinds: [...kinds].map(([kind, counts]) => ({ kind, ...counts })).sort((a, b) => b.citations - a.citations || a.kind.localeCompare(b.kind)),
    sources: data.pages.map((page) => ({
      url: page.url,
      title: page.title,
      kind: page.label ? publicSourceKind(page.label) : page.kind,
      citations: page.citations,
      reads: page.reads,
      isIndexed: page.path !== null,
    })),
    citedSources: data.cited_pages,
    indexedPages: data.indexed_pages,
    neverCited: {
      count: data.never_cited.count,
      byKind,
      pages: data.never_cited.items.map((page) => ({ url: page.url, title: page.title, kind: publicSourceKind(page.label), reads: page.reads })),
    },
    reads: {
      total: data.reads.total,
      questionsPerRead: perRead(questions, data.reads.total),
      pages: data.reads.pages.map((page) => ({ ...page, questionsPerRead: perRead(page.questions, page.reads) })),
    },
    shares: { conversations: data.shares.conversations, links: data.shares.links, revoked: data.shares.revoked },
  };
}

const RATE_NAMES: Record<keyof TDeflectionView['rates'], string> = {
  answered: 'answered',
  notCovered: 'not covered by the docs',
  downVoted: 'voted down',
  byMaintainer: 'answered by a maintainer',
  handedOff: 'handed to the maintainers',
  deflected: 'deflected',
  withoutAnswer: 'without an answer',
};

/**
 * The view as one CSV table, a section per row group: `rate` (count and share of the questions), `kind` (citations
 * per kind of source), `source` (each cited source), `never_cited` (indexed pages no answer cited, most read
 * first), `page_reads` (reads and questions per page), `reads` and `shares` (totals).
 */
export function deflectionCsv(view: TDeflectionView): string {
  const rows: TCsvCell[][] = [['section', 'name', 'title', 'kind', 'count', 'rate', 'reads', 'questions']];
  rows.push(['period', view.period.from, view.period.to, null, view.period.days, null, null, view.questions]);
  for (const [key, name] of Object.entries(RATE_NAMES) as [keyof TDeflectionView['rates'], string][]) {
    rows.push(['rate', name, null, null, view.rates[key].count, view.rates[key].rate, null, view.questions]);
  }
  for (const kind of view.kinds) rows.push(['kind', kind.kind, null, kind.kind, kind.citations, null, null, null]);
  for (const source of view.sources) rows.push(['source', source.url, source.title, source.kind, source.citations, null, source.reads, null]);
  for (const page of view.neverCited.pages) rows.push(['never_cited', page.url, page.title, page.kind, 0, null, page.reads, null]);
  for (const page of view.reads.pages) rows.push(['page_reads', page.url, page.title, null, null, page.questionsPerRead, page.reads, page.questions]);
  rows.push(['reads', 'all pages', null, null, null, view.reads.questionsPerRead, view.reads.total, view.questions]);
  rows.push(['shares', 'conversations shared', null, null, view.shares.conversations, null, null, null]);
  rows.push(['shares', 'links revoked', null, null, view.shares.revoked, null, null, null]);
  return toCsv(rows);
}

const pct = (rate: number | null) => (rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`);

/** The view as text for a terminal (`npm run report -- --deflection`). */
export function formatDeflectionText(view: TDeflectionView): string {
  const lines = [`Deflection and sources, ${view.period.from} → ${view.period.to}`, '', `Questions         ${view.questions}`];
  for (const [key, name] of Object.entries(RATE_NAMES) as [keyof TDeflectionView['rates'], string][]) {
    lines.push(`  ${name.padEnd(26)} ${String(view.rates[key].count).padStart(5)}  ${pct(view.rates[key].rate)}`);
  }
  lines.push('', 'Citations per kind of source');
  for (const kind of view.kinds) lines.push(`  ${kind.kind.padEnd(8)} ${String(kind.citations).padStart(5)} citations of ${kind.sources} sources`);
  lines.push('', 'Most cited sources');
  if (view.sources.length === 0) lines.push('  (none)');
  for (const source of view.sources) lines.push(`  ${String(source.citations).padStart(5)}  ${source.title} (${source.kind}) ${source.url}`);
  lines.push('', `Pages never cited: ${view.neverCited.count} of ${view.indexedPages} indexed (most read first)`);
  for (const page of view.neverCited.pages) lines.push(`  ${String(page.reads).padStart(5)} reads  ${page.title} (${page.kind}) ${page.url}`);
  lines.push('', `Page reads        ${view.reads.total}; questions per page read ${view.reads.questionsPerRead === null ? 'n/a' : view.reads.questionsPerRead.toFixed(3)}`);
  for (const page of view.reads.pages) lines.push(`  ${String(page.questions).padStart(5)} questions / ${String(page.reads).padStart(5)} reads  ${page.url}`);
  lines.push('', `Shared conversations ${view.shares.conversations} (${view.shares.links} links, ${view.shares.revoked} revoked)`);
  return lines.join('\n');
}

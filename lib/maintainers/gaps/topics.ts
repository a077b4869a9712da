import { createHash } from 'node:crypto';
import { z } from 'zod';
import { listGapDrafts, listGapQuestions, type TGapQuestionRow } from '../../db/docs-gaps';
import { PUBLIC_ACCESS } from '../../audiences';
import { searchDocsRanked, type TDocsSearchDeps } from '../../docs/search/search';
import type { TGapDraft, TGapNearestSection, TGapQuestion, TGapQuestionKind, TGapTopic, TGapTrend, TGapsView } from '../../shared/docs-gaps';
import { ZDigits } from '../../http/input';
import { questionTerms } from '../similarity';
import { groupQuestions, type TGroupingDeps } from './grouping';

// The topics of a period (GET /api/maintainers/gaps?days=30, and the dashboard's Topics section): the questions
// the docs failed (not covered, voted down, answered by a maintainer: supabase/schemas/63_docs_gaps.sql) of this
// period and of the previous one of the same length, grouped together (./grouping.ts), so that a topic's trend
// compares like with like. A topic is shown when it was asked in this period; largest first.

const DAY_MS = 86_400_000;
const QUESTIONS_LIMIT = 2000;
const TOPICS_SHOWN = 20;
const EXAMPLES_PER_TOPIC = 8;
const NEAREST_PER_TOPIC = 3;

export const ZGapsQuery = z.object({ days: ZDigits.pipe(z.number().min(1).max(366)).default(30) });

export type TGapsDeps = TDocsSearchDeps & TGroupingDeps;

type TItem = TGapQuestion & { isCurrent: boolean; answer: string | null };

/** [from, to) in whole UTC days ending with today, and the period of the same length before it. */
export function gapsWindow(days: number, nowMs = Date.now()) {
  const to = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(to - days * DAY_MS), to: new Date(to), previousFrom: new Date(to - 2 * days * DAY_MS), days };
}

/** A topic's id: the same words give the same id, whatever order or period they were read in. */
/** A topic's id as routes take it: what topicId makes. */
export const ZTopicId = z.object({ id: z.string().regex(/^gap_[0-9a-f]{16}$/, 'a topic id is gap_ and 16 hex digits') });

export function topicId(label: string): string {
  const terms = [...questionTerms(label)].sort().join(' ');
  return `gap_${createHash('sha256').update(terms || label.toLowerCase()).digest('hex').slice(0, 16)}`;
}

export function trendOf(count: number, previous: number): TGapTrend {
  const direction = previous === 0 ? 'new' : count > previous ? 'up' : count < previous ? 'down' : 'same';
  return { previous, change: count - previous, direction };
}

export type TTopicCore = Omit<TGapTopic, 'nearest' | 'draft'> & { answers: string[]; reasons: string[] };

/** The topics of the loaded questions, without their docs sections and drafts: pure, for the tests and the drafts. */
export async function buildTopics({ deps, rows, currentFrom }: { deps: TGroupingDeps; rows: TGapQuestionRow[]; currentFrom: Date }): Promise<TTopicCore[]> {
  const items: TItem[] = rows
    .map((row) => ({
      text: (row.question ?? '').replace(/\s+/g, ' ').trim(),
      kind: row.kind,
      reason: row.reason?.trim() || null,
      createdAt: row.created_at,
      threadId: row.thread_id,
      messageId: row.message_id,
      isCurrent: Date.parse(row.created_at) >= currentFrom.getTime(),
      answer: row.answer?.trim() || null,
    }))
    .filter((item) => item.text !== '')
    // Oldest first (ties by message): a topic grows the same way whatever order the database returned.
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.messageId.localeCompare(b.messageId) || a.kind.localeCompare(b.kind));
  const groups = await groupQuestions({ deps, items, textOf: (item) => item.text });
  const topics: TTopicCore[] = [];
  for (const group of groups) {
    const current = group.filter((item) => item.isCurrent);
    if (current.length === 0) continue;
    // A question counts once per topic, whatever happened to it (not covered and then voted down is one question).
    const asked = (list: TItem[]) => new Set(list.map((item) => `${item.threadId}\n${item.text}`)).size;
    const wordings = new Map<string, number>();
    for (const item of group) wordings.set(item.text, (wordings.get(item.text) ?? 0) + 1);
    const label = [...wordings].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]![0];
    const counts: Record<TGapQuestionKind, number> = { not_covered: 0, voted_down: 0, maintainer: 0 };
    for (const item of current) counts[item.kind] += 1;
    const newest = [...current].reverse();
    const seen = new Set<string>();
    const examples = newest.filter((item) => !seen.has(`${item.threadId}\n${item.text}`) && seen.add(`${item.threadId}\n${item.text}`));
    const count = asked(current);
    topics.push({
      id: topicId(label),
      topic: label,
      count,
      counts,
      trend: trendOf(count, asked(group.filter((item) => !item.isCurrent))),
      questions: examples.slice(0, EXAMPLES_PER_TOPIC).map(({ isCurrent: _c, answer: _a, ...question }) => question),
      lastAskedAt: newest[0]!.createdAt,
      answers: [...new Set(group.map((item) => item.answer).filter((answer): answer is string => answer !== null))],
      reasons: [...new Set(group.map((item) => item.reason).filter((reason): reason is string => reason !== null))],
    });
  }
  return topics.sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt) || a.topic.localeCompare(b.topic));
}

/** The docs sections nearest a topic: its label searched (not recorded as a reader's search), one per page. */
export async function nearestSections({ deps, text, limit = NEAREST_PER_TOPIC }: { deps: TDocsSearchDeps; text: string; limit?: number }): Promise<TGapNearestSection[]> {
  // Topics are drafted into public docs issues: the nearest public pages.
  const outcome = await searchDocsRanked({ deps, prompt: text.slice(0, 500), limit: limit * 3, source: 'site', isRecorded: false, access: PUBLIC_ACCESS });
  const pages = new Set<string>();
  const nearest: TGapNearestSection[] = [];
  for (const result of outcome.results) {
    if (pages.has(result.path)) continue;
    pages.add(result.path);
    nearest.push({ title: result.title, heading: result.heading, url: result.url, path: result.path, kind: String(result.kind) });
    if (nearest.length >= limit) break;
  }
  return nearest;
}

/** The topics of the period, each with its nearest sections, whether `id` is one of them (or all), and its drafts. */
export async function loadGapTopics({ deps, days, nowMs = Date.now() }: { deps: TGapsDeps; days: number; nowMs?: number }) {
  const window = gapsWindow(days, nowMs);
  const rows = await listGapQuestions({ db: deps.db, from: window.previousFrom, to: window.to, limit: QUESTIONS_LIMIT });
  const topics = await buildTopics({ deps, rows, currentFrom: window.from });
  return { window, topics };
}

/** The dashboard's and the API's view: the largest topics with their nearest sections and newest drafts. */
export async function getGapsView({ deps, days, nowMs = Date.now() }: { deps: TGapsDeps; days: number; nowMs?: number }): Promise<TGapsView> {
  const { window, topics } = await loadGapTopics({ deps, days, nowMs });
  const drafts = await listGapDrafts({ db: deps.db, limit: 500 });
  const shown = topics.slice(0, TOPICS_SHOWN);
  const gaps: TGapTopic[] = [];
  for (const { answers: _answers, reasons: _reasons, ...topic } of shown) {
    gaps.push({ ...topic, nearest: await nearestSections({ deps, text: topic.topic }), draft: draftOf(topic, drafts) });
  }
  return {
    period: { from: window.from.toISOString(), to: window.to.toISOString(), days },
    gaps,
    closed: drafts.filter((draft) => draft.closedAt !== null).slice(0, 20),
  };
}

/** A topic's newest draft: made from it by id, or from a topic that held one of its questions (its label moved on). */
export function draftOf(topic: { id: string; questions: { messageId: string }[] }, drafts: TGapDraft[]): TGapDraft | null {
  const messages = new Set(topic.questions.map((question) => question.messageId));
  return drafts.find((draft) => draft.topicId === topic.id) ?? drafts.find((draft) => draft.questions.some((question) => messages.has(question.messageId))) ?? null;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import type { TGapQuestionRow } from '@/lib/db/docs-gaps';
import { groupByVectors, groupByWeightedWords, groupQuestions } from '@/lib/maintainers/gaps/grouping';
import { groupBySimilarity, linkGroups } from '@/lib/maintainers/similarity';
import { buildPatch, choosePage, sectionFromReply } from '@/lib/maintainers/gaps/patch';
import { buildTopics, topicId, trendOf } from '@/lib/maintainers/gaps/topics';
import { createLogger } from '@/lib/log';
import { formatDigestText } from '@/lib/maintainers/digest';
import type { TGapDraft } from '@/lib/shared/docs-gaps';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The gaps' pure parts: topics from the failed questions of two periods (grouped, counted once per question,
// labelled, with a trend, largest first, with stable ids), the embeddings' grouping, and the drafted change's diff.

const log = createLogger({ level: 'silent' });
const deps = { embedder: null, log };
const CURRENT_FROM = new Date('2026-11-01T00:00:00Z');

let seq = 0;
function row(question: string, at: string, kind: TGapQuestionRow['kind'] = 'not_covered', extra: Partial<TGapQuestionRow> = {}): TGapQuestionRow {
  seq += 1;
  return { kind, thread_id: `thread_${seq}`, message_id: `msg_${seq}`, created_at: at, question, reason: null, answer: null, ...extra };
}

describe('buildTopics', () => {
  it('groups differently worded questions, counts each question once, and orders the topics largest first with their trend', async () => {
    const voted = row('Can I export my chat history as a PDF file?', '2026-11-03T10:00:00Z', 'not_covered');
    const rows = [
      row('How do I export the chat history to a PDF?', '2026-11-02T10:00:00Z'),
      voted,
      // The same question, voted down afterwards: one question, two things happened to it.
      { ...voted, kind: 'voted_down' as const, message_id: voted.message_id, reason: 'Nothing about PDF.' },
      row('Is there a way to save the chat history as PDF?', '2026-11-04T10:00:00Z'),
      row('Export chat history PDF', '2026-11-05T10:00:00Z', 'maintainer', { answer: 'Use the thread menu.' }),
      row('How do I make the buttons round?', '2026-11-06T10:00:00Z'),
      row('Can buttons have round corners?', '2026-10-20T10:00:00Z'),
      row('Can buttons be made round?', '2026-10-21T10:00:00Z'),
      row('Which fonts does the theme use?', '2026-10-15T10:00:00Z'),
    ];
    const topics = await buildTopics({ deps, rows, currentFrom: CURRENT_FROM });
    // The fonts question was asked only in the previous period: no topic now.
    expect(topics.map((topic) => topic.count)).toEqual([4, 1]);
    const [pdf, buttons] = topics;
    expect(pdf!.counts).toEqual({ not_covered: 3, voted_down: 1, maintainer: 1 });
    expect(pdf!.trend).toEqual({ previous: 0, change: 4, direction: 'new' });
    expect(pdf!.reasons).toEqual(['Nothing about PDF.']);
    expect(pdf!.answers).toEqual(['Use the thread menu.']);
    expect(pdf!.questions[0]!.text).toBe('Export chat history PDF');
    expect(buttons!.trend).toEqual({ previous: 2, change: -1, direction: 'down' });
    // The same questions in another order: the same topics and ids.
    const again = await buildTopics({ deps, rows: [...rows].reverse(), currentFrom: CURRENT_FROM });
    expect(again.map((topic) => topic.id)).toEqual(topics.map((topic) => topic.id));
  });

  it('gives a topic an id from its words, not their order or case', () => {
    expect(topicId('Export chat history PDF')).toBe(topicId('pdf: export the CHAT history'));
    expect(topicId('Export chat history PDF')).not.toBe(topicId('Round buttons'));
    expect(trendOf(3, 3).direction).toBe('same');
    expect(trendOf(4, 2)).toEqual({ previous: 2, change: 2, direction: 'up' });
  });
});

describe('grouping is order-free', () => {
  // A chain: the middle question is alike to both ends, which are not alike to each other. Read in the order
  // end, end, middle, a one-pass grouping has already made two topics when the middle one comes; every pair decides.
  const chain = ['a b', 'c d', 'a b c d'];
  const even = (text: string) => new Map(text.split(' ').map((word) => [word, 1]));
  const orders = [chain, [...chain].reverse(), [chain[1]!, chain[2]!, chain[0]!]];

  it('by weighted words, by vectors and by plain stems: one topic in every order, each in the order given', () => {
    for (const order of orders) expect(groupByWeightedWords(order, even)).toEqual([order]);
    const vectorOf: Record<string, number[]> = { 'a b': [1, 0], 'c d': [0, 1], 'a b c d': [1, 1] };
    for (const order of orders) expect(groupByVectors(order, order.map((text) => vectorOf[text]!), 0.7)).toEqual([order]);
    const words = ['theme buttons', 'spacing tokens', 'theme buttons spacing tokens'];
    for (const order of [words, [...words].reverse(), [words[1]!, words[2]!, words[0]!]]) {
      expect(groupBySimilarity(order, (text) => text).map((group) => group.items)).toEqual([order]);
    }
  });

  it('keeps unlinked items apart, topics in the order of their first item', () => {
    expect(linkGroups(4, (a, b) => a + b === 3 && a !== 0)).toEqual([[0], [1, 2], [3]]);
  });
});

describe('grouping with embeddings', () => {
  it('groups by the vectors when an embedder is configured, and by words when it fails', async () => {
    const items = ['download the conversation', 'export the transcript', 'round buttons'];
    const vectors = [
      [1, 0.1, 0],
      [0.95, 0.2, 0],
      [0, 0, 1],
    ];
    expect(groupByVectors(items, vectors)).toEqual([['download the conversation', 'export the transcript'], ['round buttons']]);
    const embedded: string[][] = [];
    const embedder = { model: 'stub', embed: async (texts: string[]) => (embedded.push(texts), texts.map((text) => vectors[items.indexOf(text)]!)) };
    expect(await groupQuestions({ deps: { embedder, log }, items, textOf: (text) => text })).toHaveLength(2);
    // Read again with nothing new: nothing is embedded again.
    expect(await groupQuestions({ deps: { embedder, log }, items, textOf: (text) => text })).toHaveLength(2);
    expect(embedded).toEqual([items]);
    const failing = { model: 'stub', embed: async () => Promise.reject(new Error('down')) };
    // By words, the two share nothing: three topics.
    expect(await groupQuestions({ deps: { embedder: failing, log }, items, textOf: (text) => text })).toHaveLength(3);
  });
});

describe('the drafted change', () => {
  it('adds the section to the nearest page as a diff that applies to the docs folder, or makes a new page', () => {
    const docsDir = makeTempDir('pa-gaps-unit-');
    mkdirSync(path.join(docsDir, 'guides'));
    writeFileSync(path.join(docsDir, 'guides/export.mdx'), '---\ntitle: Export\n---\n\n# Export\n\nExport a thread as text.\n');
    const nearest = [
      { title: 'A thread', heading: 'x', url: '/x', path: 'threads/1.md', kind: 'thread' },
      { title: 'Export', heading: 'Export', url: '/docs/guides/export', path: 'guides/export.mdx', kind: 'docs' },
    ];
    expect(choosePage(docsDir, 'Export PDF', nearest)).toEqual({ pagePath: 'guides/export.mdx', isNewPage: false });
    expect(choosePage(docsDir, 'Export PDF?', nearest.slice(0, 1))).toEqual({ pagePath: 'export-pdf.mdx', isNewPage: true });
    const section = sectionFromReply('Sure! Here it is:\n\n```md\n## Export as PDF\n\nChoose PDF.\n```', 'Export PDF');
    expect(section).toBe('## Export as PDF\n\nChoose PDF.\n');
    expect(sectionFromReply('Choose PDF in the menu.', 'Export PDF')).toBe('## Export PDF\n\nChoose PDF in the menu.\n');
    const patch = buildPatch({ docsDir, pagePath: 'guides/export.mdx', isNewPage: false, section, title: 'Export PDF' });
    expect(applyPatch(patch.before, patch.diff)).toBe(patch.after);
    expect(patch.diff).toContain('+++ b/guides/export.mdx');
    expect(patch.after.endsWith('Export a thread as text.\n\n## Export as PDF\n\nChoose PDF.\n')).toBe(true);
    const created = buildPatch({ docsDir, pagePath: 'export-pdf.mdx', isNewPage: true, section, title: 'Export PDF' });
    expect(created.diff).toContain('--- /dev/null');
    expect(applyPatch('', created.diff)).toBe('---\ntitle: "Export PDF"\n---\n\n## Export as PDF\n\nChoose PDF.\n');
    expect(() => buildPatch({ docsDir, pagePath: '../outside.mdx', isNewPage: true, section, title: 'x' })).toThrow(/outside DOCS_DIR/);
  });
});

describe('the weekly digest', () => {
  it('lists the new drafted fixes, with a link, or why GitHub refused one', () => {
    const view = {
      period: { from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z', days: 7, preset: null },
      totals: { questions: 1, answered: 0, notCovered: 1, up: 0, down: 0, searches: 1, searchesWithoutResults: 0, maintainerReplies: 0 },
      days: [],
      sources: [],
      groups: [],
      reasons: [],
      searchesWithoutResults: [],
    };
    const base = { topicId: 'gap_1', title: 't', body: 'b', diff: null, pagePath: null, questions: [], error: null, attempts: 1, createdAt: '', updatedAt: '', openedAt: null, closedAt: null, answered: null, issueNumber: null };
    const drafts: TGapDraft[] = [
      { ...base, id: 1, topic: 'Export chat history PDF', target: 'github', kind: 'pull', status: 'opened', url: 'https://github.com/acme/docs/pull/4' },
      { ...base, id: 2, topic: 'Round buttons', target: 'github', kind: 'issue', status: 'failed', url: null, error: 'GitHub answered 502: Server Error' },
    ];
    const text = formatDigestText(view, 'https://x.test/maintainers', drafts);
    expect(text).toContain('*New drafted docs fixes*');
    expect(text).toContain('• “Export chat history PDF” — <https://github.com/acme/docs/pull/4|pull request>');
    expect(text).toContain('• “Round buttons” — not opened: GitHub answered 502: Server Error');
    expect(formatDigestText(view, 'https://x.test/maintainers')).not.toContain('drafted');
  });
});

describe('DOCS_REPO', () => {
  it('is parsed with its folder and branch, reuses GITHUB_TOKEN without GITHUB_REPOS, and its partners need it', async () => {
    const { parseConfig } = await import('@/lib/config');
    const base = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40) };
    const config = parseConfig({ ...base, DOCS_REPO: 'acme/docs', DOCS_REPO_PATH: '/content/docs/', GITHUB_TOKEN: 'ghp_x', GITHUB_API_URL: 'https://ghe.example.test/api/v3/' });
    expect(config.docsRepo).toEqual({ owner: 'acme', name: 'docs', path: 'content/docs', branch: 'main', token: 'ghp_x', apiUrl: 'https://ghe.example.test/api/v3' });
    expect(config.docsSources.github).toBeNull();
    expect(parseConfig(base).docsRepo).toBeNull();
    expect(() => parseConfig({ ...base, DOCS_REPO_BRANCH: 'main' })).toThrow(/DOCS_REPO_BRANCH is set but DOCS_REPO is missing/);
    expect(() => parseConfig({ ...base, DOCS_REPO: 'not a repo' })).toThrow(/DOCS_REPO must be owner\/name/);
    expect(() => parseConfig({ ...base, GITHUB_TOKEN: 'ghp_x' })).toThrow(/GITHUB_REPOS is missing/);
  });
});

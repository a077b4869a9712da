import { describe, expect, it } from 'vitest';
import { publicSourceKind, resultSource, sourceLabelsOf, ZSourcesFilter } from '@/lib/docs/search/kinds';
import { SOURCE_KINDS } from '@/lib/docs/sources';
import { PUBLIC_SOURCE_KINDS } from '@/lib/shared/docs';

// The one mapping from the sources' labels to the kinds readers see (lib/docs/search/kinds.ts).

describe('kinds of source', () => {
  it('every kind the registry has maps to a kind readers see (a new kind adds its line to kinds.ts)', () => {
    for (const { kind } of SOURCE_KINDS) expect(PUBLIC_SOURCE_KINDS, kind).toContain(publicSourceKind(kind));
    expect(['folder', 'crawl', 'github', 'answer', 'openapi'].map(publicSourceKind)).toEqual(['docs', 'page', 'thread', 'answer', 'api']);
    expect(publicSourceKind('manual')).toBe('manual');
  });

  it('a filter of public kinds becomes the labels the ranker filters on', () => {
    expect(sourceLabelsOf(['docs'])).toEqual(['folder']);
    expect(sourceLabelsOf(['thread', 'page'])).toEqual(['crawl', 'github']);
    expect(sourceLabelsOf(['docs', 'page', 'thread', 'answer'])).toEqual(['folder', 'crawl', 'github', 'answer']);
    expect(sourceLabelsOf(['api'])).toEqual(['openapi']);
  });

  it('the sources filter refuses an unknown kind, naming the known ones, and an empty list', () => {
    expect(ZSourcesFilter.parse(['thread', 'docs', 'thread'])).toEqual(['thread', 'docs']);
    const unknown = ZSourcesFilter.safeParse(['docs', 'issues']);
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toBe('unknown source kind "issues"; the kinds are docs, page, thread, answer, api');
    expect(ZSourcesFilter.safeParse([]).success).toBe(false);
    expect(ZSourcesFilter.safeParse('docs').success).toBe(false);
  });

  it('a result keeps only well-formed meta from its page', () => {
    expect(resultSource('folder', {})).toEqual({ kind: 'docs' });
    expect(resultSource('github', { number: 12, state: 'merged', updatedAt: '2026-01-01T00:00:00Z' })).toEqual({ kind: 'thread', number: 12, state: 'merged' });
    expect(resultSource('github', { number: -1, state: 'reopened' as never })).toEqual({ kind: 'thread' });
    expect(resultSource('github', { number: '12' as never })).toEqual({ kind: 'thread' });
  });
});

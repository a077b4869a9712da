import { describe, expect, it } from 'vitest';
import type { TSectionHit } from '@/lib/db/docs-index';
import { placeRelatedPages, relatedPathsMissing, relatedPathsOf } from '@/lib/docs/search/related';

// A result that names the pages answering it (a duplicate's original, an issue's fix) has them right after it.

const hit = (path: string, related?: unknown, similarity = 1): TSectionHit => ({
  kind: path.startsWith('github:') ? 'github' : 'folder',
  path,
  slug: path,
  title: path,
  heading: path,
  anchor: '',
  content: `text of ${path}`,
  similarity,
  evidence: 1,
  query_coverage: 1,
  meta: related === undefined ? {} : ({ related } as Record<string, unknown>),
});

const place = (hits: TSectionHit[], limit: number, index: TSectionHit[]) =>
  placeRelatedPages({ hits, limit, leadOf: (path) => index.find((entry) => entry.path === path), asPlaced: (lead) => lead });

describe('related pages in search results', () => {
  it('places a named page right after the result that names it, where a result of its own kind makes room', async () => {
    const index = [hit('github:a/b#1')];
    const hits = [hit('github:a/b#9', ['github:a/b#1']), hit('docs/x'), hit('github:a/b#7'), hit('docs/y')];
    expect(relatedPathsMissing(hits, 4)).toEqual(['github:a/b#1']);
    const out = place(hits, 4, index);
    expect(out.map((entry) => entry.path)).toEqual(['github:a/b#9', 'github:a/b#1', 'docs/x', 'docs/y']);
    expect(out[1]!.content).toBe('text of github:a/b#1');
  });

  it('never pushes a result of another kind out of the first five: without room there, it goes right after them', async () => {
    const hits = [hit('docs/v'), hit('github:a/b#9', ['github:a/b#1']), hit('docs/x'), hit('docs/y'), hit('docs/z'), hit('docs/w')];
    expect(place(hits, 6, [hit('github:a/b#1')]).map((entry) => entry.path)).toEqual(['docs/v', 'github:a/b#9', 'docs/x', 'docs/y', 'docs/z', 'github:a/b#1']);
    expect(place(hits, 5, [hit('github:a/b#1')]).map((entry) => entry.path)).toEqual(['docs/v', 'github:a/b#9', 'docs/x', 'docs/y', 'docs/z']);
  });

  it('leaves the results alone when the named page is shown already, or not in the index (or filtered out)', async () => {
    const hits = [hit('github:a/b#9', ['github:a/b#1', 'github:a/b#404']), hit('github:a/b#1')];
    expect(relatedPathsMissing(hits, 5)).toEqual(['github:a/b#404']);
    const out = place(hits, 5, [hit('github:a/b#1')]);
    expect(out.map((entry) => entry.path)).toEqual(['github:a/b#9', 'github:a/b#1']);
  });

  it('reads only well-formed names, three at most per result', () => {
    expect(relatedPathsOf(hit('p', 'github:a/b#1'))).toEqual([]);
    expect(relatedPathsOf(hit('p', [1, '', 'x'.repeat(301), 'github:a/b#1', 'github:a/b#2', 'github:a/b#3', 'github:a/b#4']))).toEqual(['github:a/b#1', 'github:a/b#2', 'github:a/b#3']);
  });
});

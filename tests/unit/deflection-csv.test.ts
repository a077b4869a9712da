import { describe, expect, it } from 'vitest';
import type { TDeflectionData } from '@/lib/db/deflection';
import { csvCell, toCsv } from '@/lib/maintainers/csv';
import { deflectionCsv, rateOf, resolveDeflectionWindow, toDeflectionView } from '@/lib/maintainers/deflection';

// The deflection export: CSV cells quoted as RFC 4180 has it and never read as a formula by a spreadsheet; the
// rates as shares of the questions (none without questions); the kinds readers see.

describe('CSV cells', () => {
  it('prefixes a text cell that a spreadsheet would run as a formula', () => {
    for (const formula of ['=1+2', '+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', '=HYPERLINK("http://evil.example","x")']) {
      const cell = csvCell(formula);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted, formula).toBe(`'${formula}`);
    }
  });

  it('quotes commas, quotes, line breaks and edge spaces, and leaves plain text alone', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvCell("it's")).toBe("it's");
  });

  it('writes numbers as numbers (a negative number is not a formula) and empty cells for nothing', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(toCsv([['a', 1], ['-x', null]])).toBe("a,1\r\n'-x,\r\n");
  });
});

function data(overrides: Partial<TDeflectionData> = {}): TDeflectionData {
  return {
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-11-08T00:00:00.000Z',
    questions: 8,
    answered: 6,
    not_covered: 1,
    without_answer: 1,
    down_voted: 2,
    by_maintainer: 1,
    deflected: 4,
    citing_answers: 5,
    citations: 7,
    kinds: [
      { kind: 'docs', citations: 5, pages: 3 },
      { kind: 'thread', citations: 2, pages: 1 },
    ],
    pages: [
      { url: '/docs/a', title: '=cmd|calc', path: 'a.mdx', label: 'folder', kind: 'docs', citations: 3, reads: 10 },
      { url: 'https://github.com/o/r/issues/1', title: 'An issue', path: null, label: null, kind: 'thread', citations: 2, reads: 0 },
    ],
    cited_pages: 4,
    indexed_pages: 20,
    never_cited: {
      count: 16,
      labels: { folder: 10, github: 4, openapi: 2 },
      items: [{ url: '/docs/b', title: 'B, the page', path: 'b.mdx', label: 'folder', reads: 4 }],
    },
    reads: { total: 16, questions_from_pages: 3, pages: [{ url: '/docs/a', title: 'A', reads: 10, questions: 3 }] },
    shares: { links: 3, conversations: 2, revoked: 1 },
    ...overrides,
  };
}

describe('deflection view', () => {
  it('rates are shares of the questions; with no questions a rate is null, not 0%', () => {
    expect(rateOf(2, 8)).toEqual({ count: 2, rate: 0.25 });
    expect(rateOf(0, 0)).toEqual({ count: 0, rate: null });
    const view = toDeflectionView(data());
    expect(view.rates.answered.rate).toBe(0.75);
    expect(view.rates.deflected.rate).toBe(0.5);
    expect(view.rates.downVoted.rate).toBe(0.25);
    expect(view.rates.byMaintainer.rate).toBe(0.125);
    const none = toDeflectionView(data({ questions: 0, answered: 0, not_covered: 0, without_answer: 0, down_voted: 0, by_maintainer: 0, deflected: 0 }));
    expect(Object.values(none.rates).every((rate) => rate.rate === null)).toBe(true);
  });

  it('lists every kind readers see, most cited first, and names never-cited pages by those kinds', () => {
    const view = toDeflectionView(data());
    expect(view.kinds.map((kind) => [kind.kind, kind.citations])).toEqual([
      ['docs', 5],
      ['thread', 2],
      ['answer', 0],
      ['api', 0],
      ['code', 0],
      ['page', 0],
    ]);
    expect(view.neverCited.byKind).toEqual({ docs: 10, thread: 4, api: 2 });
    expect(view.sources.map((source) => [source.kind, source.isIndexed])).toEqual([
      ['docs', true],
      ['thread', false],
    ]);
    expect(view.reads.questionsPerRead).toBe(0.5);
    expect(view.reads.pages[0]!.questionsPerRead).toBeCloseTo(0.3);
    expect(view.period.days).toBe(7);
  });

  it('exports one CSV table, a formula-looking title made harmless', () => {
    const lines = deflectionCsv(toDeflectionView(data())).split('\r\n');
    expect(lines[0]).toBe('section,name,title,kind,count,rate,reads,questions');
    expect(lines).toContain('rate,deflected,,,4,0.5,,8');
    expect(lines).toContain("source,/docs/a,'=cmd|calc,docs,3,,10,");
    expect(lines).toContain('never_cited,/docs/b,"B, the page",docs,0,,4,');
    expect(lines).toContain('shares,conversations shared,,,2,,,');
    expect(lines.at(-1)).toBe('');
  });

  it('windows are whole UTC days ending today, or the dates given', () => {
    const now = Date.parse('2026-11-25T15:00:00Z');
    expect(resolveDeflectionWindow({ days: 7 }, now)).toEqual({ from: new Date('2026-11-19T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z') });
    expect(resolveDeflectionWindow({ from: '2026-11-01', to: '2026-11-01' }, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') });
    expect(() => resolveDeflectionWindow({ from: '2026-11-02', to: '2026-11-01' }, now)).toThrow(/from must be on or before to/);
  });
});

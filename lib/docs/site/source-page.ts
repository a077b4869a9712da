import type { TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { CODE_PATH_PREFIX } from '../../shared/docs';
import { readSourceFile, type TSourceLine } from '../gate';

// The site's own read-only page of a source file (issue 70: /docs/source/<source>/<file>, pages/docs/source/[...path].tsx),
// where code is cited when its repository has no web address (no DOCS_CODE_REPO, no .git remote): the file's indexed
// symbols, each a run of numbered lines (lib/docs/gate/source-reads.ts), read through the read gate with the reader's
// access: a file they may not read is answered as one that is not indexed (null, a 404). Each line has its anchor
// (`#L12`), each run of at most QUOTED_RANGE_LINES lines and each symbol's range a marker of its own (`#L10-L15`,
// `#L6-L24`), so that the ranges a citation opens are targets without a script (the page's CSS highlights them).

/** A range no longer than this, within one symbol, is a target on the page: the longest an answer quotes. */
export const QUOTED_RANGE_LINES = 10;

/** One symbol (or part of one) of the file: its name, its lines, and the ranges that start on each of its lines. */
export type TSourceRun = {
  heading: string;
  /** `L6-L24`: the anchor search results and citations give it. */
  anchor: string;
  lines: TSourceLine[];
  /** Range markers by the line they start on: `L10-L15` covering `lines` lines. */
  ranges: Record<number, { id: string; lines: number }[]>;
};

export type TSourcePage = { title: string; file: string; language: string; runs: TSourceRun[] };

/** The index path a page URL's segments name (`['paste', 'src', 'a.ts']` → `code:paste/src/a.ts`); null for none. */
export function sourceIndexPath(segments: unknown): string | null {
  if (!Array.isArray(segments) || segments.length < 2) return null;
  if (!segments.every((segment) => typeof segment === 'string' && segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('\0'))) return null;
  const joined = (segments as string[]).join('/');
  return joined.length > 1_000 ? null : `${CODE_PATH_PREFIX}${joined}`;
}

/** The source page of `path` (`code:<source>/<file>`) for this reader; null when it is not indexed or they may not read it. */
export async function loadSourcePage({ db, access, path }: { db: TDb; access: TReaderAccess; path: string }): Promise<TSourcePage | null> {
  const source = await readSourceFile({ db, access, path });
  if (!source || source.symbols.length === 0) return null;
  return {
    title: source.title,
    file: source.file,
    language: source.language,
    runs: source.symbols.map((symbol) => ({ ...symbol, ranges: rangesOf(symbol.lines, symbol.anchor) })),
  };
}

/** The ranges within a run that are targets: every one of at most QUOTED_RANGE_LINES lines, and the run's own. */
function rangesOf(lines: TSourceLine[], anchor: string): TSourceRun['ranges'] {
  const ranges: TSourceRun['ranges'] = {};
  lines.forEach((line, at) => {
    const own: { id: string; lines: number }[] = [];
    // Only over consecutive numbers: a range never spans a gap in what is shown.
    for (let end = at + 1; end < lines.length && end - at < QUOTED_RANGE_LINES; end += 1) {
      if (lines[end]!.number !== line.number + (end - at)) break;
      own.push({ id: `L${line.number}-L${lines[end]!.number}`, lines: end - at + 1 });
    }
    if (own.length > 0) ranges[line.number] = own;
  });
  const whole = /^L(\d+)-L(\d+)$/.exec(anchor);
  const first = lines[0]!.number;
  if (whole && Number(whole[1]) === first && Number(whole[2]) - first + 1 > QUOTED_RANGE_LINES) {
    (ranges[first] ??= []).push({ id: anchor, lines: Math.min(lines.length, Number(whole[2]) - first + 1) });
  }
  return ranges;
}

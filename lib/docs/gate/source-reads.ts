import type { TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { docUrl } from '../folder/load';
import { readPageSections } from './page-reads';
import { readVisibleIndex } from './index-reads';

// A source file as one reader may read it (the code kind, issue 70): its indexed symbols' lines, numbered as in the
// file, for the site's source page (lib/docs/site/source-page.ts) and the read_file tool. Only the symbols are indexed
// (what lies between them, blank lines and statements no symbol holds, is not), so a file is a list of runs of
// lines. A file the reader may not read is answered as one not indexed: null.

const CODE_LABEL = 'code';

export type TSourceLine = { number: number; text: string };
/** A symbol (or a part of a long one) of the file: its name, the anchor of its lines (`L6-L24`), its lines. */
export type TSourceSymbol = { heading: string; anchor: string; lines: TSourceLine[] };
export type TSourceFile = {
  /** The index path, `code:<source>/<file>`. */
  path: string;
  /** The file's path in its repository. */
  file: string;
  title: string;
  language: string;
  /** Where the file is read: its URL on GitHub at the indexed commit, else on the site's source page (no anchor). */
  url: string;
  /** In the file's order, each line once. */
  symbols: TSourceSymbol[];
};

/** The source file at index path `path`, when the reader may read it; else null. */
export async function readSourceFile({ db, access, path }: { db: TDb; access: TReaderAccess; path: string }): Promise<TSourceFile | null> {
  const head = (await visibleSourceFiles({ db, access })).find((file) => file.path === path);
  if (!head) return null;
  // Through the gate again: a page hidden since the index was read has no sections for this reader.
  const sections = await readPageSections({ db, access, path });
  if (sections.length === 0) return null;
  return { ...head, ...sourceLinesOf(sections) };
}

/**
 * The index paths of the source files the reader may read whose path in their repository is `file`, or ends with it
 * after a slash (`useToaster.ts`, `src/useToaster.ts`); exact matches first.
 */
export async function findSourceFiles({ db, access, file }: { db: TDb; access: TReaderAccess; file: string }): Promise<string[]> {
  const wanted = file.replace(/^\/+/, '');
  if (wanted === '') return [];
  const files = await visibleSourceFiles({ db, access });
  const exact = files.filter((candidate) => candidate.file === wanted);
  const ending = files.filter((candidate) => candidate.file !== wanted && candidate.file.endsWith(`/${wanted}`));
  return [...exact, ...ending].map((candidate) => candidate.path);
}

/** The index path of the source file a URL names: its site page or its GitHub page (`…/blob/<ref>/<file>`); else null. */
export async function findSourceFileByUrl({ db, access, url }: { db: TDb; access: TReaderAccess; url: string }): Promise<string | null> {
  const page = url.split('#')[0]!.split('?')[0]!;
  const files = await visibleSourceFiles({ db, access });
  return files.find((candidate) => candidate.url === page || safeDecode(candidate.url) === safeDecode(page))?.path ?? null;
}

type TSourceHead = Omit<TSourceFile, 'symbols' | 'language'> & { language: string };

/** The code kind's files the reader may read, from the index in memory: path, file, title, language, URL. */
async function visibleSourceFiles({ db, access }: { db: TDb; access: TReaderAccess }): Promise<TSourceHead[]> {
  const visible = await readVisibleIndex({ db, access });
  const { index } = visible;
  const files: TSourceHead[] = [];
  for (const page of index.pages) {
    const lead = page.sections[0] ?? -1;
    const head = index.sections[lead];
    if (!head || head.kind !== CODE_LABEL || !visible.isVisible(lead)) continue;
    const code = head.meta?.code;
    if (!code || typeof code.file !== 'string') continue;
    files.push({ path: page.path, file: code.file, title: head.title.trim(), language: typeof code.language === 'string' ? code.language : 'text', url: docUrl(head.slug) });
  }
  return files;
}

/** The file's symbols' lines from its sections: each section's last fenced block, from the line its anchor names. */
export function sourceLinesOf(sections: readonly { heading: string; anchor: string; content: string }[]): { symbols: TSourceSymbol[] } {
  const shown = new Set<number>();
  const symbols: TSourceSymbol[] = [];
  for (const section of sections) {
    const code = fencedLines(section.content);
    const start = /^L(\d+)(?:-L\d+)?$/.exec(section.anchor);
    if (!code || !start) continue;
    const from = Number(start[1]);
    const lines = code.map((text, at) => ({ number: from + at, text })).filter((line) => !shown.has(line.number));
    if (lines.length === 0) continue;
    for (const line of lines) shown.add(line.number);
    symbols.push({ heading: section.heading, anchor: section.anchor, lines });
  }
  symbols.sort((a, b) => a.lines[0]!.number - b.lines[0]!.number);
  return { symbols };
}

/** A code section's last fenced block's lines (lib/docs/sources/code/page.ts writes the code last), or null. */
function fencedLines(content: string): string[] | null {
  const lines = content.split('\n');
  const fences = lines.flatMap((line, at) => (line.startsWith('```') ? [at] : []));
  if (fences.length < 2 || lines[fences[fences.length - 1]!] !== '```') return null;
  return lines.slice(fences[fences.length - 2]! + 1, fences[fences.length - 1]);
}

function safeDecode(value: string): string {
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}

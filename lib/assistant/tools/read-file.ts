import { z } from 'zod';
import type { TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { findSourceFileByUrl, findSourceFiles, readSourceFile, type TSourceFile, type TSourceLine } from '../../docs/gate';
import type { TPassage, TPassagesOutput, TToolDefinition } from '../../model/types';
import { defineTool, type TTool } from './tool';

// read_file (issue 70): lines of an indexed source file read around a symbol or by their numbers, so that the model
// reads what a search result's symbol calls or sets beside it. It reads through the read gate (lib/docs/gate) with the
// caller's access: a file they may not read is answered as a missing one, by the same words. Its output is the
// passages envelope (lib/model/types.ts), one passage per symbol read, each with its file, `path:line` and a URL
// that opens its lines (on GitHub at the indexed commit, or the site's source page), so that the answer cites the
// lines it read. Bounded: READ_FILE_LINES lines a call, each line cut at READ_FILE_LINE_CHARS; a longer read says so
// and names the lines to read next. Only the indexed symbols' lines are there (blank lines and statements between
// symbols are not indexed). It declares the role 'file' (not 'read', whose calls name a page's URL): the offline
// model never asks for it. Offered only with a code source (./index.ts).

export const READ_FILE = 'read_file';

/** Lines one call returns at most. */
export const READ_FILE_LINES = 80;
/** A line longer than this is cut (a minified line, a long literal). */
const READ_FILE_LINE_CHARS = 300;
/** Lines shown before and after a symbol read by its name. */
const SYMBOL_CONTEXT_LINES = 3;
/** A symbol asked for that the file does not have: its symbols are listed, up to this many. */
const SYMBOLS_LISTED = 30;

export type TReadFileDeps = { db: TDb };

const ZReadFileArgs = z.object({
  file: z.string().trim().min(1).max(2048),
  symbol: z.string().trim().min(1).max(200).nullish(),
  from_line: z.number().int().min(1).max(10_000_000).nullish(),
  to_line: z.number().int().min(1).max(10_000_000).nullish(),
});

export const READ_FILE_DEFINITION: TToolDefinition = {
  type: 'function',
  name: READ_FILE,
  description:
    'Read lines of an indexed source file: around a symbol (a function, component, hook, type or constant, by its ' +
    'name) or by line numbers. Give the file as a code search result names it (its "file", or its URL), such as ' +
    '"packages/paste-core/components/toast/src/useToaster.ts". Returns the lines with their numbers as passages, ' +
    `each with its "cite" (path:line) and a URL that opens those lines, up to ${READ_FILE_LINES} lines; a longer ` +
    'read is cut ("truncated": true) and says which lines to read next. Use it when a code result is cut short or ' +
    'the answer needs what a symbol calls or sets; cite the lines you use by their URLs.',
  parameters: {
    type: 'object',
    properties: {
      file: { type: 'string', description: "The file's path in its repository, or a code result's URL." },
      symbol: { type: ['string', 'null'], description: 'A symbol of the file to read around, such as "useToaster"; null for lines by number.' },
      from_line: { type: ['integer', 'null'], description: 'The first line to read (1 is the first); null: the symbol\'s, else the file\'s first.' },
      to_line: { type: ['integer', 'null'], description: `The last line to read; null: up to ${READ_FILE_LINES} lines on.` },
    },
    required: ['file'],
    additionalProperties: false,
  },
  declares: { output: 'passages', role: 'file' },
};

/** What read_file returns: the file, the lines read, its symbols read as passages. */
export type TReadFileOutput = Extract<TPassagesOutput, { results: TPassage[] }> & { file: string; url: string; lines: string };

/** What a file that is not indexed, or one the caller may not read, answers: the same, whichever it is. */
export function fileNotFoundOutput(file: string): string {
  const shown = file.length > 200 ? `${file.slice(0, 200)}…` : file;
  return JSON.stringify({
    error:
      `No source file at ${JSON.stringify(shown)}. Give the file's path in its repository or its URL as a code search ` +
      'result gives them (search the docs with sources ["code"] to find one).',
  } satisfies TPassagesOutput);
}

export function createReadFileTool(deps: TReadFileDeps): TTool {
  return defineTool({
    definition: READ_FILE_DEFINITION,
    schema: ZReadFileArgs,
    argumentsExample: '{"file": "src/useToaster.ts", "symbol": "useToaster"}',
    run: async (args, { access }) => {
      const path = await findFile({ db: deps.db, access, file: args.file });
      const source = path ? await readSourceFile({ db: deps.db, access, path }) : null;
      if (!source || source.symbols.length === 0) return fileNotFoundOutput(args.file);
      // A URL's anchor (`#L10-L20`) is the lines it opens, unless lines are asked for.
      const anchor = /#L(\d+)(?:-L(\d+))?$/.exec(args.file);
      const from = args.from_line ?? (anchor ? Number(anchor[1]) : null);
      const to = args.to_line ?? (anchor && args.from_line == null ? Number(anchor[2] ?? anchor[1]) : null);
      return JSON.stringify(readLines(source, { symbol: args.symbol ?? null, from, to }));
    },
  });
}

/** The index path of the file asked for: by URL (the site's source page, GitHub's), else by its path in the repository. */
async function findFile({ db, access, file }: { db: TDb; access: TReaderAccess; file: string }): Promise<string | null> {
  if (/^(https?:\/\/|\/docs\/)/i.test(file)) return findSourceFileByUrl({ db, access, url: file });
  return (await findSourceFiles({ db, access, file: file.split('#')[0]! }))[0] ?? null;
}

type TWanted = { symbol: string | null; from: number | null; to: number | null };

/** The lines asked for, within the bounds, as one passage per symbol they fall in. */
function readLines(source: TSourceFile, wanted: TWanted): TReadFileOutput | { error: string } {
  const all = source.symbols.flatMap((symbol) => symbol.lines);
  const last = all[all.length - 1]!.number;
  let from = wanted.from ?? all[0]!.number;
  let to = wanted.to ?? from + READ_FILE_LINES - 1;
  const notes: string[] = [];
  if (wanted.symbol !== null) {
    const named = symbolsNamed(source, wanted.symbol);
    if (named.length === 0) {
      const names = [...new Set(source.symbols.map((symbol) => symbol.heading.replace(/ \(part \d+\)$/, '')))];
      return {
        error:
          `${source.file} has no symbol "${wanted.symbol.slice(0, 200)}". Its symbols: ${names.slice(0, SYMBOLS_LISTED).join(', ')}` +
          `${names.length > SYMBOLS_LISTED ? ', …' : ''}. Read by line numbers (from_line, to_line) for anything else.`,
      };
    }
    const start = named[0]!.lines[0]!.number;
    const end = named[named.length - 1]!.lines.at(-1)!.number;
    from = wanted.from ?? Math.max(1, start - SYMBOL_CONTEXT_LINES);
    to = wanted.to ?? end + SYMBOL_CONTEXT_LINES;
  }
  if (to < from) [from, to] = [to, from];
  const wantedLast = to;
  to = Math.min(to, from + READ_FILE_LINES - 1);
  const results: TPassage[] = [];
  for (const symbol of source.symbols) {
    const lines = symbol.lines.filter((line) => line.number >= from && line.number <= to);
    if (lines.length === 0) continue;
    results.push(passageOf(source, symbol.heading, lines));
  }
  if (results.length === 0) {
    return { error: `${source.file} has no indexed lines from ${from} to ${to}: its indexed lines run from ${all[0]!.number} to ${last}.` };
  }
  const readTo = Math.min(to, last);
  const output: TReadFileOutput = { file: source.file, url: source.url, lines: `${from}-${readTo}`, results };
  const isCut = wantedLast > to && last > to;
  if (isCut) {
    output.truncated = true;
    notes.push(`Only ${READ_FILE_LINES} lines a call: this is lines ${from}–${to}. Read on with from_line ${to + 1}.`);
  }
  const shown = results.reduce((sum, result) => sum + (result.content.match(/\n/g)?.length ?? 0), 0);
  if (shown < readTo - from + 1) notes.push('Lines between symbols (blank lines, statements no symbol holds) are not indexed and left out.');
  if (notes.length > 0) output.note = notes.join(' ');
  return output;
}

/** The file's symbols (a long one's parts) of this name, or its defaults (`Button.defaultProps`); case aside when none match exactly. */
function symbolsNamed(source: TSourceFile, name: string) {
  const baseOf = (heading: string) => heading.replace(/ \(part \d+\)$/, '');
  const exact = source.symbols.filter((symbol) => baseOf(symbol.heading) === name);
  if (exact.length > 0) return exact;
  const lower = name.toLowerCase();
  return source.symbols.filter((symbol) => baseOf(symbol.heading).toLowerCase() === lower);
}

/** Lines of one symbol as a passage: numbered, fenced with the file's language, cited `path:line` with a URL to them. */
function passageOf(source: TSourceFile, heading: string, lines: TSourceLine[]): TPassage {
  const from = lines[0]!.number;
  const to = lines[lines.length - 1]!.number;
  const width = String(to).length;
  const body = lines
    .map((line) => `${String(line.number).padStart(width)}  ${line.text.length > READ_FILE_LINE_CHARS ? `${line.text.slice(0, READ_FILE_LINE_CHARS)}…` : line.text}`)
    .join('\n');
  return {
    title: source.title,
    heading,
    url: `${source.url}#${from === to ? `L${from}` : `L${from}-L${to}`}`,
    content: `\`\`\`${source.language}\n${body}\n\`\`\``,
    kind: 'code',
    file: source.file,
    cite: `${source.file}:${from}`,
  };
}

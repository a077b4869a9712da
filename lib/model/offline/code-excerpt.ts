import { bestCodeLine, codeBlockOf, firstLineOf } from '../../relevance/code-lines';
import type { TPassage } from '../types';

// A source section quoted in an offline answer (a result of kind `code`: lib/docs/sources/code/page.ts writes its
// prose, then the symbol's lines fenced with the file's language, anchored `#L48-L61` at the lines they start at).
// Not the whole symbol: the line that holds most of the question's words (lib/relevance/code-lines.ts) and a little
// around it, at most CODE_QUOTE_LINES, fenced with the file's language, and cited `path:line` with a link that opens
// exactly those lines. A question none of whose words is in the code gets the symbol's first lines (its signature).
// Pure text.

/** At most this many lines are quoted. */
export const CODE_QUOTE_LINES = 10;
/** Lines shown before the best line, and after it. */
const BEFORE = 2;
const AFTER = 3;

export type TCodeQuote = {
  /** The file's path in its repository and the first quoted line: `packages/…/useToaster.ts:42`. */
  cite: string;
  /** The result's URL with its anchor narrowed to the quoted lines (`#L40-L45`). */
  url: string;
  /** The quoted lines, fenced with the file's language. */
  text: string;
  from: number;
  to: number;
};

/** The section's code: its fence's language and lines, and the line number its first line is at (null: none). */
function codeOf(result: TPassage): { language: string; lines: string[]; firstLine: number } | null {
  const firstLine = firstLineOf(result.url);
  const block = codeBlockOf(result.content);
  if (firstLine === null || !block) return null;
  const lines = [...block.lines];
  // Content cut short (a search result's length bound) may end inside a line: that line is left out.
  if (!block.isClosed && result.content.endsWith('…')) lines.pop();
  if (lines.length === 0) return null;
  return { language: block.language, lines, firstLine };
}

/** The file a result is of: its `file` (the search and file-reading tools carry it), else the path its GitHub URL names. */
function fileOf(result: TPassage): string | null {
  if (result.file) return result.file;
  const blob = /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[^/]+\/([^#?]+)/.exec(result.url);
  return blob ? decodeURIComponent(blob[1]!) : null;
}

/** The lines of a code result that answer `question`, fenced and cited; null when the result holds no code. */
export function codeQuote(result: TPassage, question: string): TCodeQuote | null {
  const code = codeOf(result);
  const file = fileOf(result);
  if (!code || !file) return null;
  const best = bestCodeLine(code.lines, question);
  let start = best < 0 ? 0 : Math.max(0, best - BEFORE);
  let end = best < 0 ? Math.min(code.lines.length, CODE_QUOTE_LINES) : Math.min(code.lines.length, best + AFTER + 1);
  // Blank lines at either end say nothing.
  while (start < end - 1 && code.lines[start]!.trim() === '') start += 1;
  while (end > start + 1 && code.lines[end - 1]!.trim() === '') end -= 1;
  end = Math.min(end, start + CODE_QUOTE_LINES);
  const quoted = dedent(code.lines.slice(start, end));
  const from = code.firstLine + start;
  const to = code.firstLine + end - 1;
  const shownLine = code.firstLine + (best < 0 ? start : best);
  const anchor = from === to ? `L${from}` : `L${from}-L${to}`;
  return {
    cite: `${file}:${shownLine}`,
    url: `${result.url.replace(/#[^#]*$/, '')}#${anchor}`,
    text: `\`\`\`${code.language}\n${quoted.join('\n')}\n\`\`\``,
    from,
    to,
  };
}

/** Lines without the indentation they all share (a body's lines quoted out of their function). */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common));
}

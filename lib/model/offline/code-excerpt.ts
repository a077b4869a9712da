import { contentTerms } from '../../relevance/answering';
import type { TPassage } from '../types';

// A source section quoted in an offline answer (a result of kind `code`: lib/docs/sources/code/page.ts writes its
// prose, then the symbol's lines fenced with the file's language, anchored `#L48-L61` at the lines they start at).
// Not the whole symbol: the line that holds most of the question's words (each weighted by how few of the symbol's
// lines have it, so that the symbol's own name, on every line, tells them apart no more than "the") and a little
// around it, at most CODE_QUOTE_LINES, fenced with the file's language, and cited `path:line` with a link that opens
// exactly those lines. A question none of whose words is in the code gets the symbol's first lines (its signature).
// Pure text.

/** At most this many lines are quoted. */
export const CODE_QUOTE_LINES = 10;
/** Lines shown before the best line, and after it. */
const BEFORE = 2;
const AFTER = 3;
/** A question that asks for a default: a line that sets a value (`= 5000`, `: 'small'`) counts this much more. */
const DEFAULT_LINE_BONUS = 0.5;
const ASKS_DEFAULT = /\bdefault/i;
const SETS_LITERAL = /(=|:)\s*(['"`][^'"`]*['"`]|-?\d[\d_.]*|true|false|null|undefined)\s*[,;)}]?\s*(\/\/.*)?$/;

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
  const anchor = /#L(\d+)(?:-L\d+)?$/.exec(result.url);
  if (!anchor) return null;
  const lines = result.content.split('\n');
  // The code is the section's last block; its own ``` were written `​`` (page.ts), so the last fences are its.
  const fences = lines.flatMap((line, at) => (line.startsWith('```') ? [at] : []));
  if (fences.length === 0) return null;
  const last = fences[fences.length - 1]!;
  const isClosed = lines[last] === '```' && fences.length >= 2;
  const open = isClosed ? fences[fences.length - 2]! : last;
  const body = lines.slice(open + 1, isClosed ? last : undefined);
  // Content cut short (a search result's length bound) may end inside a line: that line is left out.
  if (!isClosed && result.content.endsWith('…')) body.pop();
  if (body.length === 0) return null;
  return { language: lines[open]!.slice(3).trim(), lines: body, firstLine: Number(anchor[1]) };
}

/** The file a result is of: its `file` (the search and file-reading tools carry it), else the path its GitHub URL names. */
function fileOf(result: TPassage): string | null {
  if (result.file) return result.file;
  const blob = /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[^/]+\/([^#?]+)/.exec(result.url);
  return blob ? decodeURIComponent(blob[1]!) : null;
}

/** A term of the question meets a line's term when their stems agree or one starts the other (four letters or more). */
function meets(term: string, terms: ReadonlySet<string>): boolean {
  if (terms.has(term)) return true;
  if (term.length < 4) return false;
  for (const other of terms) if (other.length >= 4 && (other.startsWith(term) || term.startsWith(other))) return true;
  return false;
}

/** The lines of a code result that answer `question`, fenced and cited; null when the result holds no code. */
export function codeQuote(result: TPassage, question: string): TCodeQuote | null {
  const code = codeOf(result);
  const file = fileOf(result);
  if (!code || !file) return null;
  const asked = [...new Set(contentTerms(question))];
  const lineTerms = code.lines.map((line) => new Set(contentTerms(line)));
  // A word on many of the symbol's lines (its own name) tells them apart little: weighted by how few lines have it.
  const weight = new Map(asked.map((term) => [term, 1 / (1 + lineTerms.filter((terms) => meets(term, terms)).length)]));
  const asksDefault = ASKS_DEFAULT.test(question);
  let best = -1;
  let bestScore = 0;
  code.lines.forEach((line, at) => {
    let score = asked.reduce((sum, term) => sum + (meets(term, lineTerms[at]!) ? weight.get(term)! : 0), 0);
    if (score > 0 && asksDefault && SETS_LITERAL.test(line.trim())) score += DEFAULT_LINE_BONUS;
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  });
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

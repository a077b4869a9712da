import { contentTerms } from './answering';

// Which line of a piece of source code holds most of a question: the question's words each weighted by how few of the
// code's lines have them, so that the symbol's own name, on every line, tells lines apart no more than "the" does; a
// question that asks for a default counts a line that sets a literal value (`= 5000`, `: 'small'`) a little more.
// Used where code is cut for a reader or a model (the search tool's excerpt of a long symbol, the offline answer's
// quote), so that both keep the lines that answer rather than the symbol's first ones. Pure text.

/** A question that asks for a default: a line that sets a value counts this much more. */
const DEFAULT_LINE_BONUS = 0.5;
const ASKS_DEFAULT = /\bdefault/i;
const SETS_LITERAL = /(=|:)\s*(['"`][^'"`]*['"`]|-?\d[\d_.]*|true|false|null|undefined)\s*[,;)}]?\s*(\/\/.*)?$/;

/** A term of the question meets a line's term when their stems agree or one starts the other (four letters or more). */
function meets(term: string, terms: ReadonlySet<string>): boolean {
  if (terms.has(term)) return true;
  if (term.length < 4) return false;
  for (const other of terms) if (other.length >= 4 && (other.startsWith(term) || term.startsWith(other))) return true;
  return false;
}

/** The 0-based index of the line that holds most of `question` (the first on a tie), or -1 when no line has any of its words. */
export function bestCodeLine(lines: readonly string[], question: string): number {
  const asked = [...new Set(contentTerms(question))];
  const lineTerms = lines.map((line) => new Set(contentTerms(line)));
  const weight = new Map(asked.map((term) => [term, 1 / (1 + lineTerms.filter((terms) => meets(term, terms)).length)]));
  const asksDefault = ASKS_DEFAULT.test(question);
  let best = -1;
  let bestScore = 0;
  lines.forEach((line, at) => {
    let score = asked.reduce((sum, term) => sum + (meets(term, lineTerms[at]!) ? weight.get(term)! : 0), 0);
    if (score > 0 && asksDefault && SETS_LITERAL.test(line.trim())) score += DEFAULT_LINE_BONUS;
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  });
  return best;
}

/**
 * A source section's code (lib/docs/sources/code/page.ts writes its prose, then the symbol's lines fenced with the
 * file's language): the prose before it, the fence's language and the lines inside it; `isClosed` false when the
 * content was cut inside the block. Its own ``` were written `\u200b`` (page.ts), so the last fences are the block's.
 */
export function codeBlockOf(content: string): { prose: string; language: string; lines: string[]; isClosed: boolean } | null {
  const lines = content.split('\n');
  const fences = lines.flatMap((line, at) => (line.startsWith('```') ? [at] : []));
  if (fences.length === 0) return null;
  const last = fences[fences.length - 1]!;
  const isClosed = lines[last] === '```' && fences.length >= 2;
  const open = isClosed ? fences[fences.length - 2]! : last;
  return { prose: lines.slice(0, open).join('\n').trim(), language: lines[open]!.slice(3).trim(), lines: lines.slice(open + 1, isClosed ? last : undefined), isClosed };
}

/** The line a source section's URL says its code starts at (`#L48-L61` → 48), or null. */
export function firstLineOf(url: string): number | null {
  const anchor = /#L(\d+)(?:-L\d+)?$/.exec(url);
  return anchor ? Number(anchor[1]) : null;
}

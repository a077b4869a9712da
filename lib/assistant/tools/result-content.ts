import { bestCodeLine, codeBlockOf, firstLineOf } from '../../relevance/code-lines';

// What of a result's text the search tool gives the model: at most a bound's characters. A docs section is cut at the
// bound (its opening says what it is about). A source section longer than the bound is cut to the lines that hold the
// query's words (lib/relevance/code-lines.ts) after its prose (what it is, its doc comment, its defaults: as much as
// before), and its URL re-anchored to those lines: its
// first 1,500 characters were its signature and destructured props, so the lines that answer ("throw new Error(…)",
// "maxWidth: size === 'wide' ? …") never reached the model or the offline answer's quote.

/** Of the bound, the code keeps at least this many characters (about ten lines); the prose has the rest, as before the cut. */
const MIN_CODE_CHARS = 400;
/** Lines kept before the line that holds most of the query, when the bound allows; the rest of it goes after. */
const LINES_BEFORE = 2;

type TResultText = { content: string; url: string };

/** The result's text within `maxChars`, and its URL (re-anchored when a source section's lines were chosen). */
export function resultContent(hit: TResultText & { kind: string }, query: string, maxChars: number): TResultText {
  if (hit.content.length <= maxChars) return { content: hit.content, url: hit.url };
  const firstLine = hit.kind === 'code' ? firstLineOf(hit.url) : null;
  const block = firstLine === null ? null : codeBlockOf(hit.content);
  if (firstLine === null || !block?.isClosed || block.lines.length === 0) return { content: hit.content.slice(0, maxChars), url: hit.url };
  const prose = proseWithin(block.prose, maxChars - MIN_CODE_CHARS);
  const fence = `\`\`\`${block.language}\n`;
  const budget = maxChars - prose.length - fence.length - '\n\n\n```'.length;
  const [start, end] = linesWithin(block.lines, Math.max(0, bestCodeLine(block.lines, query)), budget);
  const from = firstLine + start;
  const to = firstLine + end - 1;
  return {
    content: `${prose}\n\n${fence}${block.lines.slice(start, end).join('\n')}\n\`\`\``,
    url: `${hit.url.replace(/#[^#]*$/, '')}#${from === to ? `L${from}` : `L${from}-L${to}`}`,
  };
}

/** The prose's paragraphs in order while they fit (the first always, cut at the bound if it alone is longer). */
function proseWithin(prose: string, maxChars: number): string {
  const paragraphs = prose.split('\n\n');
  let kept = paragraphs[0]!.slice(0, maxChars);
  for (const paragraph of paragraphs.slice(1)) {
    if (kept.length + 2 + paragraph.length > maxChars) continue;
    kept += `\n\n${paragraph}`;
  }
  return kept;
}

/** [start, end) of the lines around `center` that fit `maxChars`: up to LINES_BEFORE before it, then after, then before again. */
function linesWithin(lines: readonly string[], center: number, maxChars: number): [number, number] {
  let start = center;
  let end = center + 1;
  let used = lines[center]!.length + 1;
  const fits = (at: number) => used + lines[at]!.length + 1 <= maxChars;
  while (start > 0 && center - start < LINES_BEFORE && fits(start - 1)) used += lines[--start]!.length + 1;
  while (end < lines.length && fits(end)) used += lines[end++]!.length + 1;
  while (start > 0 && fits(start - 1)) used += lines[--start]!.length + 1;
  return [start, end];
}

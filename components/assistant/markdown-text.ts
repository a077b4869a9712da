// An answer's Markdown as the plain text it says, without its syntax: what a message shows while the renderer
// (components/assistant/markdown.tsx, remark and the Paste components) is still loading
// (components/assistant/LazyMarkdown.tsx), so that no reader ever sees `**`, a ``` fence, a `#` or a link's
// address in brackets. Light on purpose (no parser): it ships with the panel, which the renderer does not.
// It keeps what the renderer shows as text (raw HTML, footnote references) and drops what the renderer turns into
// formatting; fences and code spans keep their code exactly. Text still being written (a draft cut mid-way) loses
// its unclosed markers too.

/** A paragraph of text, or the code of a fenced block. */
export type TPlainBlock = { kind: 'text' | 'code'; text: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}=+[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?/;
const BULLET = /^([ \t]*)[-*+][ \t]+(\[[ xX]\][ \t]+)?/;
const DEFINITION = /^ {0,3}\[[^\]^][^\]]*\]:[ \t]*\S/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-+:?[ \t]*\|?[ \t]*$/;
// Placeholders for code spans and escaped characters while the rest loses its syntax: private-use characters.
const HOLD_START = '\uE000';
const HOLD_END = '\uE001';
const HELD = new RegExp(`${HOLD_START}(\\d+)${HOLD_END}`, 'g');

/** One line's inline Markdown as its text: emphasis, code spans, links, images and escapes lose their syntax. */
export function inlineMarkdownAsText(line: string): string {
  const held: string[] = [];
  const hold = (text: string) => `${HOLD_START}${held.push(text) - 1}${HOLD_END}`;
  let text = line
    // Code spans first: their content is code, kept exactly (one space of padding on each side is the syntax's).
    .replace(/(`+)(.+?)\1(?!`)/g, (_, _ticks: string, code: string) => hold(/^ .* $/.test(code) && code.trim() !== '' ? code.slice(1, -1) : code))
    .replace(/\\([!-/:-@[-`{-~])/g, (_, character: string) => hold(character));
  text = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, (_, alt: string) => (alt ? `Image: ${alt}` : 'Image'))
    .replace(/\[([^\]^][^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]^][^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/(^|[^*\w])\*(?=[^\s*])(.*?[^\s*])\*(?!\*)/g, '$1$2')
    .replace(/(^|[^_\w])_(?=[^\s_])(.*?[^\s_])_(?!\w)/g, '$1$2')
    // What is left unpaired: markers of text still being written, or of a link still open.
    .replace(/\*\*+|~~+|(^|\s)__+|__+(?=\s|$)|`+/g, '$1')
    .replace(/(^|\s)\*(?=\S)/g, '$1')
    .replace(/\]\([^)\s]*$/, '')
    .replace(/(^|\s)\[(?=[^\]^]*$)/, '$1');
  return text.replace(HELD, (_, index: string) => held[Number(index)] ?? '');
}

/** A table row's cells, their separators and outer pipes gone. */
function tableRowAsText(line: string): string {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inlineMarkdownAsText(cell.trim()))
    .join('   ');
}

/** The lines of one paragraph-like block (no blank line, no fence) as text; lines that are only syntax go. */
function blockAsText(lines: string[]): string {
  const isTable = lines.some((line) => line.includes('|') && TABLE_DELIMITER.test(line));
  const out: string[] = [];
  for (const line of lines) {
    if (isTable && line.includes('|')) {
      if (!TABLE_DELIMITER.test(line)) out.push(tableRowAsText(line));
      continue;
    }
    let rest = line;
    while (QUOTE.test(rest)) rest = rest.replace(QUOTE, '');
    if (THEMATIC_BREAK.test(rest) || SETEXT_UNDERLINE.test(rest) || DEFINITION.test(rest)) continue;
    const heading = HEADING.exec(rest);
    if (heading) rest = heading[1] ?? '';
    rest = rest.replace(BULLET, (_, indent: string, task: string | undefined) => `${indent}${task === undefined ? '• ' : /x/i.test(task) ? '☑ ' : '☐ '}`);
    out.push(inlineMarkdownAsText(rest));
  }
  return out.join('\n').replace(/^\n+|\s+$/g, '');
}

/** `markdown` as paragraphs of plain text and blocks of code, in order. An unclosed fence is code to the end. */
export function markdownAsPlainBlocks(markdown: string): TPlainBlock[] {
  const blocks: TPlainBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    const text = blockAsText(paragraph);
    if (text.trim() !== '') blocks.push({ kind: 'text', text });
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string;
    const fence = FENCE.exec(line);
    // A backtick fence's info string has no backtick (CommonMark): "```a``` b" is a code span, not a fence.
    if (fence && !(fence[1]!.startsWith('`') && fence[2]!.includes('`'))) {
      flush();
      const marker = fence[1]!;
      const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      const code: string[] = [];
      for (index += 1; index < lines.length && !closing.test(lines[index] as string); index += 1) code.push(lines[index] as string);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

/**
 * An answer still being written, its unfinished end closed so that the renderer shows no syntax of it: an open code
 * span, `**` or `~~` is closed (one just opened, with nothing after it yet, goes), and a link still being written is
 * its label for now. Text inside an unclosed fence is code and left as it is; so is everything before the last
 * paragraph, which is complete.
 */
export function closeOpenMarkdown(draft: string): string {
  const text = draft.trimEnd();
  if (text.split('\n').filter((line) => FENCE.test(line)).length % 2 === 1) return draft;
  const start = text.lastIndexOf('\n\n') + 1;
  const last = text
    .slice(start)
    .replace(/(!?)\[([^\]]*)\](?:\([^)]*)?$/, (whole: string, bang: string, label: string) => (bang ? '' : label.startsWith('^') ? whole : label))
    .replace(/(^|[^\\])!?\[(?=[^\]]*$)/, '$1')
    .replace(/(^|\s)(\*\*|~~|`+)+$/, '$1')
    .trimEnd();
  // What is code (closed spans) or escaped is not syntax; an open code span is code to its end.
  const outsideCode = last.replace(/\\./g, '').replace(/(`+)(.+?)\1(?!`)/g, '');
  const openTicks = /`+/.exec(outsideCode)?.[0];
  // The markers still open before it, innermost last; each is closed in turn, after the half of a closer already
  // written.
  const open: string[] = [];
  for (const [marker] of (openTicks === undefined ? outsideCode : outsideCode.slice(0, outsideCode.indexOf(openTicks))).matchAll(/\*\*|~~/g)) {
    if (open.at(-1) === marker) open.pop();
    else open.push(marker);
  }
  let closers = openTicks ?? '';
  for (const marker of open.reverse()) {
    const isHalfWritten = closers === '' && last.endsWith(marker[0]!) && !last.endsWith(marker);
    closers += isHalfWritten ? marker[0] : marker;
  }
  return `${text.slice(0, start)}${last}${closers}`;
}

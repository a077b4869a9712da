import { fencedLine, type TFence } from '../../relevance/fences';

// Other frameworks' Markdown flavours → the CommonMark/MDX the remark toolchain reads, before parsing. Docs
// written for Docusaurus, VitePress, MkDocs or Nextra use block syntax plain Markdown does not know:
//   :::note Title … :::            (Docusaurus, VitePress: containers, nested with more colons)
//   !!! note "Title" / ??? note    (MkDocs Material: admonitions, their body indented four spaces)
//   === "Tab"                      (MkDocs Material: content tabs, their body indented four spaces)
//   ## Heading {#custom-id}        (Docusaurus, VitePress, MkDocs attr_list: a heading's own anchor)
// Containers become block quotes opened by their label in bold (`**Note:** Title`), so their text is indexed
// and rendered as an aside; tabs become their label in bold followed by their body. A `{#id}` on a heading is
// escaped here (MDX would read it as an expression) and taken as the heading's anchor by mdx.ts. Code fences
// are copied untouched. Pure text in, text out: nothing here runs or fetches anything.

const COLON_OPEN = /^\s*(:{3,})\s*([A-Za-z][\w-]*)(?:\s*\[(.*)\]|\s+(.*?))?\s*$/;
const COLON_CLOSE = /^\s*(:{3,})\s*$/;
const MKDOCS_ADMONITION = /^(!!!|\?\?\?\+?)\s+([A-Za-z][\w-]*)(?:\s+[\w\s-]*?)?(?:\s+"(.*)")?\s*$/;
const MKDOCS_TAB = /^===\+?\s+"(.*)"\s*$/;
const HEADING_ID = /^(\s{0,3}#{1,6}\s.*?)\s*\{#([\w.:-]+)\}\s*$/;
// VitePress groups of code blocks and tabs are only layout: their content is kept, unquoted.
const UNWRAPPED_CONTAINERS = new Set(['code-group', 'tabs', 'tab', 'raw', 'v-pre']);

/** True when `source` uses any of the syntax above, so that plain pages skip the rewrite. */
export function hasFrameworkSyntax(source: string): boolean {
  return /^\s*:{3,}\s*[A-Za-z]|^(!!!|\?\?\?)|^===\+?\s+"|\{#[\w.:-]+\}\s*$/m.test(source);
}

export function normaliseFlavours(source: string): string {
  if (!hasFrameworkSyntax(source)) return source;
  return rewrite(source.split('\n')).join('\n');
}

function label(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1).toLowerCase();
}

function quote(lines: string[]): string[] {
  return lines.map((line) => (line.trim() === '' ? '>' : `> ${line}`));
}

/** The lines after `start` that are blank or indented by at least four spaces (an MkDocs block's body). */
function indentedBlock(lines: string[], start: number): { body: string[]; end: number } {
  let end = start;
  while (end < lines.length && (lines[end]?.trim() === '' || /^( {4}|\t)/.test(lines[end] ?? ''))) end += 1;
  // Trailing blank lines belong to what follows.
  while (end > start && lines[end - 1]?.trim() === '') end -= 1;
  const body = lines.slice(start, end).map((line) => line.replace(/^( {4}|\t)/, ''));
  return { body, end };
}

function rewrite(lines: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    let codeBlock = fencedLine(line, null).openAfter;
    if (codeBlock) {
      // Copied through its closing fence, or to the end of the page.
      out.push(line);
      while (codeBlock && index + 1 < lines.length) {
        index += 1;
        out.push(lines[index] ?? '');
        codeBlock = fencedLine(lines[index] ?? '', codeBlock).openAfter;
      }
      continue;
    }
    const colon = COLON_OPEN.exec(line);
    if (colon) {
      const colons = colon[1]?.length ?? 3;
      const kind = colon[2] ?? 'note';
      const title = (colon[3] ?? colon[4] ?? '').trim();
      const body: string[] = [];
      let depth = 0;
      let innerBlock: TFence | null = null;
      for (index += 1; index < lines.length; index += 1) {
        const inner = lines[index] ?? '';
        const read = fencedLine(inner, innerBlock);
        innerBlock = read.openAfter;
        // A code block's lines, its fences included, open and close no container.
        if (read.fence === null && COLON_OPEN.test(inner)) {
          depth += 1;
        } else if (read.fence === null) {
          const close = COLON_CLOSE.exec(inner);
          if (close && depth === 0 && (close[1]?.length ?? 0) >= Math.min(colons, 3)) break;
          if (close) depth -= 1;
        }
        body.push(inner);
      }
      const content = rewrite(body);
      if (UNWRAPPED_CONTAINERS.has(kind.toLowerCase())) out.push('', ...content, '');
      else out.push('', ...quote([`**${label(kind)}:**${title ? ` ${title}` : ''}`, '', ...content]), '');
      continue;
    }
    const admonition = MKDOCS_ADMONITION.exec(line);
    if (admonition) {
      const { body, end } = indentedBlock(lines, index + 1);
      const title = (admonition[3] ?? '').trim();
      out.push('', ...quote([`**${label(admonition[2] ?? 'note')}:**${title ? ` ${title}` : ''}`, '', ...rewrite(body)]), '');
      index = end - 1;
      continue;
    }
    const tab = MKDOCS_TAB.exec(line);
    if (tab) {
      const { body, end } = indentedBlock(lines, index + 1);
      out.push('', `**${tab[1] ?? ''}**`, '', ...rewrite(body), '');
      index = end - 1;
      continue;
    }
    const heading = HEADING_ID.exec(line);
    // Escaped, so that MDX reads it as text; mdx.ts turns the text into the heading's id.
    if (heading) out.push(`${heading[1]} \\{#${heading[2]}}`);
    else out.push(line);
  }
  return out;
}

/** `Heading {#custom-id}` (after parsing) → the heading text and its explicit id. */
export const EXPLICIT_HEADING_ID = /\s*\{#([\w.:-]+)\}\s*$/;

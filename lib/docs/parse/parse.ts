import type { Heading, List, PhrasingContent, Root, RootContent, Table } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { fencedLine, fencedLines, type TFence } from '../../relevance/fences';
import { isJsxTable, jsxTableRows, markdownTable } from './jsx-table';
import { expressionCode, expressionLiteral, headingAnchors, headingText, parseMdxTree, type TDocMeta, type TEstreeNode } from './mdx';

// A page → title, description and sections split by heading, each carrying its heading path and anchor.
// Kept: prose, lists, tables (markdown's, and JSX ones as markdown tables), code, code inside JSX examples
// (`<LivePreview>{`…`}</LivePreview>`) and prose passed to components as string props (`<Do body="…" />`).
// A link or other inline JSX on its own line stays in its sentence. Dropped: imports, exports, front matter, raw
// HTML, expressions that hold no code or text, and JSX that is only layout (its children are kept).

export type TDocSection = {
  heading: string;
  headingPath: string[];
  anchor: string;
  content: string;
};

export type TParsedDoc = { title: string; description: string; sections: TDocSection[]; warnings: string[]; meta: TDocMeta };

export const MAX_SECTION_CHARS = 1800;
export const SECTION_OVERLAP_CHARS = 200;

type TBlock = { kind: 'heading'; node: Heading } | { kind: 'text'; text: string };

/** Throws a DocParseError (parser message and position) when the file is not MD/MDX the parser can repair. */
export function parseDoc({ source, path }: { source: string; path: string }): TParsedDoc {
  const { tree, meta, warnings } = parseMdxTree({ source, path });
  return { ...sectionsOfTree({ tree, title: meta.title, description: meta.description, path }), warnings, meta };
}

/**
 * An mdast tree (from MD/MDX, or from a crawled page's HTML) → title and sections. `anchors`: each heading's id
 * when the page has its own (a crawled page's), else they are made as the site makes them (headingAnchors).
 */
export function sectionsOfTree({
  tree,
  title: givenTitle,
  description: givenDescription,
  path,
  anchors = headingAnchors(tree),
}: {
  tree: Root;
  title?: string;
  description?: string;
  path: string;
  anchors?: Map<Heading, string>;
}): { title: string; description: string; sections: TDocSection[] } {
  const blocks: TBlock[] = [];
  collectBlocks(tree, blocks);

  const firstH1 = blocks.find((block): block is { kind: 'heading'; node: Heading } => block.kind === 'heading' && block.node.depth === 1);
  const title = givenTitle ?? (firstH1 ? headingText(firstH1.node) : fallbackTitle(path));
  const description = givenDescription ?? '';

  const sections: TDocSection[] = [];
  const stack: { depth: number; text: string }[] = [];
  let current = { heading: '', headingPath: [] as string[], anchor: '', parts: [] as string[] };
  const flush = () => {
    for (const content of packChunks(current.parts)) {
      sections.push({ heading: current.heading, headingPath: current.headingPath, anchor: current.anchor, content });
    }
  };
  for (const block of blocks) {
    if (block.kind === 'text') {
      current.parts.push(block.text);
      continue;
    }
    // The page's own H1 is its title, not a section of its own.
    if (firstH1 && block.node === firstH1.node) continue;
    flush();
    const text = headingText(block.node);
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= block.node.depth) stack.pop();
    stack.push({ depth: block.node.depth, text });
    current = { heading: text, headingPath: stack.map((entry) => entry.text), anchor: anchors.get(block.node) ?? '', parts: [] };
  }
  flush();

  // A page with no body (an overview rendered by its layout) is still findable by its title and description.
  if (sections.length === 0) sections.push({ heading: '', headingPath: [], anchor: '', content: description || title });
  return { title, description, sections };
}

/**
 * Packs a section's blocks into chunks of at most `max` characters, keeping blocks whole where they fit; a
 * chunk after the first starts with the tail of the previous one, so that a sentence cut at the boundary is
 * found from either side. A long table or code block is cut between its rows or lines, each piece a table or a
 * fenced block of its own.
 */
export function packChunks(parts: string[], max = MAX_SECTION_CHARS, overlap = SECTION_OVERLAP_CHARS): string[] {
  const pieces = parts.flatMap((part) =>
    part.length <= max ? [part] : isTableText(part) ? splitTable(part, max) : isCodeText(part) ? splitCode(part, max) : splitLongText(part, max, overlap),
  );
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (current.length > 0 && length + 2 + piece.length > max) {
      const done = current.join('\n\n');
      chunks.push(done);
      const tail = overlapTail(done, overlap);
      current = tail && tail.length + 2 + piece.length <= max ? [tail] : [];
      length = current[0]?.length ?? 0;
    }
    current.push(piece);
    length += (current.length > 1 ? 2 : 0) + piece.length;
  }
  if (current.length > 0) chunks.push(current.join('\n\n'));
  return chunks.map((chunk) => chunk.trim()).filter((chunk) => chunk !== '');
}

function overlapTail(text: string, overlap: number): string {
  // A tail of a table row or of code is not a sentence: repeated alone, it reads as broken text.
  const lines = text.split('\n');
  const reads = fencedLines(lines);
  const lastLine = lines[lines.length - 1]!.trimStart();
  if (overlap <= 0 || text.length <= overlap || lastLine.startsWith('|') || reads[reads.length - 1]!.isFence) return '';
  const from = text.length - overlap;
  const boundary = text.slice(from).search(/\s/);
  if (boundary < 0) return '';
  // Nor is the end of a code block: the tail starts after the last fence in it, so that no chunk opens on a closing fence.
  const start = from + boundary + 1;
  const tail = text.slice(start);
  let lastFenceEnd = -1;
  let lineEnd = -1;
  lines.forEach((line, at) => {
    lineEnd += line.length + 1;
    if (reads[at]!.isFence && lineEnd > start) lastFenceEnd = lineEnd;
  });
  const prose = lastFenceEnd < 0 ? tail : text.slice(lastFenceEnd).trimStart();
  return prose === '' ? '' : `…${prose}`;
}

function isTableText(text: string): boolean {
  const lines = text.split('\n');
  return lines.length > 2 && lines.every((line) => line.startsWith('|')) && /^\|[\s|:-]+\|$/.test(lines[1] as string);
}

/** A long table in pieces of whole rows, each under the table's header (a row longer than `max` is a piece alone). */
function splitTable(text: string, max: number): string[] {
  const [header, separator, ...rows] = text.split('\n') as [string, string, ...string[]];
  return linesUnder(`${header}\n${separator}`, rows, '', max);
}

/** A code block as a section's part holds it: its opening fence (with its language), its lines, its closing fence. */
function isCodeText(text: string): boolean {
  const lines = text.split('\n');
  return lines.length > 2 && /^```\S*$/.test(lines[0]!) && lines[lines.length - 1] === '```';
}

/**
 * A long code block in pieces of whole lines, each fenced as the block is (a line longer than `max` is a piece alone).
 * Cut as prose, a piece ended inside an open fence and the next began with a tail of code and no fence: whatever
 * quoted either (an answer's excerpt, the model's search result) read code as prose (Vite's `ViteDevServer` interface).
 */
function splitCode(text: string, max: number): string[] {
  const lines = text.split('\n');
  return linesUnder(lines[0]!, lines.slice(1, -1), '\n```', max);
}

/** `lines` in pieces of whole lines, each `head`, its lines and `foot`, at most `max` long unless one line alone is longer. */
function linesUnder(head: string, lines: string[], foot: string, max: number): string[] {
  const pieces: string[] = [];
  let current = head;
  for (const line of lines) {
    if (current !== head && current.length + 1 + line.length + foot.length > max) {
      pieces.push(`${current}${foot}`);
      current = head;
    }
    current += `\n${line}`;
  }
  pieces.push(`${current}${foot}`);
  return pieces;
}

/** Splits one long text at paragraph, else line, else word boundaries, each piece overlapping the previous. */
export function splitLongText(text: string, max = MAX_SECTION_CHARS, overlap = SECTION_OVERLAP_CHARS): string[] {
  if (text.length <= max) return [text];
  // Room for a fence to open and one to close each piece (closedFences), so that no piece exceeds `max`; but never
  // more than half of it: a fence line as long as `max` would leave no room at all and the cut would never advance.
  // Such a piece exceeds `max` by its fences.
  const lines = text.split('\n');
  const fenceLengths = fencedLines(lines).flatMap((read, at) => (read.isFence ? [lines[at]!.length] : []));
  const cap = max - Math.min(max / 2, fenceLengths.length === 0 ? 0 : 2 * (Math.max(...fenceLengths) + 1));
  const chunks: { text: string; start: number; end: number }[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + cap, text.length);
    if (end < text.length) {
      const window = text.slice(start, end);
      const paragraph = window.lastIndexOf('\n\n');
      const line = window.lastIndexOf('\n');
      const space = window.lastIndexOf(' ');
      const breakAt = paragraph > cap / 2 ? paragraph : line > cap / 2 ? line : space;
      if (breakAt > cap / 2) end = start + breakAt;
    }
    chunks.push({ text: text.slice(start, end).trim(), start, end });
    if (end >= text.length) break;
    // The next piece starts `overlap` characters back, at a word boundary.
    const next = Math.max(end - overlap, start + 1);
    const boundary = text.slice(next, end).search(/\s/);
    start = boundary >= 0 ? next + boundary + 1 : end;
  }
  return chunks.filter((chunk) => chunk.text !== '').map((chunk) => closedFences(text, chunk));
}

/** The fence open at `offset` of `text`, after the lines that end by it; null outside code. */
function openFenceAt(text: string, offset: number): TFence | null {
  let open: TFence | null = null;
  let lineStart = 0;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (end > offset) break;
    open = fencedLine(text.slice(lineStart, end), open).openAfter;
    lineStart = end + 1;
  }
  return open;
}

/**
 * A piece of a long text with its code blocks closed: a piece cut inside a fence (a code block indented in a long
 * list item) gets the closing fence, and a piece that starts inside one opens with the same fence, indent and
 * language. Quoted alone, a piece never reads code as prose, nor prose as code.
 */
function closedFences(text: string, chunk: { text: string; start: number; end: number }): string {
  const before = openFenceAt(text, chunk.start);
  const after = openFenceAt(text, chunk.end);
  return `${before ? `${before.indent}${before.marker}${before.info}\n` : ''}${chunk.text}${after ? `\n${after.indent}${after.marker}` : ''}`;
}

type TAnyNode = RootContent | Root;

function collectBlocks(node: TAnyNode, blocks: TBlock[], listDepth = 0): void {
  const push = (text: string) => {
    const trimmed = text.trim();
    if (trimmed !== '') blocks.push({ kind: 'text', text: trimmed });
  };
  switch (node.type) {
    case 'root':
    case 'blockquote':
      collectChildren(node.children, blocks, listDepth);
      return;
    case 'heading':
      blocks.push({ kind: 'heading', node });
      return;
    case 'yaml':
    case 'mdxjsEsm':
    case 'html':
    case 'definition':
    case 'thematicBreak':
    case 'footnoteDefinition':
      return;
    case 'code':
      push(codeFence(node.value, node.lang ?? ''));
      return;
    case 'table':
      push(tableText(node));
      return;
    case 'list':
      push(listText(node));
      return;
    case 'mdxFlowExpression': {
      const code = expressionCode(node.data?.estree as TEstreeNode | undefined);
      if (code) push(codeFence(code, 'jsx'));
      return;
    }
    case 'mdxJsxFlowElement': {
      const table = isJsxTable(node) ? jsxTableText(node) : JSX_LIST.test(node.name ?? '') ? jsxListText(node) : '';
      if (table) push(table);
      else collectJsx(node, blocks, listDepth);
      return;
    }
    case 'paragraph':
      push(inlineText(node.children));
      return;
    default:
      if ('children' in node) push(inlineText(node.children as PhrasingContent[]));
  }
}

function collectJsx(node: MdxJsxFlowElement, blocks: TBlock[], listDepth: number): void {
  const language = stringAttribute(node, 'language') ?? 'jsx';
  // A tab (Docusaurus `<TabItem label="npm">`, Nextra `<Tabs.Tab>`) is introduced by its label, as readers see it.
  const tabLabel = /^(TabItem|Tab|Tabs\.Tab)$/.test(node.name ?? '') ? (stringAttribute(node, 'label') ?? stringAttribute(node, 'value')) : undefined;
  if (tabLabel) blocks.push({ kind: 'text', text: `**${tabLabel}**` });
  for (const text of proseAttributes(node)) blocks.push({ kind: 'text', text });
  collectChildren(node.children as RootContent[], blocks, listDepth, language);
}

// HTML phrasing elements, as JSX. With any component given an href (a link), they read inline wherever MDX puts them.
const INLINE_JSX = /^(a|abbr|b|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)$/;

/** A JSX element on a line of its own that is still part of the sentence around it: a link, `<strong>`… */
function isInlineJsx(node: RootContent): boolean {
  if (node.type !== 'mdxJsxFlowElement' || node.children.length > 1 || node.children.some((child) => child.type !== 'paragraph')) return false;
  return INLINE_JSX.test(node.name ?? '') || node.attributes.some((item) => item.type === 'mdxJsxAttribute' && item.name === 'href');
}

/**
 * Block children, in order. MDX makes a paragraph of each line of text between JSX tags, so `post{' '}` /
 * `<Anchor href=…>a GitHub Discussion</Anchor>` / `.` arrive as three blocks; an inline element is joined with the
 * text on either side of it, into the one sentence the page shows.
 */
function collectChildren(children: RootContent[], blocks: TBlock[], listDepth: number, language = 'jsx'): void {
  let sentence: string | null = null;
  let isLastInline = false;
  const flush = () => {
    const text = sentence?.trim() ?? '';
    if (text !== '') blocks.push({ kind: 'text', text });
    sentence = null;
  };
  for (const child of children) {
    const isInline = isInlineJsx(child);
    if (child.type === 'paragraph' || isInline) {
      const paragraph = child.type === 'paragraph' ? child : (child as MdxJsxFlowElement).children[0];
      const text = paragraph?.type === 'paragraph' ? inlineText(paragraph.children) : '';
      if (sentence !== null && (isLastInline || isInline)) sentence = joinInline(sentence, text);
      else {
        flush();
        sentence = text;
      }
      isLastInline = isInline;
      continue;
    }
    flush();
    if (child.type === 'mdxFlowExpression') {
      const code = expressionCode(child.data?.estree as TEstreeNode | undefined);
      if (code) blocks.push({ kind: 'text', text: codeFence(code, language) });
      continue;
    }
    collectBlocks(child, blocks, listDepth);
  }
  flush();
}

/** Two pieces of one sentence: one space between them, none before closing punctuation. */
function joinInline(left: string, right: string): string {
  const start = right.replace(/^\s+/, '');
  if (start === '') return left;
  return `${left.replace(/\s+$/, '')}${/^[.,;:!?)\]}”’]/.test(start) ? '' : ' '}${start}`;
}

const JSX_LIST = /^(ul|ol|UnorderedList|OrderedList)$/;
const JSX_LIST_ITEM = /^(li|ListItem)$/;

/** A JSX list (`<UnorderedList><ListItem>…`, `<ol><li>…`) as a markdown list; '' when it has no items. */
function jsxListText(node: MdxJsxFlowElement): string {
  const isOrdered = /^(ol|OrderedList)$/.test(node.name ?? '');
  const items: string[] = [];
  const visit = (child: RootContent | PhrasingContent) => {
    if ((child.type === 'mdxJsxFlowElement' || child.type === 'mdxJsxTextElement') && JSX_LIST_ITEM.test(child.name ?? '')) {
      const nested: TBlock[] = [];
      if (child.type === 'mdxJsxTextElement') nested.push({ kind: 'text', text: inlineText(child.children) });
      else collectChildren(child.children as RootContent[], nested, 0);
      const marker = isOrdered ? `${items.length + 1}. ` : '- ';
      const under = ' '.repeat(marker.length);
      // Each block under the item's text; a paragraph's wrapped source lines read as one line.
      const lines = nested.flatMap((block) => {
        const text = block.kind === 'text' ? block.text : headingText(block.node);
        return /^(```|\||[-*+] |\d+[.)] )/.test(text) ? text.split('\n') : [text.replace(/\s*\n\s*/g, ' ')];
      });
      items.push(lines.map((line, index) => (index === 0 ? `${marker}${line}` : line === '' ? '' : `${under}${line}`)).join('\n'));
      return;
    }
    if ('children' in child) for (const grandchild of child.children as (RootContent | PhrasingContent)[]) visit(grandchild);
  };
  for (const child of node.children) visit(child as RootContent);
  return items.join('\n');
}

/**
 * A JSX table as a markdown table; a cell's blocks (a flow `<Td>`) are joined into one line. '' for a table with
 * no header row: that is layout (a browser's name and a list of its quirks beside a screenshot), read as blocks.
 */
function jsxTableText(node: MdxJsxFlowElement): string {
  const table = jsxTableRows(node);
  if (!table || table.headerRows === 0) return '';
  const rows = table.rows.map((row) =>
    row.map(({ element }) => {
      if (element.type === 'mdxJsxTextElement') return inlineText(element.children);
      const nested: TBlock[] = [];
      collectChildren(element.children as RootContent[], nested, 0);
      return nested.map((block) => (block.kind === 'text' ? block.text : headingText(block.node))).join(' ');
    }),
  );
  return markdownTable(rows, table.headerRows);
}

export function stringAttribute(node: MdxJsxFlowElement | MdxJsxTextElement, name: string): string | undefined {
  const attribute = node.attributes.find((item): item is MdxJsxAttribute => item.type === 'mdxJsxAttribute' && item.name === name);
  return typeof attribute?.value === 'string' ? attribute.value : undefined;
}

// An HTML element's attributes are settings, not prose ("allow", "sandbox" and "style" of an embedded iframe
// read as word lists), except the text a reader is shown in place of the element.
const HTML_PROSE_ATTRIBUTES = new Set(['alt', 'title', 'aria-label']);

/**
 * String props that read as prose (three words or more), such as the `body` of a Do/Don't card. An HTML
 * element (a lower-case name: iframe, img…) gives only its alt, title and aria-label.
 */
export function proseAttributes(node: MdxJsxFlowElement | MdxJsxTextElement): string[] {
  const isHtml = /^[a-z]/.test(node.name ?? '');
  return node.attributes
    .filter((item): item is MdxJsxAttribute => item.type === 'mdxJsxAttribute' && typeof item.value === 'string')
    .filter((item) => !isHtml || HTML_PROSE_ATTRIBUTES.has(item.name))
    .map((item) => (item.value as string).trim())
    .filter((value) => value.split(/\s+/).length >= 3 && !/^[\w-]+\/|^https?:|^\.{0,2}\//.test(value));
}

function codeFence(code: string, language: string): string {
  return `\`\`\`${language}\n${code.replace(/\n+$/, '')}\n\`\`\``;
}

function listText(list: List, indent = ''): string {
  return list.children
    .map((item, index) => {
      const marker = list.ordered ? `${(list.start ?? 1) + index}. ` : '- ';
      const lines: string[] = [];
      // Every line of a block in the item is indented under the item's text: a code fence whose body fell back to
      // the margin would end the list and leave the fence open in whatever quotes the section.
      // Under the item's text means under its first character: two columns after "- ", three after "1. ".
      const under = `${indent}${' '.repeat(marker.length)}`;
      const pushIndented = (text: string) => {
        const first = lines.length === 0 ? `${indent}${marker}` : under;
        lines.push(text.split('\n').map((line, index) => (index === 0 ? `${first}${line}` : line === '' ? '' : `${under}${line}`)).join('\n'));
      };
      for (const child of item.children) {
        if (child.type === 'list') lines.push(listText(child, under));
        else if (child.type === 'paragraph') pushIndented(inlineText(child.children));
        else {
          const nested: TBlock[] = [];
          collectBlocks(child, nested);
          const text = nested.map((block) => (block.kind === 'text' ? block.text : headingText(block.node))).join('\n');
          if (text) pushIndented(text);
        }
      }
      return lines.length > 0 ? lines.join('\n') : `${indent}${marker}`.trimEnd();
    })
    .join('\n');
}

function tableText(table: Table): string {
  return markdownTable(
    table.children.map((row) => row.children.map((cell) => inlineText(cell.children))),
    1,
  );
}

/** Phrasing content as text: inline code keeps its backticks, links keep their text, inline JSX keeps its children. */
export function inlineText(nodes: PhrasingContent[]): string {
  const parts = nodes.map((node): string => {
      switch (node.type) {
        case 'text':
          return node.value;
        case 'inlineCode':
          return `\`${node.value}\``;
        case 'break':
          return '\n';
        case 'image':
          return node.alt ?? '';
        case 'html':
        case 'footnoteReference':
        case 'imageReference':
          return '';
        case 'mdxTextExpression': {
          // `{' '}` is a space the page shows; `{pkg.version}` is computed when the page is built: left out.
          const estree = node.data?.estree as TEstreeNode | undefined;
          return expressionLiteral(estree) ?? expressionCode(estree);
        }
        case 'mdxJsxTextElement':
          return inlineText(node.children);
        default:
          return 'children' in node ? inlineText(node.children as PhrasingContent[]) : '';
      }
    });
  // Where an expression was left out, the spaces on either side of it make one.
  let text = '';
  parts.forEach((part, index) => {
    const isAfterDropped = index > 0 && nodes[index - 1]?.type === 'mdxTextExpression' && parts[index - 1] === '';
    text += isAfterDropped && /\s$/.test(text) ? part.replace(/^[ \t]+/, '') : part;
  });
  return text.replace(/[ \t]+\n/g, '\n');
}

function fallbackTitle(relativePath: string): string {
  const base = relativePath.replace(/\.(md|mdx)$/i, '').split('/').filter((part) => part !== 'index' && part !== '_index').pop() ?? 'Docs';
  return base.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

import type { Heading, List, PhrasingContent, Root, RootContent, Table } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { expressionCode, headingAnchors, headingText, parseMdxTree, type TDocMeta, type TEstreeNode } from './mdx';

// A page → title, description and sections split by heading, each carrying its heading path and anchor.
// Kept: prose, lists, tables, code, code inside JSX examples (`<LivePreview>{`…`}</LivePreview>`) and prose
// passed to components as string props (`<Do body="…" />`). Dropped: imports, exports, front matter, raw
// HTML, expressions that hold no code, and JSX that is only layout (its children are kept).

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
 * found from either side.
 */
export function packChunks(parts: string[], max = MAX_SECTION_CHARS, overlap = SECTION_OVERLAP_CHARS): string[] {
  const pieces = parts.flatMap((part) => (part.length > max ? splitLongText(part, max, overlap) : [part]));
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
  if (overlap <= 0 || text.length <= overlap) return '';
  const from = text.length - overlap;
  const boundary = text.slice(from).search(/\s/);
  return boundary < 0 ? '' : `…${text.slice(from + boundary + 1)}`;
}

/** Splits one long text at paragraph, else line, else word boundaries, each piece overlapping the previous. */
export function splitLongText(text: string, max = MAX_SECTION_CHARS, overlap = SECTION_OVERLAP_CHARS): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length) {
      const window = text.slice(start, end);
      const paragraph = window.lastIndexOf('\n\n');
      const line = window.lastIndexOf('\n');
      const space = window.lastIndexOf(' ');
      const breakAt = paragraph > max / 2 ? paragraph : line > max / 2 ? line : space;
      if (breakAt > max / 2) end = start + breakAt;
    }
    chunks.push(text.slice(start, end).trim());
    if (end >= text.length) break;
    // The next piece starts `overlap` characters back, at a word boundary.
    const next = Math.max(end - overlap, start + 1);
    const boundary = text.slice(next, end).search(/\s/);
    start = boundary >= 0 ? next + boundary + 1 : end;
  }
  return chunks.filter((chunk) => chunk !== '');
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
      for (const child of node.children) collectBlocks(child, blocks, listDepth);
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
    case 'mdxJsxFlowElement':
      collectJsx(node, blocks, listDepth);
      return;
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
  for (const child of node.children) {
    if (child.type === 'mdxFlowExpression') {
      const code = expressionCode(child.data?.estree as TEstreeNode | undefined);
      if (code) blocks.push({ kind: 'text', text: codeFence(code, language) });
      continue;
    }
    collectBlocks(child as RootContent, blocks, listDepth);
  }
}

export function stringAttribute(node: MdxJsxFlowElement | MdxJsxTextElement, name: string): string | undefined {
  const attribute = node.attributes.find((item): item is MdxJsxAttribute => item.type === 'mdxJsxAttribute' && item.name === name);
  return typeof attribute?.value === 'string' ? attribute.value : undefined;
}

/** String props that read as prose (three words or more), such as the `body` of a Do/Don't card. */
export function proseAttributes(node: MdxJsxFlowElement | MdxJsxTextElement): string[] {
  return node.attributes
    .filter((item): item is MdxJsxAttribute => item.type === 'mdxJsxAttribute' && typeof item.value === 'string')
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
      for (const child of item.children) {
        if (child.type === 'list') lines.push(listText(child, `${indent}  `));
        else if (child.type === 'paragraph') lines.push(`${lines.length === 0 ? `${indent}${marker}` : `${indent}  `}${inlineText(child.children)}`);
        else {
          const nested: TBlock[] = [];
          collectBlocks(child, nested);
          const text = nested.map((block) => (block.kind === 'text' ? block.text : headingText(block.node))).join('\n');
          if (text) lines.push(`${lines.length === 0 ? `${indent}${marker}` : `${indent}  `}${text}`);
        }
      }
      return lines.length > 0 ? lines.join('\n') : `${indent}${marker}`.trimEnd();
    })
    .join('\n');
}

function tableText(table: Table): string {
  return table.children.map((row) => `| ${row.children.map((cell) => inlineText(cell.children).replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

/** Phrasing content as text: inline code keeps its backticks, links keep their text, inline JSX keeps its children. */
export function inlineText(nodes: PhrasingContent[]): string {
  return nodes
    .map((node): string => {
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
          const code = expressionCode(node.data?.estree as TEstreeNode | undefined);
          return code;
        }
        case 'mdxJsxTextElement':
          return inlineText(node.children);
        default:
          return 'children' in node ? inlineText(node.children as PhrasingContent[]) : '';
      }
    })
    .join('')
    .replace(/[ \t]+\n/g, '\n');
}

function fallbackTitle(relativePath: string): string {
  const base = relativePath.replace(/\.(md|mdx)$/i, '').split('/').filter((part) => part !== 'index').pop() ?? 'Docs';
  return base.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

import GithubSlugger from 'github-slugger';
import type { Heading, Root, RootContent, Table } from 'mdast';
import type {} from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import YAML from 'yaml';

// MD/MDX → title, description and sections split by heading, with the mdast toolchain (no regex over MDX).
// Kept: prose, lists, tables, code, and code inside JSX examples (`<LivePreview>{`…`}</LivePreview>`).
// Dropped: imports, exports, front matter, raw HTML, and JSX that is only layout (its text children are kept).

export type TDocSection = {
  heading: string;
  headingPath: string[];
  anchor: string;
  content: string;
};

export type TParsedDoc = { title: string; description: string; sections: TDocSection[] };

export const MAX_SECTION_CHARS = 2000;
const SECTION_OVERLAP_CHARS = 200;

type TEstreeNode = { type: string; [key: string]: unknown };
type TNode = RootContent | Root;

export function parseMarkdown(source: string, { isMdx }: { isMdx: boolean }): Root {
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);
  if (isMdx) processor.use(remarkMdx);
  return processor.parse(source) as Root;
}

/** Throws (with the parser's message and position) when the file is not valid MD/MDX. */
export function parseDoc({ source, path }: { source: string; path: string }): TParsedDoc {
  const tree = parseMarkdown(source, { isMdx: /\.mdx$/i.test(path) });
  const meta = { ...readFrontMatter(tree), ...readMetaExport(tree) };

  const slugger = new GithubSlugger();
  const blocks: ({ kind: 'heading'; depth: number; text: string } | { kind: 'text'; text: string })[] = [];
  collectBlocks(tree, blocks);

  const firstH1 = blocks.find((block) => block.kind === 'heading' && block.depth === 1);
  const title = meta.title ?? (firstH1 ? firstH1.text : fallbackTitle(path));

  const sections: TDocSection[] = [];
  const stack: { depth: number; text: string }[] = [];
  let current: { heading: string; headingPath: string[]; anchor: string; parts: string[] } = {
    heading: '',
    headingPath: [],
    anchor: '',
    parts: [],
  };
  const flush = () => {
    const content = current.parts.join('\n\n').trim();
    if (content !== '') {
      for (const chunk of splitLongText(content)) {
        sections.push({ heading: current.heading, headingPath: current.headingPath, anchor: current.anchor, content: chunk });
      }
    }
  };
  for (const block of blocks) {
    if (block.kind === 'text') {
      current.parts.push(block.text);
      continue;
    }
    // The page's own H1 is its title, not a section of its own.
    if (block.depth === 1 && block === firstH1) continue;
    flush();
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= block.depth) stack.pop();
    stack.push({ depth: block.depth, text: block.text });
    current = { heading: block.text, headingPath: stack.map((entry) => entry.text), anchor: slugger.slug(block.text), parts: [] };
  }
  flush();

  return { title, description: meta.description ?? '', sections };
}

function collectBlocks(
  node: TNode,
  blocks: ({ kind: 'heading'; depth: number; text: string } | { kind: 'text'; text: string })[],
): void {
  const push = (text: string) => {
    const trimmed = text.trim();
    if (trimmed !== '') blocks.push({ kind: 'text', text: trimmed });
  };
  switch (node.type) {
    case 'root':
      for (const child of node.children) collectBlocks(child, blocks);
      return;
    case 'heading':
      blocks.push({ kind: 'heading', depth: (node as Heading).depth, text: toString(node).trim() });
      return;
    case 'yaml':
    case 'mdxjsEsm':
    case 'html':
    case 'definition':
    case 'thematicBreak':
      return;
    case 'code':
      push(node.value);
      return;
    case 'table':
      push(tableText(node));
      return;
    case 'list':
      push(node.children.map((item) => `- ${blockText(item).replace(/\n+/g, ' ')}`).join('\n'));
      return;
    case 'mdxFlowExpression':
      push(expressionText(node.data?.estree as TEstreeNode | undefined));
      return;
    case 'mdxJsxFlowElement':
    case 'blockquote':
      // Layout and example components: their children may hold prose, headings and code.
      for (const child of node.children) collectBlocks(child as RootContent, blocks);
      return;
    default:
      push(blockText(node));
  }
}

/** Text of a phrasing or nested node, with inline code kept and JSX expressions read for code strings. */
function blockText(node: TNode): string {
  if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
    return expressionText(node.data?.estree as TEstreeNode | undefined);
  }
  if (node.type === 'mdxjsEsm' || node.type === 'html' || node.type === 'yaml') return '';
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) {
    const separator = node.type === 'listItem' || node.type === 'mdxJsxFlowElement' ? '\n' : '';
    return (node.children as TNode[]).map(blockText).join(separator);
  }
  return '';
}

function tableText(table: Table): string {
  return table.children.map((row) => row.children.map((cell) => toString(cell).trim()).join(' | ')).join('\n');
}

/** The strings and template literals in a JSX expression: code examples passed as children. */
function expressionText(estree: TEstreeNode | undefined): string {
  if (!estree) return '';
  const parts: string[] = [];
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const node = value as TEstreeNode;
    if (node.type === 'TemplateLiteral') {
      const quasis = node.quasis as { value: { cooked?: string; raw: string } }[];
      parts.push(quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join(''));
      return;
    }
    if (node.type === 'Literal' && typeof node.value === 'string' && node.value.length > 20) {
      parts.push(node.value);
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'loc' && key !== 'range' && key !== 'parent') visit(child);
    }
  };
  visit(estree);
  return parts.join('\n').trim();
}

function readFrontMatter(tree: Root): { title?: string; description?: string } {
  const yamlNode = tree.children.find((child) => child.type === 'yaml');
  if (!yamlNode || yamlNode.type !== 'yaml') return {};
  try {
    return pickMeta(YAML.parse(yamlNode.value));
  } catch {
    return {};
  }
}

/** `export const meta = {title: '…', description: '…'}`, read from the ESM syntax tree remark-mdx builds. */
function readMetaExport(tree: Root): { title?: string; description?: string } {
  for (const child of tree.children) {
    if (child.type !== 'mdxjsEsm') continue;
    const program = child.data?.estree as { body?: TEstreeNode[] } | undefined;
    for (const statement of program?.body ?? []) {
      if (statement.type !== 'ExportNamedDeclaration') continue;
      const declaration = statement.declaration as { declarations?: { id: { name?: string }; init?: TEstreeNode }[] } | null;
      for (const declarator of declaration?.declarations ?? []) {
        if (declarator.id.name !== 'meta' || declarator.init?.type !== 'ObjectExpression') continue;
        const entries: Record<string, unknown> = {};
        for (const property of (declarator.init.properties as TEstreeNode[]) ?? []) {
          const key = property.key as { name?: string; value?: unknown } | undefined;
          const value = property.value as TEstreeNode | undefined;
          const name = key?.name ?? (typeof key?.value === 'string' ? key.value : undefined);
          if (!name || !value) continue;
          if (value.type === 'Literal') entries[name] = value.value;
          else if (value.type === 'TemplateLiteral') entries[name] = expressionText(value);
        }
        return pickMeta(entries);
      }
    }
  }
  return {};
}

function pickMeta(value: unknown): { title?: string; description?: string } {
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const meta: { title?: string; description?: string } = {};
  if (typeof record.title === 'string' && record.title.trim() !== '') meta.title = record.title.trim();
  if (typeof record.description === 'string') meta.description = record.description.trim();
  return meta;
}

function fallbackTitle(relativePath: string): string {
  const base = relativePath.replace(/\.(md|mdx)$/i, '').split('/').filter((part) => part !== 'index').pop() ?? 'Docs';
  return base.replace(/[-_]+/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

/** Splits text longer than MAX_SECTION_CHARS at paragraph (else line, else word) boundaries, with a little overlap. */
export function splitLongText(text: string, max = MAX_SECTION_CHARS, overlap = SECTION_OVERLAP_CHARS): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length) {
      const window = text.slice(start, end);
      const breakAt = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' '));
      if (breakAt > max / 2) end = start + breakAt;
    }
    chunks.push(text.slice(start, end).trim());
    if (end >= text.length) break;
    const next = end - overlap;
    const space = text.indexOf(' ', next);
    start = space !== -1 && space < end ? space + 1 : next;
  }
  return chunks.filter((chunk) => chunk !== '');
}

import { brandError } from '../../error-brands';
import GithubSlugger from 'github-slugger';
import type { Heading, Root } from 'mdast';
import type {} from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import YAML from 'yaml';
import { EXPLICIT_HEADING_ID, normaliseFlavours } from './flavours';

// MD/MDX source → mdast, with the remark toolchain. MDX is strict where real docs are not: a stray `<em>`,
// an arrow written `<--`, an import repeated halfway down a page. Rather than drop such a page, the parse is
// retried after neutralising exactly the construct the parser pointed at (a `<` or `{` becomes literal text,
// a broken import/export block is left out), and each repair is reported as a warning. A page whose errors
// cannot be repaired this way still fails, with the parser's message and position.

export type TEstreeNode = { type: string; [key: string]: unknown };
/** `status: 'draft'` and `hidden: true` keep a page out of the navigation; `date` orders dated pages (posts). */
/** `slug` and `id` (Docusaurus) say where the page is published, with DOCS_BASE_URL (lib/docs/folder/published.ts). */
export type TDocMeta = {
  title?: string;
  description?: string;
  section?: string;
  order?: number;
  status?: string;
  hidden?: boolean;
  date?: string;
  slug?: string;
  id?: string;
  /** Front matter `audience:` (a name or a list): who may read the page (lib/audiences), as written; absent: public. */
  audience?: string[];
};
export type TParsedTree = { tree: Root; meta: TDocMeta; warnings: string[] };

const MAX_REPAIRS = 25;

export class DocParseError extends Error {
  override name = 'DocParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brandError(this, 'DocParseError');
  }
}

export function isMdxPath(path: string): boolean {
  return /\.mdx$/i.test(path);
}

// Built once: configuring a processor costs more than parsing a typical page.
const markdownProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
const mdxProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkMdx).freeze();

function parseOnce(source: string, isMdx: boolean): Root {
  return (isMdx ? mdxProcessor : markdownProcessor).parse(source) as Root;
}

type TVFileMessage = Error & {
  reason?: string;
  source?: string;
  ruleId?: string;
  line?: number;
  column?: number;
  place?: { offset?: number; line?: number; start?: { offset?: number; line?: number } };
};

function describe(error: TVFileMessage): string {
  const reason = error.reason ?? error.message;
  return error.line ? `${reason} (line ${error.line}:${error.column ?? 1})` : reason;
}

export function parseMdxTree({ source, path }: { source: string; path: string }): TParsedTree {
  const isMdx = isMdxPath(path);
  // Docusaurus/VitePress/MkDocs containers, tabs and heading ids, rewritten to what remark reads (flavours.ts).
  let text = normaliseFlavours(source);
  const warnings: string[] = [];
  // Lines of import/export blocks that failed to parse: re-parsed as text, then left out of the tree.
  const droppedLines = new Set<number>();
  for (let attempt = 0; ; attempt += 1) {
    try {
      const tree = parseOnce(text, isMdx);
      if (droppedLines.size > 0) {
        tree.children = tree.children.filter((child) => !droppedLines.has(child.position?.start.line ?? -1));
      }
      takeExplicitHeadingIds(tree);
      return { tree, meta: { ...readFrontMatter(tree), ...readMetaExport(tree) }, warnings };
    } catch (error) {
      const message = error as TVFileMessage;
      if (!isMdx || attempt >= MAX_REPAIRS) throw new DocParseError(describe(message), { cause: error });
      const repaired = repair(text, message, droppedLines);
      if (repaired === null) throw new DocParseError(describe(message), { cause: error });
      warnings.push(`${describe(message)}: ${repaired.action}`);
      text = repaired.text;
    }
  }
}

function repair(text: string, error: TVFileMessage, droppedLines: Set<number>): { text: string; action: string } | null {
  const place = error.place;
  const offset = place?.start?.offset ?? place?.offset;
  if (offset === undefined) return null;
  const source = error.source ?? '';

  if (source === 'micromark-extension-mdxjs-esm') {
    // The block starts at the last line beginning with import/export at or before the error.
    let lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
    while (lineStart > 0 && !/^(import|export) /.test(text.slice(lineStart, lineStart + 7))) {
      lineStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    }
    if (!/^(import|export) /.test(text.slice(lineStart, lineStart + 7))) return null;
    // Indented by one space it is no longer ESM (ESM must start a line); its paragraph is dropped after parsing.
    const line = text.slice(0, lineStart).split('\n').length;
    droppedLines.add(line);
    return { text: `${text.slice(0, lineStart)} ${text.slice(lineStart)}`, action: 'import/export block left out' };
  }

  const isExpression = source === 'micromark-extension-mdx-expression' || (error.ruleId ?? '').includes('acorn');
  const opener = isExpression ? '{' : '<';
  // The error points at the construct or just inside it: escape the nearest opener on that line, before it
  // if there is one, else after it.
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lineEndIndex = text.indexOf('\n', offset);
  const lineEnd = lineEndIndex < 0 ? text.length : lineEndIndex;
  let at = text.lastIndexOf(opener, offset);
  if (at < lineStart) at = text.indexOf(opener, offset);
  if (at < lineStart || at >= lineEnd) return null;
  return { text: `${text.slice(0, at)}\\${text.slice(at)}`, action: `\`${opener}\` kept as text` };
}

function readFrontMatter(tree: Root): TDocMeta {
  const yamlNode = tree.children.find((child) => child.type === 'yaml');
  if (!yamlNode || yamlNode.type !== 'yaml') return {};
  try {
    return pickMeta(YAML.parse(yamlNode.value));
  } catch {
    return {};
  }
}

/** `export const meta = {title: '…', description: '…'}`, read from the ESM syntax tree remark-mdx builds. */
function readMetaExport(tree: Root): TDocMeta {
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
          else if (value.type === 'TemplateLiteral') entries[name] = templateText(value);
        }
        return pickMeta(entries);
      }
    }
  }
  return {};
}

function pickMeta(value: unknown): TDocMeta {
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const meta: TDocMeta = {};
  if (typeof record.title === 'string' && record.title.trim() !== '') meta.title = record.title.trim();
  if (typeof record.description === 'string') meta.description = record.description.trim();
  if (typeof record.section === 'string' && record.section.trim() !== '') meta.section = record.section.trim();
  if (typeof record.order === 'number' && Number.isFinite(record.order)) meta.order = record.order;
  else if (typeof record.sidebar_position === 'number' && Number.isFinite(record.sidebar_position)) meta.order = record.sidebar_position;
  if (typeof record.status === 'string') meta.status = record.status.trim();
  if (record.hidden === true) meta.hidden = true;
  if (typeof record.slug === 'string' && record.slug.trim() !== '') meta.slug = record.slug.trim();
  if (typeof record.id === 'string' && /^[\w.-]+$/.test(record.id.trim())) meta.id = record.id.trim();
  if (typeof record.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(record.date)) meta.date = record.date.slice(0, 10);
  else if (record.date instanceof Date && !Number.isNaN(record.date.getTime())) meta.date = record.date.toISOString().slice(0, 10);
  const audience = typeof record.audience === 'string' ? [record.audience] : Array.isArray(record.audience) ? record.audience : [];
  const audienceNames = audience.filter((name): name is string => typeof name === 'string' && name.trim() !== '').map((name) => name.trim());
  if (audienceNames.length > 0) meta.audience = audienceNames;
  return meta;
}

export function templateText(node: TEstreeNode): string {
  const quasis = (node.quasis as { value: { cooked?: string | null; raw: string } }[]) ?? [];
  return quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join('');
}

/**
 * Code passed to a JSX example as its child expression: `<LivePreview>{`…`}</LivePreview>`. Returns the
 * template literals and long string literals of the expression, or '' when it holds none (a comment, a prop).
 */
export function expressionCode(estree: TEstreeNode | undefined): string {
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
      parts.push(templateText(node));
      return;
    }
    if (node.type === 'Literal' && typeof node.value === 'string' && node.value.length > 20) {
      parts.push(node.value);
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'loc' && key !== 'range' && key !== 'parent' && key !== 'comments') visit(child);
    }
  };
  visit(estree);
  return parts.join('\n').trim();
}

/**
 * The text an expression stands for when it is one string literal: `{' '}` (the space JSX needs between a word
 * and a link on the next line), `{'<'}`, `{`a b`}`. Undefined for anything that needs the page's code to run.
 */
export function expressionLiteral(estree: TEstreeNode | undefined): string | undefined {
  const body = (estree?.body as TEstreeNode[] | undefined) ?? [];
  const statement = body.length === 1 ? body[0] : undefined;
  const expression = statement?.type === 'ExpressionStatement' ? (statement.expression as TEstreeNode | undefined) : undefined;
  if (expression?.type === 'Literal' && typeof expression.value === 'string') return expression.value;
  if (expression?.type === 'TemplateLiteral' && ((expression.expressions as unknown[] | undefined) ?? []).length === 0) return templateText(expression);
  return undefined;
}

export function headingText(node: Heading): string {
  return toString(node).replace(/\s+/g, ' ').trim();
}

/**
 * The anchor of every heading of a page, in document order, as GitHub (and github-slugger) makes them: the
 * indexer's section anchors and the rendered heading ids both come from here, so links land on the heading.
 */
export function headingAnchors(tree: Root): Map<Heading, string> {
  const slugger = new GithubSlugger();
  const anchors = new Map<Heading, string>();
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'heading') {
      const explicit = explicitHeadingId(node as Heading);
      anchors.set(node as Heading, typeof explicit === 'string' ? explicit : slugger.slug(headingText(node as Heading)));
      return;
    }
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) visit(child);
  };
  visit(tree);
  return anchors;
}

/**
 * `## Heading {#custom-id}` (Docusaurus, VitePress, MkDocs): the id is the heading's anchor, as those sites
 * publish it, and leaves the heading's text. Kept on the node as `data.hProperties.id` (mdast's convention).
 */
function takeExplicitHeadingIds(tree: Root): void {
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'heading') {
      const heading = node as Heading;
      const last = heading.children[heading.children.length - 1];
      const match = last?.type === 'text' ? EXPLICIT_HEADING_ID.exec(last.value) : null;
      if (last?.type === 'text' && match) {
        last.value = last.value.slice(0, match.index);
        setExplicitHeadingId(heading, match[1] ?? '');
      }
      return;
    }
    for (const child of (node.children ?? []) as { type: string; children?: unknown[] }[]) visit(child);
  };
  visit(tree);
}

type THeadingIdData = { hProperties?: { id?: unknown } };

/** The heading's own id (`data.hProperties.id`: a `{#id}` in its source, or the id a crawled page gave it). */
export function explicitHeadingId(heading: Heading): string | undefined {
  const id = (heading.data as THeadingIdData | undefined)?.hProperties?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export function setExplicitHeadingId(heading: Heading, id: string): void {
  const data = (heading.data ?? {}) as THeadingIdData;
  heading.data = { ...data, hProperties: { ...data.hProperties, id } } as Heading['data'];
}

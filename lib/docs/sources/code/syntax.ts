import type { Node } from 'web-tree-sitter';
import { MAX_DEFAULT_CHARS, MAX_DEFAULTS, MAX_IDENTIFIERS, MAX_SIGNATURE_CHARS, type TCodeSymbol, type TCodeSymbolKind } from './symbols';

// What the Python, Go and Rust readers (./python.ts, ./go.ts, ./rust.ts) share: a tree-sitter node's lines, the
// comments right above it, its signature up to its body, its identifiers and a symbol made of them, bounded as the
// TypeScript reader bounds its own (./symbols.ts). Pure.

/** 1-based first line of a node. */
export const firstLine = (node: Node) => node.startPosition.row + 1;

/** 1-based last line of a node (a node ending at a line's start ends on the line before). */
export function lastLine(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}

/**
 * The comments right above a node (no blank line between them or between the last and the node), skipping the
 * `skip` node types between (Rust's attributes), with their markers stripped by `strip`; null when there are none.
 */
export function commentsAbove(node: Node, commentTypes: readonly string[], strip: (comment: string) => string, skip: readonly string[] = []): { line: number; text: string } | null {
  const comments: Node[] = [];
  let below = node;
  for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) {
    const isAdjacent = lastLine(sibling) >= firstLine(below) - 1;
    if (!isAdjacent) break;
    if (commentTypes.includes(sibling.type)) comments.unshift(sibling);
    else if (!skip.includes(sibling.type)) break;
    below = sibling;
  }
  if (comments.length === 0) return null;
  const text = comments
    .map((comment) => strip(comment.text))
    .join('\n')
    .trim();
  return { line: firstLine(comments[0]!), text };
}

/** `// x`, `/// x`, `//! x`, `# x`, `/* x *\/` → `x`, line by line. */
export function stripCommentMarkers(comment: string): string {
  return comment
    .replace(/^\/\*+|\*+\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(\/\/[/!]?|#|\*)\s?/, '').trimEnd())
    .join('\n');
}

/** A declaration up to its body (`fn f(x: u8) -> u8 { … }`), on one line, bounded; all of it when it has none. */
export function signatureOf(source: string, node: Node, body: Node | null, bodyMark: string): string {
  const end = body ? body.startIndex : node.endIndex;
  let signature = source.slice(node.startIndex, end).replace(/\s+/g, ' ').trim();
  if (body) signature = `${signature} ${bodyMark}`;
  return signature.length > MAX_SIGNATURE_CHARS ? `${signature.slice(0, MAX_SIGNATURE_CHARS)}…` : signature;
}

/** A value as a default says it: on one line, bounded. */
export function shortValue(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DEFAULT_CHARS ? `${flat.slice(0, MAX_DEFAULT_CHARS)}…` : flat;
}

const IDENTIFIER_TYPES = ['identifier', 'type_identifier', 'field_identifier', 'package_identifier'];

/** The identifiers between two lines of a node (all of it by default), each once, in order, bounded. */
export function identifiersIn(node: Node, fromLine?: number, toLine?: number): string[] {
  const start = fromLine === undefined ? undefined : { row: fromLine - 1, column: 0 };
  const end = toLine === undefined ? undefined : { row: toLine, column: 0 };
  const seen = new Set<string>();
  for (const identifier of node.descendantsOfType(IDENTIFIER_TYPES, start, end)) {
    seen.add(identifier.text);
    if (seen.size >= MAX_IDENTIFIERS) break;
  }
  return [...seen];
}

export type TSymbolParts = {
  name: string;
  kind: TCodeSymbolKind;
  /** The node its lines are (decorators and attributes included), and the line its doc comment starts on, if above. */
  node: Node;
  docLine?: number;
  /** Where it ends when that is before the node's end (a class's or impl's header, its methods apart). */
  endLine?: number;
  doc: string;
  signature: string;
  isExported: boolean;
  defaults?: string[];
};

export function symbolOf(parts: TSymbolParts): TCodeSymbol {
  const startLine = Math.min(parts.docLine ?? Infinity, firstLine(parts.node));
  const endLine = parts.endLine ?? lastLine(parts.node);
  return {
    name: parts.name,
    kind: parts.kind,
    startLine,
    endLine,
    doc: parts.doc,
    signature: parts.signature,
    isExported: parts.isExported,
    defaults: (parts.defaults ?? []).slice(0, MAX_DEFAULTS),
    identifiers: identifiersIn(parts.node, firstLine(parts.node), endLine),
  };
}

/** One symbol for a file's imports, from its first import to its last; null when it has none. */
export function importsSymbol(imports: Node[]): TCodeSymbol | null {
  const first = imports[0];
  const last = imports[imports.length - 1];
  if (!first || !last) return null;
  return {
    name: 'imports',
    kind: 'imports',
    startLine: firstLine(first),
    endLine: lastLine(last),
    doc: '',
    signature: '',
    isExported: false,
    defaults: [],
    identifiers: imports.flatMap((node) => identifiersIn(node)).slice(0, MAX_IDENTIFIERS),
  };
}

/** The last line before `line` that is not blank, at least `floor` (a header's end, its members apart). */
export function lastLineBefore(lines: readonly string[], line: number, floor: number): number {
  let end = line - 1;
  while (end > floor && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return Math.max(end, floor);
}

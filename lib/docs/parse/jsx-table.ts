import type { Nodes } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';

// A table written as JSX components (`<Table><THead><Tr><Th>…</Th></Tr></THead><TBody><Tr><Td>…`), as design
// systems write them in MDX, or as HTML-named JSX (`<table><tr><td>`) → its rows of cells, so the section text
// can carry it as the markdown table a reader saw rather than one paragraph per cell. Cells are read from the
// tree by name, whichever way MDX parsed them (a `<Td>` alone on its line is a flow element; several on one line
// are text elements inside a paragraph).

type TJsxElement = MdxJsxFlowElement | MdxJsxTextElement;
export type TJsxTableCell = { element: TJsxElement; isHeader: boolean };
export type TJsxTable = { rows: TJsxTableCell[][]; headerRows: number };

const TABLE = /^table$/i;
const ROW = /^tr$/i;
const CELL = /^t[hd]$/i;
const HEAD = /^thead$/i;

function isJsxElement(node: Nodes): node is TJsxElement {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

export function isJsxTable(node: Nodes): boolean {
  return isJsxElement(node) && TABLE.test(node.name ?? '');
}

/** The table's rows, header rows first (rows in a `<THead>`, or a first row of `<Th>` cells); null when it has none. */
export function jsxTableRows(table: TJsxElement): TJsxTable | null {
  const head: TJsxTableCell[][] = [];
  const body: TJsxTableCell[][] = [];
  const visit = (node: Nodes, isInHead: boolean) => {
    if (isJsxElement(node) && ROW.test(node.name ?? '')) {
      const cells = cellsOf(node);
      if (cells.length > 0) (isInHead ? head : body).push(cells);
      return;
    }
    // A table inside a cell is that cell's content, not rows of this table.
    if (node !== table && isJsxTable(node)) return;
    const isHead = isInHead || (isJsxElement(node) && HEAD.test(node.name ?? ''));
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child, isHead);
  };
  visit(table, false);
  if (head.length === 0 && body.length > 0 && (body[0] as TJsxTableCell[]).every((cell) => cell.isHeader)) head.push(body.shift() as TJsxTableCell[]);
  if (head.length + body.length === 0) return null;
  return { rows: [...head, ...body], headerRows: head.length };
}

function cellsOf(row: TJsxElement): TJsxTableCell[] {
  const cells: TJsxTableCell[] = [];
  const visit = (node: Nodes) => {
    if (isJsxElement(node) && CELL.test(node.name ?? '')) {
      cells.push({ element: node, isHeader: /^th$/i.test(node.name ?? '') });
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  for (const child of row.children as Nodes[]) visit(child);
  return cells;
}

/**
 * Rows of cell texts → a GFM pipe table. Columns whose body cells are all empty are left out: they held values the
 * page computes when it is built (`{pkg.peerDependencies.react}`), which a section's text cannot show, and a
 * column of blanks would read as if the docs gave no value.
 */
export function markdownTable(rows: string[][], headerRows: number): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  const body = rows.slice(Math.min(headerRows, 1));
  const kept = Array.from({ length: width }, (_, index) => index).filter((index) =>
    (body.length > 0 ? body : rows).some((row) => (row[index] ?? '').trim() !== ''),
  );
  if (kept.length === 0) return '';
  const line = (row: string[]) => `| ${kept.map((index) => (row[index] ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim()).join(' | ')} |`;
  const header = headerRows > 0 ? (rows[0] as string[]) : kept.map(() => '');
  const rest = headerRows > 0 ? rows.slice(1) : rows;
  return [line(header), `|${' --- |'.repeat(kept.length)}`, ...rest.map(line)].join('\n');
}

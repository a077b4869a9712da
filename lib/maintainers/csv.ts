// CSV for spreadsheets (RFC 4180), safe to open: a text cell that a spreadsheet would read as a formula (it starts
// with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe, so that a reader's question or a page
// title can never run as one (OWASP's "CSV injection"). Numbers are written as numbers. Hand-written rather than a
// dependency: quoting is these few lines, and the formula rule is one no CSV library applies by default.

export type TCsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: TCsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first one the header) as CSV text, CRLF between records as RFC 4180 has it. */
export function toCsv(rows: readonly (readonly TCsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

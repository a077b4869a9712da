import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// A small docs folder for the ranking store's tests (docs-rank-persisted, docs-rank-overlay): five pages whose words
// overlap (button, webhook, invoices, colors) so that a change to one page moves what the others rank for.

/** Writes `source` at `relativePath` in `docsDir`, creating its folders. */
export function writeDocsFile(docsDir: string, relativePath: string, source: string): void {
  mkdirSync(path.dirname(path.join(docsDir, relativePath)), { recursive: true });
  writeFileSync(path.join(docsDir, relativePath), source);
}

/** writeDocsFile, its file dated a minute back: long enough before any read that its stat can be trusted (not racy). */
export function writeSettledDocsFile(docsDir: string, relativePath: string, source: string): void {
  writeDocsFile(docsDir, relativePath, source);
  const at = new Date(Date.now() - 60_000);
  utimesSync(path.join(docsDir, relativePath), at, at);
}

/** The five pages, written into `docsDir`. */
export function writeSmallDocsFolder(docsDir: string): void {
  writeDocsFile(docsDir, 'webhooks.md', '---\ntitle: Webhooks\n---\n\n## Overview\n\nEvents are delivered as HTTP POST requests to your endpoint.\n');
  writeDocsFile(docsDir, 'billing.md', '---\ntitle: Billing\n---\n\n## Invoices\n\nInvoices are emailed monthly. A webhook can also notify you of new invoices.\n');
  writeDocsFile(
    docsDir,
    'components/button/index.mdx',
    '---\ntitle: Button\ndescription: A clickable element that performs an action.\n---\n\n## Destructive button\n\nUse the destructive variant for actions that delete data.\n\n```jsx\n<Button variant="destructive">Delete</Button>\n```\n\n## Primary button\n\nThe main action of a page.\n',
  );
  writeDocsFile(docsDir, 'components/spinner/index.mdx', '---\ntitle: Spinner\n---\n\n## About\n\nA circular loading indicator shown while content loads.\n');
  writeDocsFile(docsDir, 'theming.md', '---\ntitle: Theming\n---\n\n## Colors\n\nThe primary color is blue; a button uses it for its border and a separate token for its label.\n');
}

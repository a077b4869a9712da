import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// A small checkout for the code kind's tests (issue 70): a public hook whose default is the answer to a question the
// docs never answer, and an internal file whose canary words (wombatron, zorbix) only `staff` may read
// (DOCS_AUDIENCES 'staff=code:widgets/src/internal/**'). The folder is named `widgets`: without DOCS_CODE_REPO nor a
// .git, its files are cited on the site's own source page, /docs/source/widgets/<file>.

export const TOASTER_FILE = 'src/useToaster.ts';
export const INTERNAL_FILE = 'src/internal/pager.ts';
export const CODE_STAFF_RULE = 'staff=code:widgets/src/internal/**';

export const TOASTER_TEXT = [
  "import * as React from 'react';",
  '',
  '/** How long a toast stays up before it leaves on its own, in milliseconds. */',
  'export const DEFAULT_DISMISS_AFTER = 5000;',
  '',
  'export const useToaster = ({ limit = 3, dismissAfter = DEFAULT_DISMISS_AFTER } = {}) => {',
  '  const [toasts, setToasts] = React.useState<string[]>([]);',
  '  const pop = (id: string) => setToasts((current) => current.filter((toast) => toast !== id));',
  '  const push = (id: string) => {',
  '    setToasts((current) => [id, ...current].slice(0, limit));',
  '    window.setTimeout(pop, dismissAfter, id);',
  '  };',
  '  return { toasts, push, pop };',
  '};',
  '',
].join('\n');

const PAGER_TEXT = [
  '/** Pages the wombatron rotation through the zorbix pager. */',
  'export function pageWombatron(reason: string) {',
  "  return fetch('https://zorbix.invalid/page', { method: 'POST', body: reason });",
  '}',
  '',
].join('\n');

/** A new checkout named `widgets` in a temporary folder; its absolute path. */
export function makeCodeCheckout(): string {
  const dir = path.join(makeTempDir('code-checkout-'), 'widgets');
  mkdirSync(path.join(dir, 'src/internal'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@acme/widgets' }));
  writeFileSync(path.join(dir, TOASTER_FILE), TOASTER_TEXT);
  writeFileSync(path.join(dir, INTERNAL_FILE), PAGER_TEXT);
  return dir;
}

/** Waits until the app's code source has indexed the checkout (its job reads a new checkout at start, in the background). */
export async function waitForCode(db: TDb, files = 2): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'code' })).length >= files) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the code source did not index the checkout in 30 s');
}

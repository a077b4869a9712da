import { existsSync } from 'node:fs';
import path from 'node:path';

// The real Paste docs (367 MDX pages), read in place from ../shared beside the checkout (CI clones the repo
// with shared/ beside it). Never copied into the repository. Without it a test is skipped locally, and CI
// fails loudly rather than skipping in silence.

export const PASTE_CORPUS_DIR = path.resolve(import.meta.dirname, '../../../shared/corpora/paste-docs');
export const hasPasteCorpus = existsSync(PASTE_CORPUS_DIR);

if (!hasPasteCorpus && process.env.CI) {
  throw new Error(`The Paste corpus is missing at ${PASTE_CORPUS_DIR}: CI runs with ../shared beside the checkout.`);
}

import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { hasPasteCorpus, PASTE_CORPUS_DIR } from './tests/helpers/corpus.mts';

// The corpus tier: the tests in tests/corpus read the real Paste docs (../shared/corpora/paste-docs beside the
// checkout, or PASTE_CORPUS_DIR) — indexing, search quality, links, twins and llms.txt on 367 real pages.
// Without the corpus this tier fails at once, with or without CI: asked for, it never skips in silence.
if (!hasPasteCorpus) {
  throw new Error(
    `The corpus tier reads the Paste docs at ${PASTE_CORPUS_DIR}, and there are none. ` +
      'Put shared/corpora/paste-docs beside the checkout (as CI does) or set PASTE_CORPUS_DIR; `npm test` runs every other test without it.',
  );
}

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/corpus/**/*.test.ts'],
    environment: 'node',
    // Each file reads or indexes all 367 pages; a file's setup may take minutes on a loaded machine.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two files at once at least (vitest's default is one on two cores): each indexes the corpus into its own
    // in-memory database, and search-quality alone takes about half of the tier's time.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    setupFiles: ['tests/helpers/setup.ts'],
  },
});

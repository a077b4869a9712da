import { existsSync } from 'node:fs';
import path from 'node:path';

// The real Paste docs (368 pages: 367 MDX pages and the corpus's SOURCE.md, which the site reads as a page too), read
// in place from ../shared beside the checkout (CI clones the repo with shared/ beside it), or from PASTE_CORPUS_DIR. Never copied into the repository. The tests that read it are
// their own tier, tests/corpus (`npm run test:corpus`, vitest.corpus.config.mts): `npm test` never needs it, and
// the corpus tier fails, naming the folder, when the corpus is missing (never a silent skip).

export const PASTE_CORPUS_DIR = process.env.PASTE_CORPUS_DIR
  ? path.resolve(process.env.PASTE_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/paste-docs');
export const hasPasteCorpus = existsSync(PASTE_CORPUS_DIR);

// The real GitHub threads of the Paste repository (272 issues and pull requests with 318 comments, in GitHub's REST
// shapes), read in place from ../shared beside the checkout or PASTE_GITHUB_CORPUS_DIR, for the GitHub source's
// corpus test (served by tests/helpers/fake-github.ts).
export const PASTE_GITHUB_CORPUS_DIR = process.env.PASTE_GITHUB_CORPUS_DIR
  ? path.resolve(process.env.PASTE_GITHUB_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/paste-github');

// Four real public OpenAPI specs of Twilio's (320 operations), read in place from ../shared beside the checkout or
// TWILIO_OPENAPI_CORPUS_DIR, for the OpenAPI source's corpus test.
export const TWILIO_OPENAPI_CORPUS_DIR = process.env.TWILIO_OPENAPI_CORPUS_DIR
  ? path.resolve(process.env.TWILIO_OPENAPI_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/twilio-openapi');

// Vite's and pnpm's docs (evals/vite-real.json, evals/pnpm-real.json, evals/bug-reports/vite-pnpm.json) and Paste's
// TypeScript source at the docs' commit (evals/code/paste-source.json, evals/research/heldout.json), read in place
// from ../shared beside the checkout or their variables, for the blind sets' corpus test.
export const VITE_CORPUS_DIR = process.env.VITE_CORPUS_DIR
  ? path.resolve(process.env.VITE_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/vite-docs');
export const PNPM_CORPUS_DIR = process.env.PNPM_CORPUS_DIR
  ? path.resolve(process.env.PNPM_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/pnpm-docs');
export const PASTE_SOURCE_CORPUS_DIR = process.env.PASTE_SOURCE_CORPUS_DIR
  ? path.resolve(process.env.PASTE_SOURCE_CORPUS_DIR)
  : path.resolve(import.meta.dirname, '../../../shared/corpora/paste-source');

// The project's .env files, read as `next start` reads them, for what runs outside Next: the CLI scripts
// (docs:index, docs:search, api-key, report) and `npm start`'s pre-start check. Without it a DOCS_DIR or
// DATABASE_URL set in .env reached the server but not them: `npm start` then judged the build against the
// default docs and the server refused it, and `npm run api-key` wrote keys into .data while the server used
// Postgres. Plain JavaScript (typed by load-env.d.mts) because ensure-build.mjs runs in plain Node.
import { createRequire } from 'node:module';

// Required, not imported: @next/env is CommonJS marked __esModule, whose default import is undefined when tsx
// compiles a script to CommonJS.
const { loadEnvConfig } = createRequire(import.meta.url)('@next/env');

/**
 * Loads `.env.production.local`, `.env.local`, `.env.production` and `.env` from `dir` (`.env.test*` when
 * NODE_ENV is test) into process.env, as Next does for `next start`: a variable already set wins. Silent on
 * stdout, so that a script's output (`report --json`) stays clean.
 */
export function loadProjectEnv(dir = process.cwd()) {
  const { loadedEnvFiles } = loadEnvConfig(dir, false, { info: () => {}, error: (...args) => console.error(...args) });
  return loadedEnvFiles.map((file) => file.path);
}

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintDocs } from '@/lib/docs/site/build-manifest.mjs';

// A production build of another docs folder (the Paste corpus), for benches that serve it with `next start`.
// A build serves only the docs it was generated from (lib/boot.ts refuses others), and building into .next in
// place would replace the build of content/docs that the other benches and the production tests use. So, as
// tests/e2e/secrets.test.ts does, the sources (git's view of them, without tests and scripts) are copied into
// .bench/<name>/ inside the repository — node_modules resolves from the repository as usual — and built there.
// The copy is kept with a key of its sources, docs and routes: the next run reuses it while none changed.
//
// Only what a bench requests is built (`routes`, with Next's --debug-build-paths): the same compiler, runtime
// and server as any production build, without generating the 368 docs pages or the client bundles, which the
// API routes a bench measures never touch. The type check is skipped in the copy (typescript.ignoreBuildErrors,
// through a next.config.mjs that wraps the project's): `npm run typecheck` and the project's own build check
// these very sources. Together that took the build from ~140 s to ~60 s on a loaded 2-core machine.

const ROOT = path.resolve(import.meta.dirname, '../..');
const KEY_FILE = 'bench-build-key';

/** The files a build is made from: git's view of the sources, without tests, scripts and the lock file. */
function listSources(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split('\0')
    .filter((file) => file && !file.startsWith('tests/') && !file.startsWith('scripts/') && file !== 'package-lock.json')
    .filter((file) => existsSync(path.join(ROOT, file)))
    .sort();
}

/**
 * The copy's next.config.mjs: the project's own (moved beside it), without the type check, and in CI without
 * Turbopack's build cache in .next/cache: Next 16 writes it even under CI=true (~100 MB; a full build of the site
 * took 43 CPU-s with it, 38 without, at load 15), and a fresh checkout never reads it again. Elsewhere it makes
 * the next rebuild of the copy faster.
 */
const WRAPPED_CONFIG = `// Written by scripts/lib/paste-build.ts: the project's config (next.config.project.mjs), without the type check.
import config from './next.config.project.mjs';

export default {
  ...config,
  typescript: { ...config.typescript, ignoreBuildErrors: true },
  experimental: { ...config.experimental, ...(process.env.CI ? { turbopackFileSystemCacheForBuild: false } : {}) },
};
`;

function buildKey(files: string[], docsDir: string, routes: string[]): string {
  const hash = createHash('sha256');
  hash.update(WRAPPED_CONFIG).update(routes.join(',')).update('\0');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(ROOT, file))).update('\0');
  hash.update(fingerprintDocs(docsDir).fingerprint);
  return hash.digest('hex');
}

/**
 * The folder of a production build of these sources with DOCS_DIR=`docsDir`, of the page and API route files
 * `routes` (e.g. `pages/api/health.ts`), built if missing or stale (a minute or so). Returns the folder and
 * whether it was built now.
 */
export function preparePasteBuild({
  docsDir,
  routes,
  name = 'paste-build',
}: {
  docsDir: string;
  routes: string[];
  name?: string;
}): { dir: string; isFresh: boolean; buildMs: number } {
  const dir = path.join(ROOT, '.bench', name);
  const files = listSources();
  const key = buildKey(files, docsDir, routes);
  const keyPath = path.join(dir, KEY_FILE);
  if (existsSync(path.join(dir, '.next', 'BUILD_ID')) && existsSync(keyPath) && readFileSync(keyPath, 'utf8') === key) {
    return { dir, isFresh: false, buildMs: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  // A docs page names the docs pages' own client (pages/_document.tsx), which `npm run build` makes before `next
  // build` into public/_docs-client (not in git): the project's, built from these same sources, goes with the copy.
  if (routes.some((route) => route.startsWith('pages/') && !route.startsWith('pages/api/'))) {
    const client = path.join(ROOT, 'public/_docs-client');
    if (!existsSync(path.join(client, 'manifest.json'))) throw new Error('No docs pages client (public/_docs-client): run `npm run build` first.');
    cpSync(client, path.join(dir, 'public/_docs-client'), { recursive: true });
  }
  renameSync(path.join(dir, 'next.config.mjs'), path.join(dir, 'next.config.project.mjs'));
  writeFileSync(path.join(dir, 'next.config.mjs'), WRAPPED_CONFIG);
  const started = performance.now();
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build', '--debug-build-paths', routes.join(',')], {
    cwd: dir,
    // No secrets at build time: the build only needs to know which docs it is made from (and CI, whether it is one).
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DOCS_DIR: docsDir,
      ...(process.env.CI ? { CI: process.env.CI } : {}),
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) throw new Error(`build of ${docsDir} failed:\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
  writeFileSync(keyPath, key);
  return { dir, isFresh: true, buildMs: performance.now() - started };
}

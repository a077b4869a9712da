import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintDocs } from '@/lib/docs/build-manifest.mjs';

// A production build of another docs folder (the Paste corpus), for benches that serve it with `next start`.
// A build serves only the docs it was generated from (lib/boot.ts refuses others), and building into .next in
// place would replace the build of content/docs that the other benches and the production tests use. So, as
// tests/e2e/secrets.test.ts does, the sources (git's view of them, without tests and scripts) are copied into
// .bench/<name>/ inside the repository — node_modules resolves from the repository as usual — and built there.
// The copy is kept with a key of its sources and docs: the next run reuses it while neither changed.

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

function buildKey(files: string[], docsDir: string): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(ROOT, file))).update('\0');
  hash.update(fingerprintDocs(docsDir).fingerprint);
  return hash.digest('hex');
}

/**
 * The folder of a production build of these sources with DOCS_DIR=`docsDir`, built if missing or stale
 * (a few minutes). Returns the folder and whether it was built now.
 */
export function preparePasteBuild({ docsDir, name = 'paste-build' }: { docsDir: string; name?: string }): { dir: string; isFresh: boolean; buildMs: number } {
  const dir = path.join(ROOT, '.bench', name);
  const files = listSources();
  const key = buildKey(files, docsDir);
  const keyPath = path.join(dir, KEY_FILE);
  if (existsSync(path.join(dir, '.next', 'BUILD_ID')) && existsSync(keyPath) && readFileSync(keyPath, 'utf8') === key) {
    return { dir, isFresh: false, buildMs: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  const started = performance.now();
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: dir,
    // No secrets at build time: the build only needs to know which docs it is made from.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', DOCS_DIR: docsDir },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) throw new Error(`build of ${docsDir} failed:\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
  writeFileSync(keyPath, key);
  return { dir, isFresh: true, buildMs: performance.now() - started };
}

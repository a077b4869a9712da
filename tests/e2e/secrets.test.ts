import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// No server secret reaches the browser. A production build is made with canary values in every secret
// variable, then everything a browser can fetch from it is scanned for them: .next/static (the client
// bundles), the docs pages' own client (public/_docs-client, scripts/build-docs-client.mjs) and the pages Next
// prerendered (.next/server/pages: HTML, and the JSON that /_next/data serves).
//
// Why a build of its own: the CI build runs with no secrets set, so it cannot show that a secret set at build
// time stays out of the bundles. Building into .next in place would replace the build the other e2e tests
// use, and a second distDir in place makes Next rewrite tsconfig.json; so the sources (git's view of them,
// without tests) are copied into .canary-build/ inside the repository — where node_modules resolves from the
// repository as usual — and built there (about as long as `npm run build`). The copy is removed afterwards.

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKDIR = path.join(ROOT, '.canary-build');
const tag = randomBytes(6).toString('hex');
const CANARIES: Record<string, string> = {
  OPENAI_API_KEY: `sk-test-canary-${tag}-openai`,
  SUPABASE_SERVICE_ROLE_KEY: `canary-${tag}-service-role`,
  SLACK_BOT_TOKEN: `xoxb-canary-${tag}-slack`,
  SESSION_SECRET: `canary-${tag}-session-secret-0123456789abcdef`,
};
// Partners, so that the configuration is valid should the build read it.
const PARTNERS = { SUPABASE_URL: `https://canary-${tag}.supabase.co`, SLACK_CHANNEL_ID: 'C0CANARY' };

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** The files of a build a browser can fetch: client bundles, prerendered HTML and its data JSON. */
function publicFiles(distDir: string): string[] {
  return [
    ...listFiles(path.join(distDir, 'static')),
    ...listFiles(path.join(WORKDIR, 'public', '_docs-client')),
    ...listFiles(path.join(distDir, 'server', 'pages')).filter((file) => /\.(html|json|rsc)$/.test(file)),
  ];
}

function findCanaries(files: string[], canaries: Record<string, string>): string[] {
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'latin1');
    for (const [name, value] of Object.entries(canaries)) {
      if (text.includes(value)) found.push(`${name} in ${path.relative(ROOT, file)}`);
    }
  }
  return found;
}

let distDir: string;

beforeAll(() => {
  rmSync(WORKDIR, { recursive: true, force: true });
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    // Tests, and the scripts that reuse their helpers, are not part of what the site ships.
    // The docs pages' client is built by a script: that one is part of the build.
    const isBuildScript = file === 'scripts/build-docs-client.mjs';
    if (file.startsWith('tests/') || (file.startsWith('scripts/') && !isBuildScript) || file === 'package-lock.json' || !existsSync(path.join(ROOT, file))) continue;
    mkdirSync(path.dirname(path.join(WORKDIR, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(WORKDIR, file));
  }
  // As `npm run build` does: the docs pages' client, then Next's build.
  const client = spawnSync(process.execPath, ['scripts/build-docs-client.mjs'], { cwd: WORKDIR, env: { ...process.env, ...CANARIES, ...PARTNERS }, encoding: 'utf8' });
  if (client.status !== 0) throw new Error(`canary docs client build failed:\n${client.stdout}\n${client.stderr}`);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: WORKDIR,
    // Without the type check (next.config.mjs): it changes nothing in the output scanned here, and the project's
    // typecheck checks these very sources. It was about a fifth of this build's CPU time (14 of 62 s at load 17).
    env: { ...process.env, ...CANARIES, ...PARTNERS, NEXT_TELEMETRY_DISABLED: '1', PA_BUILD_SKIP_TYPECHECK: '1' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`canary build failed:\n${build.stdout}\n${build.stderr}`);
  distDir = path.join(WORKDIR, '.next');
}, 600_000);

afterAll(() => {
  rmSync(WORKDIR, { recursive: true, force: true });
});

describe('a build made with secrets set', () => {
  it('has client bundles and prerendered pages to scan', () => {
    const files = publicFiles(distDir);
    expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(5);
    expect(files.filter((file) => file.includes(`${path.sep}_docs-client${path.sep}`) && file.endsWith('.js')).length).toBeGreaterThan(3);
    expect(files.filter((file) => file.endsWith('.html')).length).toBeGreaterThanOrEqual(3);
  });

  it('puts none of them in .next/static or any page', () => {
    expect(findCanaries(publicFiles(distDir), CANARIES)).toEqual([]);
  });

  it('would notice one that got in (the scan reads what it lists)', () => {
    const bundle = publicFiles(distDir).find((file) => file.endsWith('.js'))!;
    writeFileSync(bundle, `${readFileSync(bundle, 'latin1')}\n// ${CANARIES.SLACK_BOT_TOKEN}`, 'latin1');
    expect(findCanaries(publicFiles(distDir), CANARIES)).toEqual([`SLACK_BOT_TOKEN in ${path.relative(ROOT, bundle)}`]);
  });
});

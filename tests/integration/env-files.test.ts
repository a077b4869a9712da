import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprintDocs, writeDocsBuildManifest } from '@/lib/docs/site/build-manifest.mjs';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The README says to configure with a .env file. `next start` reads it by itself; what runs outside Next must
// read it the same way, or a DOCS_DIR / DATA_DIR / DATABASE_URL in .env reaches the server but not `npm start`'s
// pre-start check (which then judged the build against the default docs, and the server refused it) nor the CLI
// scripts (which then wrote into another database than the server's). These run the real scripts in a folder
// holding a .env, with nothing of it in their environment.

const ROOT = path.resolve(import.meta.dirname, '../..');
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
}

function writeDocs(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The environment of this process without the variables under test, so only the .env file can set them. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DOCS_DIR', 'DOCS_AUDIENCES', 'DATA_DIR', 'DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY', 'NODE_ENV']) delete env[name];
  return { ...env, ...extra };
}

describe('npm start (scripts/ensure-build.mjs) reads .env', () => {
  /**
   * A project folder with a build made from `docsDir` and a `.env`, and an `npm` on PATH that only records
   * that a build was asked for (so a wrong decision fails fast, building nothing).
   */
  function setUpProject({ envFile, docsDir }: { envFile: string; docsDir: string }) {
    const project = tempDir('pa-envproj-');
    mkdirSync(path.join(project, '.next'));
    writeFileSync(path.join(project, '.next', 'BUILD_ID'), 'test');
    writeDocsBuildManifest({ distDir: path.join(project, '.next'), docs: fingerprintDocs(docsDir) });
    writeFileSync(path.join(project, '.env'), envFile);
    const bin = path.join(project, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "npm $*"\nexit 3\n');
    chmodSync(path.join(bin, 'npm'), 0o755);
    return { project, bin };
  }

  function runEnsureBuild(project: string, bin: string, env: Record<string, string> = {}) {
    return spawnSync(process.execPath, [path.join(ROOT, 'scripts/ensure-build.mjs')], {
      cwd: project,
      encoding: 'utf8',
      env: cleanEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, ...env }),
    });
  }

  it('serves a build of the DOCS_DIR that .env names, without rebuilding', () => {
    const docsDir = writeDocs(tempDir('pa-envdocs-'), { 'index.mdx': '# Home\n\nHello.\n' });
    const { project, bin } = setUpProject({ envFile: `DOCS_DIR=${docsDir}\n`, docsDir });
    const result = runEnsureBuild(project, bin);
    expect(result.stdout).not.toContain('building');
    expect(result.status).toBe(0);
  });

  it('rebuilds when the audience rules (DOCS_AUDIENCES in .env) differ from the build\'s, and not when they are the same', () => {
    const docsDir = writeDocs(tempDir('pa-envdocs-'), { 'index.mdx': '# Home\n\nHello.\n' });
    const { project, bin } = setUpProject({ envFile: `DOCS_DIR=${docsDir}\nDOCS_AUDIENCES=staff=internal/**\n`, docsDir });
    const changed = runEnsureBuild(project, bin);
    expect(changed.stdout).toContain('DOCS_AUDIENCES changed since the last build');
    expect(changed.status).toBe(3);
    writeDocsBuildManifest({ distDir: path.join(project, '.next'), docs: fingerprintDocs(docsDir), audienceRules: 'staff=internal/**' });
    const same = runEnsureBuild(project, bin);
    expect(same.stdout).not.toContain('building');
    expect(same.status).toBe(0);
  });

  it('rebuilds when .env names other docs than the build, and a variable set in the environment wins over .env', () => {
    const built = writeDocs(tempDir('pa-envdocs-'), { 'index.mdx': '# Home\n\nHello.\n' });
    const other = writeDocs(tempDir('pa-envdocs-'), { 'index.mdx': '# Other\n\nElse.\n' });
    const { project, bin } = setUpProject({ envFile: `DOCS_DIR=${other}\n`, docsDir: built });
    const fromEnvFile = runEnsureBuild(project, bin);
    expect(fromEnvFile.stdout).toContain(`building from ${other}`);
    expect(fromEnvFile.stdout).toContain('npm run build');

    const fromEnvironment = runEnsureBuild(project, bin, { DOCS_DIR: built });
    expect(fromEnvironment.stdout).not.toContain('building');
    expect(fromEnvironment.status).toBe(0);
  });
});

describe('the CLI scripts read .env', () => {
  it('npm run docs:index indexes the DOCS_DIR into the DATA_DIR that .env names', () => {
    const project = tempDir('pa-envcli-');
    const docsDir = writeDocs(path.join(project, 'my-docs'), {
      'index.mdx': '# Home\n\nWelcome.\n',
      'guides/setup.mdx': '---\ntitle: Setup\n---\n\n## Install\n\nRun the installer.\n',
    });
    writeFileSync(path.join(project, '.env'), 'DOCS_DIR=my-docs\nDATA_DIR=my-data\n');
    // The migrations are read from the working directory's supabase/, as in a checkout.
    symlinkSync(path.join(ROOT, 'supabase'), path.join(project, 'supabase'));
    const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/docs-index.ts')], {
      cwd: project,
      encoding: 'utf8',
      env: cleanEnv({ TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'silent' }),
      timeout: 120_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`docs: ${docsDir}`);
    expect(result.stdout).toMatch(/^2 pages: 2 indexed/m);
    expect(result.status).toBe(0);
    expect(existsSync(path.join(project, 'my-data', 'pglite'))).toBe(true);
    expect(existsSync(path.join(project, '.data'))).toBe(false);
  });
});

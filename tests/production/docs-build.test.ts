import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDocsBuild, fingerprintDocs, readDocsBuildManifest } from '@/lib/docs/site/build-manifest.mjs';
import { freePort, startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createSeededDataDir } from '../helpers/pglite-template';

// A production build serves the docs pages it was generated from, while the server indexes the DOCS_DIR it is
// given: `next start` on a build of other docs must refuse, saying so in one line, and a path the site does not
// have gets the site's own 404 page (header, search, the assistant), not Next's bare one.

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILD_DIR = path.join(ROOT, '.next');
const CONTENT_DOCS = path.join(ROOT, 'content/docs');
// The real Paste docs, next to the repository (the shared corpora of this workspace), as the issue met them.
const PASTE_DOCS = path.resolve(ROOT, '../shared/corpora/paste-docs');

// Never a real model, Supabase or Slack, whatever the environment running the tests holds.
const OFFLINE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_API_STYLE: '',
  OPENAI_MODEL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  SESSION_SECRET: '',
};

/** `next start` until it exits by itself (at most `timeoutMs`), with what it printed. */
async function runNextStart(env: Record<string, string>, timeoutMs = 60_000) {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...OFFLINE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  // The servers of this tier already run on the build in .next, so it is used as it is, never rebuilt here.
  const comparison = existsSync(path.join(BUILD_DIR, 'BUILD_ID'))
    ? compareDocsBuild(readDocsBuildManifest(BUILD_DIR), fingerprintDocs(CONTENT_DOCS))
    : null;
  if (comparison?.kind !== 'same') {
    throw new Error(
      `These tests need a production build of content/docs in .next (found: ${comparison ? JSON.stringify(comparison) : 'no build'}). ` +
        'Run `npm run build` with DOCS_DIR unset first.',
    );
  }
});

describe('next start on a build of other docs', () => {
  const dataDirs: string[] = [];
  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with one line naming the DOCS_DIR given and the folder of the build', async () => {
    const dataDir = makeTempDir('pa-docs-build-');
    dataDirs.push(dataDir);
    // Relative, as a user types it: resolved against the working directory (the repository) as the server does.
    const { code, stdout, stderr } = await runNextStart({ DOCS_DIR: '../shared/corpora/paste-docs', DATA_DIR: dataDir });

    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Docs build mismatch: DOCS_DIR is /);
    expect(lines[0]).toContain(`DOCS_DIR is ${PASTE_DOCS}`);
    expect(lines[0]).toContain(`this build was made from ${CONTENT_DOCS}.`);
    expect(lines[0]).toContain('`npm run build`');
    expect(lines[0]).toContain('`npm start`');
    // Refused before anything was opened or indexed.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('next start on a DATA_DIR another server has open', () => {
  let first: TNextServer | undefined;
  afterAll(async () => {
    await first?.stop();
    if (first) rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('refuses to start with one line naming the folder and the process holding it, and the first server keeps serving', async () => {
    first = await startNextServer({ dataDir: await createSeededDataDir('pa-production-'), env: { ...OFFLINE_ENV, DOCS_DIR: '' } });
    const { code, stdout, stderr } = await runNextStart({ DOCS_DIR: '', DATA_DIR: first.dataDir });

    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(1);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([
      `Configuration error: DATA_DIR ${first.dataDir} is in use by another process (pid ${first.process.pid}): the embedded ` +
        'database can be opened by one process at a time. Stop that process first, or give this one its own DATA_DIR.',
    ]);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    // Two `next start`s one after the other: on a loaded CI machine that took over the suite's 60 s limit.
  }, 180_000);
});

describe('the 404 page of a production build', () => {
  let server: TNextServer;

  beforeAll(async () => {
    server = await startNextServer({ dataDir: await createSeededDataDir('pa-production-'), env: { ...OFFLINE_ENV, DOCS_DIR: '' } });
  });

  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('names the site icon in every page and serves it, so that browsers do not ask for /favicon.ico', async () => {
    for (const route of ['/docs', '/docs/configuration', '/no-such-page']) {
      const html = await (await fetch(`${server.url}${route}`)).text();
      expect(html, route).toMatch(/<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"\/?>/);
    }
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toMatch(/^<svg /);
  });

  for (const missing of ['/docs/components/button', '/no-such-page']) {
    it(`answers ${missing} with the site header, search, a way back to the docs, and its reader's navigation to ask for`, async () => {
      const response = await fetch(`${server.url}${missing}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();

      // Pieces of the page, so that a failure shows what was found rather than the whole document.
      const pick = (pattern: RegExp) => html.match(pattern)?.[0] ?? `(nothing matches ${pattern})`;
      expect(pick(/<title[^>]*>[^<]*<\/title>/)).toMatch(/>Page not found · Paste Assistant docs</);
      expect(pick(/<h1[^>]*>[^<]*<\/h1>/)).toMatch(/>Page not found</);
      // The docs header: the site name, the search box and the assistant's button.
      const header = pick(/<header[\s\S]*?<\/header>/);
      expect(header).toMatch(/>Paste Assistant</);
      expect(header).toMatch(/<input[^>]*type="search"[^>]*placeholder="Search the docs"/);
      expect(header).toMatch(/<button[^>]*>(?:(?!<\/button>)[\s\S])*>Ask the assistant</);
      // The way back to the docs. The navigation is the reader's, asked for once the page has loaded (the page is
      // made at build time and names no docs page: tests/e2e/not-found-nav.test.ts shows it arrive).
      expect(pick(/<main[\s\S]*?<\/main>/)).toMatch(/<a[^>]*href="\/docs"[^>]*>(?:(?!<\/a>)[\s\S])*?Go to the docs</);
      expect(html).not.toMatch(/href="\/docs\/[^"]/);
      const nav = await fetch(`${server.url}/api/docs-nav`);
      expect(nav.status).toBe(200);
      expect(JSON.stringify(await nav.json())).toContain('"href":"/docs/configuration"');
    });
  }
});

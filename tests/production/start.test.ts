import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '@/scripts/lib/next-server';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createSeededDataDir } from '../helpers/pglite-template';

// `npm start`'s server (scripts/start.mjs, after the pre-start build check) as a newcomer or an operator starts
// it: on PORT and HOST, or HOSTNAME, from the environment; and with an https SITE_URL, Strict-Transport-Security
// on pages and API responses alike, which an http SITE_URL never gets. HOST is checked with 127.0.0.2, a
// loopback address Linux answers on like 127.0.0.1: a server bound there does not answer on 127.0.0.1. PORT and HOST
// set for the server alone reach the scripts run beside it through DATA_DIR/server.json (issue 67, friction 3.9).

const ROOT = path.resolve(import.meta.dirname, '../..');
const API_KEY = 'pa-sk-start-test-key-0123456789abcdef';
let httpsPort = 0;
const started: { child: ChildProcess; dataDir: string }[] = [];

afterAll(async () => {
  for (const { child, dataDir } of started) {
    if (child.exitCode === null) await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/**
 * scripts/start.mjs with `env`, nothing of the tier's environment that would reach a model, Slack or a database.
 * On a new, empty DATA_DIR as a newcomer's first start is, or (`isSeeded`) one holding the migrated database.
 */
async function startServer(env: Record<string, string>, healthUrl: (port: number) => string, { isSeeded = false } = {}) {
  const port = await freePort();
  const dataDir = isSeeded ? await createSeededDataDir('pa-start-') : makeTempDir('pa-start-');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI|SLACK|SUPABASE|DATABASE|API_KEYS|MAINTAINER|EMBEDDINGS|HOST|PORT)/.test(name)));
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: { ...clean, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', MODERATION: 'off', DATA_DIR: dataDir, SESSION_SECRET: 'start-test-session-secret-0123456789', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dataDir });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`scripts/start.mjs exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(healthUrl(port))).ok) return { port, dataDir, child, output: () => output };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer ${healthUrl(port)} in 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function isRefused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

/** A script as `npm run` runs it (tsx), in this checkout, with `env` and none of the tier's PORT, HOST or SITE_URL. */
async function runScript(script: string, args: string[], env: Record<string, string>) {
  const environment: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', SESSION_SECRET: 'start-test-session-secret-0123456789', TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') };
  for (const name of Object.keys(environment)) if (/^(OPENAI|SLACK|SUPABASE|DATABASE|API_KEYS|MAINTAINER|EMBEDDINGS|HOST|PORT|SITE_URL|NODE_ENV)/.test(name)) delete environment[name];
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...environment, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

const PAGES_AND_ROUTES = ['/', '/docs', '/assistant', '/api/health', '/v1/assistants'];

describe('npm start', () => {
  it('listens on PORT and HOST, and sends Strict-Transport-Security when SITE_URL is https', { timeout: 120_000 }, async () => {
    const { port } = await startServer({ HOST: '127.0.0.2', SITE_URL: 'https://docs.example.test', API_KEYS: API_KEY }, (port) => `http://127.0.0.2:${port}/api/health`);
    httpsPort = port;
    expect(await isRefused(`http://127.0.0.1:${port}/api/health`)).toBe(true);
    for (const route of PAGES_AND_ROUTES) {
      const response = await fetch(`http://127.0.0.2:${port}${route}`, { redirect: 'manual' });
      expect(response.headers.get('strict-transport-security'), `${route} (${response.status})`).toBe('max-age=31536000');
    }
  });

  it('serves /v1 to examples/assistants-api-offline.mjs with the offline model, as the docs show', { timeout: 60_000 }, async () => {
    expect(httpsPort).toBeGreaterThan(0);
    const child = spawn(process.execPath, [path.join(ROOT, 'examples/assistants-api-offline.mjs'), 'How do I configure Slack?'], {
      env: { ...process.env, PASTE_URL: `http://127.0.0.2:${httpsPort}`, PASTE_API_KEY: API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('run: completed');
    expect(stdout).toMatch(/^cites: \/docs\/\S+#\S+ \(.+\)$/m);
  });

  // A limit with room, not a speed check: a start and four scripts (tsx, each opening the database) took 35 s on a
  // quiet machine and outran 240 s at a load average of 20.
  it('records where it listens in DATA_DIR, so that scripts run without its PORT and HOST link to it; a clean exit removes the record, and a script then says what it assumed', { timeout: 480_000 }, async () => {
    const { port, dataDir, child } = await startServer({ HOST: '127.0.0.2' }, (port) => `http://127.0.0.2:${port}/api/health`, { isSeeded: true });
    const site = `http://127.0.0.2:${port}`;
    const record = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as { pid: number; siteUrl: string; listenUrl: string };
    expect(record).toMatchObject({ siteUrl: site, listenUrl: site });
    expect(record.pid).not.toBe(child.pid);
    process.kill(record.pid, 0);

    // The scripts, run as `npm run` runs them, with neither PORT nor HOST: the running server's address.
    const link = await runScript('scripts/report.ts', ['--link'], { DATA_DIR: dataDir });
    expect(link.code, link.stderr).toBe(0);
    const dashboard = link.stdout.split('\n').find((line) => line.includes('/maintainers'));
    expect(dashboard?.startsWith(`${site}/maintainers?`), dashboard).toBe(true);
    expect(link.stderr).not.toContain('assumed');
    expect((await fetch(dashboard!, { redirect: 'manual' })).status).toBe(200);
    const search = await runScript('scripts/docs-search.ts', ['slack'], { DATA_DIR: dataDir });
    expect(search.code).toBe(1);
    expect(search.stderr).toContain(`curl -s ${site}/api/docs-search`);
    // (SITE_URL set for the script still wins: tests/integration/server-record.test.ts.)

    // Stopped as Ctrl-C stops it: the record goes with it.
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT')));
    expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
    const guessed = await runScript('scripts/report.ts', ['--link'], { DATA_DIR: dataDir });
    expect(guessed.stdout).toMatch(/^http:\/\/localhost:3000\/maintainers\?/m);
    expect(guessed.stderr).toContain(`http://localhost:3000 is assumed: no running server has recorded its address in ${path.join(dataDir, 'server.json')}, and SITE_URL is not set`);
    const key = await runScript('scripts/api-key.ts', ['create', 'start-test'], { DATA_DIR: dataDir });
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toContain('with baseURL http://localhost:3000/v1.');
    expect(key.stdout).toContain('http://localhost:3000 is assumed');
  });

  it('takes HOSTNAME when HOST is unset', { timeout: 120_000 }, async () => {
    const { port } = await startServer({ HOSTNAME: '127.0.0.2' }, (port) => `http://127.0.0.2:${port}/api/health`, { isSeeded: true });
    expect(await isRefused(`http://127.0.0.1:${port}/api/health`)).toBe(true);
  });

  it('sends no Strict-Transport-Security for an http SITE_URL', async () => {
    for (const route of PAGES_AND_ROUTES) {
      const response = await fetch(`${inject('mainUrl')}${route}`, { redirect: 'manual' });
      expect(response.headers.get('strict-transport-security'), route).toBeNull();
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { serverNodeFlags } from '@/lib/server-flags.mjs';
import { createPgliteDb } from '@/lib/db/pglite';
import { makeTempDir, removeTempDir } from './temp-dir';

// Starts the production server (`next start`) on a free 127.0.0.1 port with a fresh DATA_DIR, for benches.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type TNextServer = {
  url: string;
  dataDir: string;
  process: ChildProcess;
  startedAt: number;
  /** Everything the server wrote to stdout and stderr so far, from its start. */
  output(): string;
  stop(): Promise<void>;
};

export function assertBuilt(root = process.cwd()): void {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `npm run build` first.');
  }
}

let migrated: Promise<string> | undefined;

/**
 * The embedded database of a new DATA_DIR with every migration applied, made once per bench process (applying
 * them takes several seconds, 12 s on a loaded 2-core machine; copying the result takes a fraction of one).
 */
function migratedDatabase(): Promise<string> {
  migrated ??= (async () => {
    // Only copies of it are served; it goes with the process.
    const dir = makeTempDir('pa-bench-migrated-');
    const db = await createPgliteDb({ dataDir: dir });
    await db.close();
    // createPgliteDb keeps the database in DATA_DIR/pglite, beside its lock file (released by close).
    return path.join(dir, 'pglite');
  })();
  return migrated;
}

/**
 * `cwd`: the project whose build is served (default: this one; scripts/lib/paste-build.ts makes another).
 * `readyTimeoutMs`: how long start-up may take; it indexes DOCS_DIR before the server answers.
 * `isMigrated`: the new DATA_DIR starts from an already migrated database, for benches that measure what a
 * running server does rather than its first start (which bench-start measures from an empty DATA_DIR).
 * `nodeFlags`: more flags for the server's Node (`--cpu-prof`, which NODE_OPTIONS may not carry).
 */
export async function startNextServer(options: TStartOptions = {}): Promise<TNextServer> {
  // A free port can be taken by another process between freePort() and next start binding it (the tiers and the
  // bench run side by side, each starting servers): that next start exits with EADDRINUSE, and is started again
  // on another port.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startNextServerOnce(options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error && error.message.includes('EADDRINUSE'))) throw error;
    }
  }
}

type TStartOptions = { env?: Record<string, string>; dataDir?: string; cwd?: string; readyTimeoutMs?: number; isMigrated?: boolean; nodeFlags?: string[] };

async function startNextServerOnce({
  env = {},
  dataDir,
  cwd = process.cwd(),
  readyTimeoutMs = 60_000,
  isMigrated = false,
  nodeFlags = [],
}: TStartOptions): Promise<TNextServer> {
  assertBuilt(cwd);
  const port = await freePort();
  const dir = dataDir ?? makeTempDir('pa-bench-');
  if (isMigrated) cpSync(await migratedDatabase(), path.join(dir, 'pglite'), { recursive: true });
  const startedAt = performance.now();
  // Idle kept-alive connections stay open 65 s (Node's default is 5 s). With 5 s, a client reusing a connection
  // just as the server closes it gets ECONNRESET on a loaded machine (seen in a CI run: a plain fetch in
  // tests/production/scale-out.test.ts); fetch (undici) takes the server's `Keep-Alive: timeout=65` and drops
  // the connection a second early, and a test's pauses are far shorter than a minute, so that race needs a
  // pause of about 64 s to happen.
  const args = ['start', '-H', '127.0.0.1', '-p', String(port), '--keepAliveTimeout', '65000'];
  const child = spawn(process.execPath, [...serverNodeFlags(process.env.NODE_OPTIONS), ...nodeFlags, path.resolve('node_modules/next/dist/bin/next'), ...args], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', DATA_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A bench or test process that ends without stopping its server (it threw) takes the server with it: left
  // running, it kept its port, and its DATA_DIR would go from under it. Prepended, so that it is killed before the
  // process's temporary folders are removed (scripts/lib/temp-dir.ts).
  const killOnExit = () => child.kill('SIGKILL');
  process.prependOnceListener('exit', killOnExit);
  child.once('exit', () => {
    process.off('exit', killOnExit);
    // A DATA_DIR made here goes with the server, however it ends (stopped, crashed, or failing to start); one the
    // caller passed is the caller's, who may start another server on it.
    if (!dataDir) removeTempDir(dir);
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      // Healthy, and it is this server that answered: another process that took the port first would answer too,
      // while this one fails to bind and exits (above).
      if (response.ok && /\bReady in\b/.test(output)) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`next start did not become healthy in ${readyTimeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    dataDir: dir,
    process: child,
    startedAt,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A client that keeps the session cookie, like a browser. A response that is not 2xx throws. */
export function createCookieClient(baseUrl: string) {
  let cookie = '';
  return {
    cookie: () => cookie,
    async call(route: string, init: { method?: string; json?: unknown } = {}) {
      const response = await fetch(`${baseUrl}${route}`, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: { ...(cookie ? { cookie } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0] ?? '';
      const body = (await response.json()) as any;
      if (!response.ok) throw new Error(`${route}: ${response.status} ${JSON.stringify(body)}`);
      return { status: response.status, body };
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

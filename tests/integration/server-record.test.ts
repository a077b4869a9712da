import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { readServerRecord, recordServerAddress, SERVER_RECORD_FILE } from '@/lib/server-record';
import { scriptSiteUrl } from '@/scripts/lib/server-address';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The running server's address for the scripts beside it (issue 67, friction 3.9): DATA_DIR/server.json, written by
// the server (lib/server-record.ts) and read by scripts/lib/server-address.ts. A record is believed only while its
// process runs; SITE_URL set for the script wins; without either, the script's address is a guess that says so.
// tests/production/start.test.ts runs it end to end: `npm start` with PORT and HOST, the scripts, Ctrl-C.

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** A process that runs until killed, standing for a server. */
function liveProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const writeRecord = (dataDir: string, pid: number, url: string) =>
  writeFileSync(path.join(dataDir, SERVER_RECORD_FILE), JSON.stringify({ pid, siteUrl: url, listenUrl: url, startedAt: new Date().toISOString() }));

const configOf = (dataDir: string, env: Record<string, string> = {}) => parseConfig({ DATA_DIR: dataDir, ...env });

describe('the scripts’ address for the server', () => {
  it('is the one a running server recorded, PORT and HOST unset for the script', () => {
    const dataDir = makeTempDir('pa-server-record-');
    writeRecord(dataDir, liveProcess(), 'http://127.0.0.1:4600');
    expect(scriptSiteUrl(configOf(dataDir))).toEqual({ url: 'http://127.0.0.1:4600', source: 'running server', assumption: null });
  });

  it('is SITE_URL when it is set for the script, whatever the server recorded', () => {
    const dataDir = makeTempDir('pa-server-record-');
    writeRecord(dataDir, liveProcess(), 'http://127.0.0.1:4600');
    expect(scriptSiteUrl(configOf(dataDir, { SITE_URL: 'https://docs.example.test/' }))).toEqual({ url: 'https://docs.example.test', source: 'SITE_URL', assumption: null });
  });

  it('is a guess that says so when the recording process is gone, the record is not one, or there is none', async () => {
    const dataDir = makeTempDir('pa-server-record-');
    const guess = (env: Record<string, string> = {}) => scriptSiteUrl(configOf(dataDir, env));
    expect(guess()).toMatchObject({ url: 'http://localhost:3000', source: 'assumed' });
    expect(guess().assumption).toMatch(/^http:\/\/localhost:3000 is assumed: no running server has recorded its address in \/.*\/server\.json, and SITE_URL is not set/);
    writeRecord(dataDir, await deadPid(), 'http://127.0.0.1:4600');
    expect(guess({ PORT: '5100' })).toMatchObject({ url: 'http://localhost:5100', source: 'assumed' });
    writeFileSync(path.join(dataDir, SERVER_RECORD_FILE), '{"pid": "not a pid"}');
    expect(guess()).toMatchObject({ source: 'assumed' });
    writeFileSync(path.join(dataDir, SERVER_RECORD_FILE), 'not json');
    expect(guess()).toMatchObject({ source: 'assumed' });
  });

  it('is recorded by a process, read by others, and removed when that process exits', async () => {
    const dataDir = makeTempDir('pa-server-record-');
    const remove = recordServerAddress({ dataDir, siteUrl: 'http://127.0.0.1:4700', listenUrl: 'http://127.0.0.1:4700' });
    expect(JSON.parse(readFileSync(path.join(dataDir, SERVER_RECORD_FILE), 'utf8'))).toMatchObject({ pid: process.pid, siteUrl: 'http://127.0.0.1:4700' });
    // Its own record is not another server's.
    expect(readServerRecord(dataDir)).toBeNull();
    remove();
    expect(existsSync(path.join(dataDir, SERVER_RECORD_FILE))).toBe(false);

    // Another process records, and its record goes when it exits.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${path.resolve('lib/server-record.ts')}').then((m) => { process.on('SIGTERM', () => process.exit(143)); setTimeout(() => process.exit(0), 60_000); (m.recordServerAddress ?? m.default.recordServerAddress)({ dataDir: ${JSON.stringify(dataDir)}, siteUrl: 'http://127.0.0.1:4800', listenUrl: 'http://127.0.0.1:4800' }); console.log('recorded'); })`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('recorded') && resolve());
      child.once('exit', (code) => reject(new Error(`the recording process exited (${code}) before recording`)));
    });
    expect(readServerRecord(dataDir)).toMatchObject({ pid: child.pid, siteUrl: 'http://127.0.0.1:4800' });
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
    expect(existsSync(path.join(dataDir, SERVER_RECORD_FILE))).toBe(false);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The scripts that open the embedded database refuse while a running server holds it (DATA_DIR's lock), and say
// how to reach that server at the address this configuration gives it: PORT (and HOST) from .env, or SITE_URL —
// never a fixed localhost:3000. The server is a sleeping process whose pid is in the lock, as a server's would be.

const ROOT = path.resolve(import.meta.dirname, '../..');
const made: string[] = [];
let server: ChildProcess;

beforeAll(() => {
  server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
});
afterAll(() => {
  server.kill();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder whose .env says `envFile`, with its DATA_DIR held by the "server". */
function projectWithRunningServer(envFile: string): string {
  const project = makeTempDir('pa-hints-');
  made.push(project);
  writeFileSync(path.join(project, '.env'), `DATA_DIR=data\n${envFile}`);
  mkdirSync(path.join(project, 'data'));
  writeFileSync(path.join(project, 'data', 'pglite.lock'), String(server.pid));
  return project;
}

function runScript(project: string, script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'silent' };
  for (const name of ['DATA_DIR', 'PORT', 'HOST', 'SITE_URL', 'DATABASE_URL', 'SUPABASE_URL', 'NODE_ENV', 'DOCS_REINDEX_TOKEN']) delete env[name];
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts', script), ...args], { cwd: project, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('a script refused by a running server says how to reach it', () => {
  it('names PORT from .env, or SITE_URL, with each script’s own way in', async () => {
    const onPort = projectWithRunningServer('PORT=4321\n');
    const onSite = projectWithRunningServer('PORT=4321\nSITE_URL=https://docs.example.com\n');
    const [report, reportSite, evaluation, search, sync] = await Promise.all([
      runScript(onPort, 'report.ts', []),
      runScript(onSite, 'report.ts', []),
      runScript(onPort, 'eval.ts', [path.join(ROOT, 'examples/eval-questions.jsonl')]),
      runScript(onPort, 'docs-search.ts', ['primary button']),
      runScript(onPort, 'sources-sync.ts', []),
    ]);
    const held = `open in another process (pid ${server.pid}, the server?)`;
    expect(report.stderr).toContain(held);
    expect(report.stderr).toContain('Run with --url http://localhost:4321 to ask the running server');
    expect(reportSite.stderr).toContain('Run with --url https://docs.example.com to ask the running server');
    expect(evaluation.stderr).toContain(held);
    expect(evaluation.stderr).toContain('npm run eval -- FILE --url http://localhost:4321');
    expect(search.stderr).toContain(held);
    expect(search.stderr).toContain('curl -s http://localhost:4321/api/docs-search');
    expect(sync.stderr).toContain(held);
    expect(sync.stderr).toContain('POST http://localhost:4321/api/docs/reindex');
    for (const run of [report, reportSite, evaluation, search, sync]) {
      expect(run.stderr).not.toContain('localhost:3000');
      expect(run.status).not.toBe(0);
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createKey, listKeys } from '@/lib/v1/keys';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { createSeededDataDir } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';
import { startTestServer, type TTestServer } from '../helpers/server';

// API keys with audiences (issue 57): a key is made with the audiences it reads and sees exactly those (and the
// public pages) through /api/docs-search and /mcp; a key made without any, a key of API_KEYS, and a key made
// before keys had audiences (api_key.audiences null) see the public pages only. `npm run api-key -- create`
// takes `--audiences`.

const ENV_KEY = 'pa-sk-audiences-env-key-0123456789';
let app: TApp;
let server: TTestServer;
let docsDir: string;

beforeAll(async () => {
  docsDir = makeTempDir('api-key-audiences-');
  mkdirSync(path.join(docsDir, 'beta'));
  writeFileSync(path.join(docsDir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(docsDir, 'toaster.md'), '---\ntitle: Toaster hook\naudience: staff\n---\n\n## useToaster\n\nThe quokkafier hook pushes toasts.\n');
  writeFileSync(path.join(docsDir, 'beta/preview.md'), '---\ntitle: Preview\n---\n\n## Flags\n\nThe wombatron flag turns the preview on.\n');
  app = await createTestApp({ env: { DOCS_DIR: docsDir, DOCS_AUDIENCES: 'beta=beta/**', API_KEYS: ENV_KEY } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
});

async function searchPaths(key: string, prompt: string): Promise<string[]> {
  const response = await fetch(`${server.url}/api/docs-search`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ prompt }) });
  const body = (await response.json()) as { data: { path: string }[] };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.data.map((hit) => hit.path);
}

async function mcpUrls(key: string, query: string): Promise<string[]> {
  const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: { query, limit: 10 } } };
  const response = await fetch(`${server.url}/api/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', authorization: `Bearer ${key}` },
    body: JSON.stringify(message),
  });
  const body = (await response.json()) as { result: { structuredContent: { results: { url: string }[] } } };
  return body.result.structuredContent.results.map((result) => result.url);
}

describe('API keys with audiences', () => {
  it('sees exactly its audiences’ pages, and the public ones', async () => {
    const staff = await createKey({ db: app.db, name: 'staff-bot', audiences: ['staff'] });
    expect(staff.row.audiences).toEqual(['staff']);
    expect(await searchPaths(staff.key, 'quokkafier hook')).toContain('toaster.md');
    expect(await searchPaths(staff.key, 'wombatron flag')).toEqual([]);
    expect(await searchPaths(staff.key, 'toast dismissed')).toContain('toasts.md');
    expect((await mcpUrls(staff.key, 'quokkafier hook')).some((url) => url.includes('/docs/toaster'))).toBe(true);
    const both = await createKey({ db: app.db, name: 'both', audiences: ['staff', 'beta', 'staff'] });
    expect(both.row.audiences).toEqual(['beta', 'staff']);
    expect(await searchPaths(both.key, 'wombatron flag')).toContain('beta/preview.md');
  });

  it('without audiences — made so, in API_KEYS, or made before keys had them — sees the public pages only', async () => {
    const plain = await createKey({ db: app.db, name: 'public-bot' });
    expect(plain.row.audiences).toEqual([]);
    const legacy = await createKey({ db: app.db, name: 'legacy', audiences: ['staff'] });
    await querySql(app.db, 'update api_key set audiences = null where id = $1', [legacy.row.id]);
    for (const key of [plain.key, ENV_KEY, legacy.key]) {
      expect(await searchPaths(key, 'quokkafier hook')).toEqual([]);
      expect(await searchPaths(key, 'wombatron flag')).toEqual([]);
      expect(await searchPaths(key, 'toast dismissed')).toContain('toasts.md');
      expect((await mcpUrls(key, 'quokkafier hook')).some((url) => url.includes('/docs/toaster'))).toBe(false);
    }
    expect((await listKeys({ db: app.db })).find((key) => key.id === legacy.row.id)?.audiences).toEqual([]);
  });

  it('refuses an audience name that is not one', async () => {
    await expect(createKey({ db: app.db, name: 'bad', audiences: ['st aff'] })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('/v1 runs', () => {
  const v1 = async (key: string, route: string, json: unknown) => {
    const response = await fetch(`${server.url}/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'openai-beta': 'assistants=v2' },
      body: JSON.stringify(json),
    });
    const body = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const storedAccess = async (runId: string) =>
    (await querySql<{ reader_audiences: string[] | null }>(app.db, 'select reader_audiences from assistant_run where id = $1', [runId])).rows[0]?.reader_audiences;

  it("store the key's audiences as the run's access (create run, create thread and run); a key without any, none", async () => {
    const tool = { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } };
    for (const [audiences, expected] of [
      [['staff', 'beta'], ['beta', 'staff']],
      [[], null],
    ] as const) {
      const { key } = await createKey({ db: app.db, name: `v1-${audiences.length}`, audiences: [...audiences] });
      const assistant = await v1(key, '/assistants', { model: 'gpt-4o', name: 'Docs', tools: [tool] });
      const both = (await v1(key, '/threads/runs', { assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: 'How do toasts close?' }] } })) as { id: string; thread_id: string };
      expect(await storedAccess(both.id), `${audiences.join(',')}: thread and run`).toEqual(expected);
      const thread = await v1(key, '/threads', {});
      const run = await v1(key, `/threads/${thread.id}/runs`, { assistant_id: assistant.id, additional_messages: [{ role: 'user', content: 'And the toaster?' }] });
      expect(await storedAccess(run.id), `${audiences.join(',')}: run`).toEqual(expected);
    }
  });
});

describe('npm run api-key -- create --audiences', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/api-key.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('makes a key with its audiences, lists them, and says how to use the flag', { timeout: 300_000 }, async () => {
    const env = { DATA_DIR: await createSeededDataDir('api-key-cli-'), DATABASE_URL: '', SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '', LOG_LEVEL: 'silent' };
    const created = await run(['create', 'partner-portal', '--audiences', 'partners,beta'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('which reads the public pages and those of beta, partners');
    expect(created.stdout).toMatch(/pa-sk-[A-Za-z0-9_-]{43}/);
    const listed = await run(['list'], env);
    expect(listed.stdout).toMatch(/partner-portal {2}pa-sk-…\S{4} {2}audiences beta,partners/);
    expect((await run(['create', 'x', '--audiences'], env)).code).toBe(2);
    const bad = await run(['create', 'x', '--audiences', 'no spaces'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"no spaces" is not an audience name');
  });
});

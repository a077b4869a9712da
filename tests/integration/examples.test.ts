import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { startTestServer, type TTestServer } from '../helpers/server';

// The runnable examples the docs point to, run as a reader would run them, against the routes over real HTTP:
// examples/assistants-api-offline.mjs drives /v1 with the offline model, which needs its get_relevant_docs
// tool's output in one documented shape (content/docs/guides/assistants-api.mdx).

const ROOT = path.resolve(import.meta.dirname, '../..');
const API_KEY = 'pa-sk-examples-test-key-0123456789';
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { API_KEYS: API_KEY } });
  expect(app.model.name).toBe('offline');
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
});

function runExample(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, file), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/assistants-api-offline.mjs', () => {
  it('gets an answer from the docs through the get_relevant_docs tool its code runs', { timeout: 60_000 }, async () => {
    const result = await runExample('examples/assistants-api-offline.mjs', ['How do I configure Slack?'], { PASTE_URL: server.url, PASTE_API_KEY: API_KEY });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^tool call: get_relevant_docs \{"prompt":"How do I configure Slack\?"\}$/m);
    expect(result.stdout).toContain('run: completed');
    // The offline answer starts with the section that answers, its name in bold (issue 69), not a line about it.
    expect(result.stdout).toMatch(/^\*\*Slack notifications › [^\n]+\*\*/m);
    expect(result.stdout).not.toMatch(/answers? your question/);
    expect(result.stdout).toMatch(/^cites: \/docs\/guides\/slack#\S+ \(Slack notifications › .+\)$/m);
  });

  it('says what is missing without a key', async () => {
    const result = await runExample('examples/assistants-api-offline.mjs', [], { PASTE_URL: server.url, PASTE_API_KEY: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Set PASTE_API_KEY');
  });
});

describe('examples/reader-token.mjs', () => {
  it('signs a reader token with jose that POST /api/reader/session accepts, and one signed with another secret is refused', { timeout: 60_000 }, async () => {
    const { READER_TOKEN_SECRET } = await import('../helpers/reader-tokens');
    const tokenApp = await createTestApp({ env: { READER_TOKEN_SECRET } });
    const tokenServer = await startTestServer(tokenApp);
    try {
      const accepted = await runExample('examples/reader-token.mjs', ['alice', 'staff', 'beta'], { PASTE_URL: tokenServer.url, READER_TOKEN_SECRET });
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(/^200 /);
      expect(JSON.parse(accepted.stdout.slice(4))).toMatchObject({ subject: 'alice', audiences: ['staff', 'beta'] });
      const forged = await runExample('examples/reader-token.mjs', ['alice', 'staff'], { PASTE_URL: tokenServer.url, READER_TOKEN_SECRET: 'another-secret-that-is-long-enough-0123456789' });
      expect(forged.stdout).toMatch(/^401 /);
    } finally {
      await tokenServer.close();
      await tokenApp.db.close();
    }
  });
});

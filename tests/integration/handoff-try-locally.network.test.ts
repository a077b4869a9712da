import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// The hand-off guide's "Try it locally" (content/docs/guides/handoffs.mdx, issue 67, friction 3.1), as a newcomer runs
// it: `npm run fake -- github` in a process of its own prints the variables; the site started with them hands a
// conversation to the fake GitHub, whose issue's address is the fake's own (GitHub's html_url, never github.com) and
// opens there; `npm run handoff:reply -- ISSUE "text"` sends the signed `issue_comment` GitHub would, and the reply is
// in the reader's conversation. The scripts run as the guide says (tsx, as npm runs them), reached over HTTP.

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const children: ChildProcess[] = [];
let app: TApp | undefined;
let server: TTestServer | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await server?.close();
  await app?.db.close();
});

/** `npm run fake -- github`: resolves with the variables it printed once it printed them all. */
function startFakeGithubScript(): Promise<{ lines: string[]; env: Record<string, string> }> {
  const child = spawn(TSX, [path.join(ROOT, 'scripts/fake.ts'), 'github'], { cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`fake github exited ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      const env = Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      if (Object.keys(env).length === 5) resolve({ lines, env });
    });
  });
}

/** `npm run handoff:reply -- args` with `env` as its environment (as .env would give it): its exit code and output. */
function runReplyScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, [path.join(ROOT, 'scripts/handoff-reply.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', DATA_DIR: path.join(ROOT, '.data-unused'), TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), ...env },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the hand-off guide’s “Try it locally”', () => {
  it('fake GitHub, a hand-off opened there, and a maintainer’s reply sent by npm run handoff:reply reaches the conversation', { timeout: 240_000 }, async () => {
    const fake = await startFakeGithubScript();
    expect(fake.lines[0]).toMatch(/^fake github on http:\/\/127\.0\.0\.1:\d+: GitHub's API with acme\/docs-questions for hand-offs/);
    expect(fake.env).toEqual({
      GITHUB_API_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      GITHUB_TOKEN: 'fake-github-token',
      HANDOFF_TO: 'github',
      HANDOFF_GITHUB_REPO: 'acme/docs-questions',
      GITHUB_WEBHOOK_SECRET: expect.any(String),
    });
    expect(fake.lines.some((line) => line.startsWith('# Hand-offs to the maintainers open their issues in acme/docs-questions'))).toBe(true);

    app = await createTestApp({ env: fake.env });
    server = await startTestServer(app);
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const threadId = thread.body.id as string;
    expect((await reader.post('/api/paste-assistant-message', { threadId, message: 'Can I fax a transcript to my printer?' })).body.run.status).toBe('completed');
    const handoff = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'Nothing about faxing.' });
    expect(handoff.status).toBe(201);
    // "Open the issue" goes to the fake, and the fake shows the issue there.
    expect(handoff.body.url).toMatch(new RegExp(`^${fake.env.GITHUB_API_URL!.replace(/\./g, '\\.')}/acme/docs-questions/issues/\\d+$`));
    const page = await fetch(handoff.body.url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Reader question: Can I fax a transcript to my printer?');

    // Not signed with the site's secret: refused, nothing added.
    const forged = await runReplyScript([handoff.body.url, 'Forged.', '--site', server.url], { ...fake.env, GITHUB_WEBHOOK_SECRET: 'another-secret-0123456789abcdef' });
    expect(forged.code, forged.stderr).toBe(1);
    expect(forged.stdout).toContain(': 401 ');
    // As the guide writes it: the number in HANDOFF_GITHUB_REPO, the reply's text.
    const number = /\/issues\/(\d+)$/.exec(handoff.body.url as string)![1]!;
    const sent = await runReplyScript([number, 'Not by fax: export the transcript and print it.', '--site', server.url], fake.env);
    expect(sent.code, `${sent.stdout}\n${sent.stderr}`).toBe(0);
    expect(sent.stdout).toMatch(/: 200 \{"ok":true,"outcome":"reply"\}/);
    expect(sent.stdout).toContain('The reply is in the reader’s conversation.');
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { metadata: Record<string, unknown>; content: { text: { value: string } }[] }[];
    expect(messages.filter((message) => message.metadata.author === 'maintainer').map((message) => message.content[0]!.text.value)).toEqual(['Not by fax: export the transcript and print it.']);
    // A stranger's comment (not a member) is not the maintainers' reply.
    const stranger = await runReplyScript([handoff.body.url, 'Me too!', '--site', server.url, '--login', 'someone', '--association', 'NONE'], fake.env);
    expect(stranger.stdout).toContain('"outcome":"ignored"');
  });
});

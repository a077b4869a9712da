import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// A hand-off goes to a GitHub repository, a place whose readers we do not know (issue 68): a staff reader's hand-off
// names only the cited pages the repository may show (public ones, unless HANDOFF_GITHUB_AUDIENCES says its readers
// are an audience's), and says how many it left out, never which. The route handlers over real HTTP, PGlite, the
// offline model and a fake GitHub on 127.0.0.1.

const REPO = 'acme/questions';
let docsDir: string;
let app: TApp | undefined;
let server: TTestServer | undefined;
let fake: TFakeGithub | undefined;

beforeAll(() => {
  docsDir = makeTempDir('handoff-private-');
  mkdirSync(path.join(docsDir, 'internal'));
  writeFileSync(path.join(docsDir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds by the quokkafier.\n');
  writeFileSync(path.join(docsDir, 'internal/toaster.md'), '---\ntitle: Toaster runbook\n---\n\n## Quokkafier\n\nThe quokkafier hook pushes toasts from the wombat queue.\n');
});

afterEach(async () => {
  await server?.close();
  await app?.db.close();
  await fake?.close();
  app = server = fake = undefined;
});

/** A staff reader's hand-off of "what does the quokkafier do?", and the issue it opened. */
async function staffHandoff(env: Record<string, string> = {}) {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  app = await createTestApp({
    env: {
      DOCS_DIR: docsDir,
      DOCS_AUDIENCES: 'staff=internal/**',
      READER_TOKEN_SECRET,
      HANDOFF_TO: 'github',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_handoffTestToken0123456789',
      GITHUB_API_URL: fake.url,
      SITE_URL: 'https://docs.example.com',
      ...env,
    },
  });
  server = await startTestServer(app);
  const reader = createClient(server.url);
  expect((await reader.post('/api/reader/session', { token: await signReaderToken({ audiences: ['staff'] }) })).status).toBe(200);
  const thread = await reader.post('/api/paste-assistant-thread');
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'What does the quokkafier hook do with toasts?' });
  expect(sent.body.run.status).toBe('completed');
  const messages = (await reader.get(`/api/paste-assistant-messages/${thread.body.id}`)).body.data as { role: string; content: { text: { annotations: { url: string }[] } }[] }[];
  const cited = messages.filter((message) => message.role === 'assistant').flatMap((message) => message.content.flatMap((part) => part.text.annotations.map((annotation) => annotation.url)));
  // The reader's own answer drew on the private page: it is theirs to read.
  expect(cited.some((url) => url.startsWith('/docs/internal/toaster'))).toBe(true);
  const handoff = await reader.post(`/api/paste-assistant-thread/${thread.body.id}/handoff`, {});
  expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
  const [issue] = fake.openedIssues(REPO);
  return `${issue!.title}\n${issue!.body}`;
}

describe('a hand-off of a conversation drawn from a private page', () => {
  it('opens an issue that names only the public pages it cited, and says a private one was left out', async () => {
    const issue = await staffHandoff();
    expect(issue).not.toContain('Toaster runbook');
    expect(issue).not.toContain('internal/toaster');
    expect(issue).toMatch(/private page/);
  });

  it('names the private page in a repository whose readers HANDOFF_GITHUB_AUDIENCES says are staff', async () => {
    const issue = await staffHandoff({ HANDOFF_GITHUB_AUDIENCES: 'staff' });
    expect(issue).toContain('internal/toaster');
    expect(issue).not.toMatch(/private page/);
  });
});

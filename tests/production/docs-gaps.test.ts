import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardUrl } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { liveInGithub } from '../helpers/github-render';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';

// The issue's check (issue 40) on `next start` of the production build, offline (no model), GitHub faked on
// 127.0.0.1: four readers ask, each in other words, what the docs do not cover, and two vote the answer down. One
// topic groups at least three of them; its draft is opened on the fake GitHub as an issue that lists them; and
// without a maintainer's token every gaps route answers 401.

const MAINTAINER_TOKEN = 'production-gaps-maintainer-token-0123';
const GITHUB_TOKEN = 'ghp_productionGapsToken0123456789';
const SESSION_SECRET = 'production-gaps-session-secret-0123456789';
const QUESTIONS = ['Can I fax a transcript?', 'How to fax transcripts?', 'Is there a fax option for transcripts?', 'fax transcript to printer'];

let fake: TFakeGithub;
let server: TNextServer;
const bearer = { authorization: `Bearer ${MAINTAINER_TOKEN}` };

beforeAll(async () => {
  fake = await startFakeGithub({ repos: { 'acme/docs': { issues: [], comments: {}, git: { branch: 'main', files: { 'content/docs/index.mdx': '# Docs\n' } } } } });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-gaps-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET,
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      MAINTAINER_TOKEN,
      DOCS_REPO: 'acme/docs',
      DOCS_REPO_PATH: 'content/docs',
      DOCS_REPO_BRANCH: 'main',
      GITHUB_TOKEN,
      GITHUB_API_URL: fake.url,
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

async function ask(question: string, vote: boolean, reason = 'Nothing about faxing.') {
  const reader = createClient(server.url);
  const thread = await reader.post('/api/paste-assistant-thread');
  expect(thread.status).toBe(200);
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: question });
  expect(sent.status).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  if (!vote) return;
  const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
  const answer = (messages.body.data as { id: string; role: string }[]).find((message) => message.role === 'assistant')!;
  const voted = await reader.post('/api/paste-assistant-message-vote', { threadId: thread.body.id, messageId: answer.id, vote: 'down', reason });
  expect(voted.status).toBe(200);
}

describe('gaps on next start', () => {
  it('answers 401 on every gaps route without a maintainer token', async () => {
    const anyone = createClient(server.url);
    expect((await anyone.get('/api/maintainers/gaps?days=30')).status).toBe(401);
    expect((await anyone.post('/api/maintainers/gaps/gap_0123456789abcdef/draft', { target: 'github' })).status).toBe(401);
    expect((await anyone.get('/api/maintainers/gaps/drafts/1')).status).toBe(401);
    expect((await anyone.post('/api/maintainers/gaps/drafts/1', {})).status).toBe(401);
    const denied = await anyone.get('/api/maintainers/gaps?days=30', { authorization: 'Bearer not-the-maintainer-token' });
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('groups four differently worded uncovered questions, two voted down, into one topic, and opens its draft on GitHub listing them', async () => {
    for (const [index, question] of QUESTIONS.entries()) await ask(question, index < 2);
    const client = createClient(server.url);
    const gaps = await client.get('/api/maintainers/gaps?days=30', bearer);
    expect(gaps.status).toBe(200);
    const topic = (gaps.body.gaps as { id: string; topic: string; count: number; questions: { text: string }[]; trend: unknown; nearest: unknown[] }[]).find((gap) => /fax/i.test(gap.topic))!;
    expect(topic.count).toBeGreaterThanOrEqual(3);
    expect(topic.trend).toMatchObject({ previous: 0, direction: 'new' });
    expect(Array.isArray(topic.nearest)).toBe(true);

    const drafted = await client.request('POST', `/api/maintainers/gaps/${topic.id}/draft`, { json: { target: 'github' }, headers: bearer });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    const [issue] = fake.openedIssues('acme/docs');
    expect(drafted.body.url).toBe(issue!.html_url);
    for (const question of topic.questions) expect(issue!.body).toContain(question.text);
    expect(topic.questions.length).toBeGreaterThanOrEqual(3);
    expect(issue!.body).toContain('Nothing about faxing.');
    expect(fake.requests('POST /repos/acme/docs/issues').every((request) => request.hasToken)).toBe(true);

    // The dashboard's API links the draft from its topic.
    const after = await client.get('/api/maintainers/gaps?days=30', bearer);
    expect(after.body.gaps.find((gap: { id: string }) => gap.id === topic.id).draft).toMatchObject({ status: 'opened', url: issue!.html_url, kind: 'issue' });
    // Nothing the server answered carries the GitHub token.
    expect(JSON.stringify([gaps.body, drafted.body, after.body])).not.toContain(GITHUB_TOKEN);
  });

  it("quotes readers' words inertly in the drafted issue, and drafting the topic again updates that issue instead of opening another", async () => {
    // Issue 54, 1.6: a reader's question and 👎 reason written to make GitHub notify, show an image, offer a link.
    await ask('How to fax transcripts? cc @octocat and @paste-org/docs-team <details><summary>open</summary>x</details>', true, '[Verify](https://evil.example/login) ![x](https://evil.example/p.png) &#64;hubot');
    const client = createClient(server.url);
    const gaps = await client.get('/api/maintainers/gaps?days=30', bearer);
    const topic = (gaps.body.gaps as { id: string; questions: { text: string }[] }[]).find((gap) => gap.questions.some((question) => question.text.includes('@octocat')))!;
    expect(topic).toBeDefined();
    const drafted = await client.request('POST', `/api/maintainers/gaps/${topic.id}/draft`, { json: { target: 'github' }, headers: bearer });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    const issues = fake.openedIssues('acme/docs');
    const issue = issues.find((entry) => entry.html_url === drafted.body.url)!;
    expect(issue).toBeDefined();
    const body = issue.body ?? '';
    // Readers' words are inert as GitHub renders them (issue 67, 1.6): rendered with a GFM renderer, the only links
    // are the nearest sections' (the server's own), and nothing else is live; mentions are masked, shown as code.
    expect(body).toContain('`@[user]`');
    expect(body).not.toMatch(/(^|[^`\w])@octocat/);
    expect(body).toContain('`@paste-org/docs-team`');
    const readers = body.replace(/^- \[[^\n]*\]\(https?:\/\/[^)\s]+\) \(`[^`]+`, \w+\)$/gm, '');
    expect(liveInGithub(readers).live).toEqual([]);
    expect(liveInGithub(issue.title).live).toEqual([]);
    // The reader's link is shown, as code; none is a link.
    expect(body.replace(/`[^`\n]*`/g, '')).not.toContain('](https://evil.example');
    expect(body).toContain('`![x](https://evil.example/p.png)`');

    // Drafted once more: still that one issue, updated, its number kept with the draft.
    const again = await client.request('POST', `/api/maintainers/gaps/${topic.id}/draft`, { json: { target: 'github' }, headers: bearer });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.url).toBe(issue.html_url);
    expect(again.body.draft.issueNumber).toBe(issue.number);
    expect(fake.openedIssues('acme/docs')).toHaveLength(issues.length);
    expect(fake.requests(`PATCH /repos/acme/docs/issues/${issue.number}`)).toHaveLength(1);
  });

  it("keeps a downloaded draft's address without the signed link it was drafted with (issue 54, 2.10)", async () => {
    const link = new URL(buildDashboardUrl({ siteUrl: server.url, secret: SESSION_SECRET, ttlSeconds: 600 }).url);
    const signed = `exp=${link.searchParams.get('exp')}&sig=${link.searchParams.get('sig')}`;
    const client = createClient(server.url);
    const gaps = await client.get(`/api/maintainers/gaps?days=30&${signed}`);
    expect(gaps.status).toBe(200);
    const topic = (gaps.body.gaps as { id: string }[])[0]!;
    const drafted = await client.request('POST', `/api/maintainers/gaps/${topic.id}/draft?${signed}`, { json: { target: 'patch' } });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    // The caller downloads it with their link; what is kept, and shown to the next maintainer, carries no one's.
    expect(drafted.body.url).toContain(signed);
    expect(drafted.body.draft.url).toMatch(new RegExp(`/api/maintainers/gaps/drafts/${drafted.body.draft.id}$`));
    const after = await client.get('/api/maintainers/gaps?days=30', bearer);
    const shown = JSON.stringify(after.body);
    expect(shown).not.toContain(link.searchParams.get('sig')!);
    expect((await client.get(new URL(drafted.body.url).pathname + new URL(drafted.body.url).search)).status).toBe(200);
  });
});

import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { setVoteForCaller } from '@/lib/assistant/votes';
import { listMessagesByThread } from '@/lib/db/messages';
import { createGithubClient } from '@/lib/github/client';
import { isAppError } from '@/lib/errors';
import { draftGapFix, retryGapDraft, type TDraftDeps } from '@/lib/maintainers/gaps/drafts';
import { getGapsView } from '@/lib/maintainers/gaps/topics';
import { readGapsForMaintainers } from '@/lib/maintainers/gaps/view';
import type { TModelClient } from '@/lib/model/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp, FIXTURE_DOCS_DIR } from '../helpers/app';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The gaps end to end on a real database, GitHub faked on 127.0.0.1 (git data, pulls, issues): four readers ask,
// in other words each, what the docs do not cover, and two vote the answer down; one topic groups them; its draft
// is a pull request whose diff applies to the docs folder (with a model) or an issue listing them (offline); GitHub
// failing keeps the draft, says why, and a retry opens it; every route answers 401 without a maintainer; and once
// the change is published and re-indexed, the topic closes with the number of questions now answered.

const TOKEN = 'maintainer-token-for-gaps-0123456789';
const GITHUB_TOKEN = 'ghp_gapsTestToken0123456789';
const OWNER = 'owner_gaps_aaaaaaaaaaaaaa';
const REPO = 'acme/docs';
const QUESTIONS = [
  'How do I export the chat history to a PDF?',
  'Can I export my chat history as a PDF file?',
  'Is there a way to save the chat history as PDF?',
  'Export chat history PDF',
];
const SECTION =
  '## Export the chat history as a PDF\n\nTo export the chat history to a PDF file, open the thread menu and choose **Export chat history (PDF)**. ' +
  'The PDF export saves the whole chat history of the thread.\n';

const apps: TApp[] = [];
let fake: TFakeGithub | undefined;
let server: TTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const app of apps.splice(0)) await app.db.close();
  await fake?.close();
  fake = undefined;
});

function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(files, filesOf(full, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(full, 'utf8');
  }
  return files;
}

/** A model that writes the section (drafts call `complete`), recording what it was asked. */
function writerModel(): TModelClient & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    name: 'writer',
    mode: 'chat',
    prompts,
    async respond() {
      throw new Error('not used by drafts');
    },
    async complete({ prompt, context }) {
      prompts.push(`${prompt}\n${context ?? ''}`);
      return { text: `Here is the section:\n\n${SECTION}` };
    },
  };
}

/** What GitHub's copy of a page says at its top and the local DOCS_DIR copy does not: pushed since the last deploy. */
const EDITED_ON_GITHUB = '{/* Edited on GitHub since the site was deployed. */}\n';
const editedOnGithub = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([file, text]) => [file, `${EDITED_ON_GITHUB}${text}`]));

async function setup({ docsDir = FIXTURE_DOCS_DIR }: { docsDir?: string } = {}) {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {}, git: { branch: 'main', files: prefixed(editedOnGithub(filesOf(docsDir))) } } } });
  const app = await createTestApp({
    env: { MAINTAINER_TOKEN: TOKEN, DOCS_DIR: docsDir, DOCS_REPO: REPO, DOCS_REPO_PATH: 'content/docs', DOCS_REPO_BRANCH: 'main', GITHUB_TOKEN, GITHUB_API_URL: fake.url },
  });
  apps.push(app);
  // The same kind of client as the app's, with GitHub's waits shortened for the faults.
  const github = createGithubClient({ apiUrl: fake.url, token: GITHUB_TOKEN, log: app.log, retryAfterBaseMs: 5, retries: 1 });
  return { app, deps: (model: TModelClient = app.model): TDraftDeps => ({ ...app, model, docsRepoGithub: github }) };
}

const prefixed = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([file, text]) => [`content/docs/${file}`, text]));

/** Four readers ask (the offline model: the docs do not cover it); two vote their answers down with a reason. */
async function askFour(app: TApp) {
  for (const [index, question] of QUESTIONS.entries()) {
    const owner = `${OWNER}${index}`;
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner });
    const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner, threadId: thread.id, text: question });
    expect(run.status).toBe('completed');
    if (index < 2) {
      const answer = (await listMessagesByThread({ db: app.db, owner, threadId: thread.id, order: 'asc', limit: 10 })).data.find((message) => message.role === 'assistant');
      await setVoteForCaller({ deps: app, owner, threadId: thread.id, messageId: answer!.id, vote: 'down', reason: index === 0 ? 'Nothing about PDF export.' : undefined });
    }
  }
}

describe('topics', () => {
  it('groups four differently worded uncovered questions, two voted down, into one topic with its counts, trend and nearest sections', async () => {
    const { app } = await setup();
    await askFour(app);
    const view = await getGapsView({ deps: app, days: 30 });
    const topic = view.gaps[0]!;
    expect(topic.count).toBeGreaterThanOrEqual(3);
    expect(topic.id).toMatch(/^gap_[0-9a-f]{16}$/);
    expect(topic.counts.voted_down).toBe(2);
    expect(topic.counts.not_covered).toBeGreaterThanOrEqual(3);
    expect(topic.trend).toEqual({ previous: 0, change: topic.count, direction: 'new' });
    expect(new Set(topic.questions.map((question) => question.text)).size).toBe(topic.count);
    expect(topic.questions.some((question) => question.reason === 'Nothing about PDF export.')).toBe(true);
    expect(Array.isArray(topic.nearest)).toBe(true);
    // The same data, read again: the same topic id.
    expect((await getGapsView({ deps: app, days: 30 })).gaps[0]!.id).toBe(topic.id);
  });
});

describe('routes', () => {
  it('answer 401 without a maintainer, 400 for a bad period, 405 for another method, and the topics with the token', async () => {
    const { app } = await setup();
    server = await startTestServer(app);
    const client = createClient(server.url);
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const postAs = (route: string, json: unknown) => client.request('POST', route, { json, headers: bearer });
    expect((await client.get('/api/maintainers/gaps?days=30')).status).toBe(401);
    expect((await client.post('/api/maintainers/gaps/gap_0123456789abcdef/draft', { target: 'patch' })).status).toBe(401);
    expect((await client.get('/api/maintainers/gaps/drafts/1')).status).toBe(401);
    expect((await client.post('/api/maintainers/gaps/drafts/1', {})).status).toBe(401);
    expect((await client.get('/api/maintainers/gaps?days=30', { authorization: 'Bearer not-the-token-not-the-token' })).status).toBe(401);
    expect((await client.get('/api/maintainers/gaps?days=abc', bearer)).status).toBe(400);
    expect((await client.request('PUT', '/api/maintainers/gaps?days=30', { json: {}, headers: bearer })).status).toBe(405);
    await askFour(app);
    const response = await client.get('/api/maintainers/gaps?days=30', bearer);
    expect(response.status).toBe(200);
    const gap = response.body.gaps[0];
    expect(Object.keys(gap)).toEqual(expect.arrayContaining(['id', 'topic', 'questions', 'count', 'trend', 'nearest']));
    expect(gap.count).toBeGreaterThanOrEqual(3);
    const missing = await postAs('/api/maintainers/gaps/gap_0123456789abcdef/draft', { target: 'patch' });
    expect(missing.status).toBe(404);
    const patch = await postAs(`/api/maintainers/gaps/${gap.id}/draft`, { target: 'patch' });
    expect(patch.status).toBe(200);
    const download = await client.get(new URL(patch.body.url).pathname, bearer);
    expect(download.status).toBe(200);
    for (const question of gap.questions) expect(JSON.stringify(download.body)).toContain(question.text);
  });
});

describe('drafts', () => {
  it("with a model: a pull request on GitHub through the git data API, whose diff is applied to the page as it is in DOCS_REPO's branch", async () => {
    const { app, deps } = await setup();
    await askFour(app);
    const topic = (await getGapsView({ deps: app, days: 30 })).gaps[0]!;
    const model = writerModel();
    const { url, draft } = await draftGapFix({ deps: deps(model), topicId: topic.id, request: { target: 'github' }, downloadUrl: () => 'unused' });
    expect(draft).toMatchObject({ kind: 'pull', status: 'opened', url, topicId: topic.id, error: null });
    expect(url).toMatch(new RegExp(`^${fake!.url.replace(/[.]/g, '\\.')}/acme/docs/pull/\\d+$`));
    // Grounded: the model was given the readers' questions and what they said was missing.
    for (const question of topic.questions) expect(model.prompts[0]).toContain(question.text);
    expect(model.prompts[0]).toContain('Nothing about PDF export.');
    // The diff applies to the page in the docs folder (a patch to download), and the pull request's branch holds the
    // page as GitHub has it (its own edit kept) with the diff applied: never the local copy pushed over GitHub's.
    expect(draft.diff).not.toContain('--- /dev/null');
    const local = readFileSync(path.join(FIXTURE_DOCS_DIR, draft.pagePath!), 'utf8');
    expect(applyPatch(local, draft.diff!)).toContain('## Export the chat history as a PDF');
    const before = fake!.fileAt(REPO, 'main', `content/docs/${draft.pagePath}`)!;
    expect(before.startsWith(EDITED_ON_GITHUB)).toBe(true);
    const after = applyPatch(before, draft.diff!);
    expect(after).not.toBe(false);
    expect(after).toContain('## Export the chat history as a PDF');
    expect(fake!.fileAt(REPO, `docs-gap/${draft.id}`, `content/docs/${draft.pagePath}`)).toBe(after);
    expect(fake!.requests('GET /repos/acme/docs/git/blobs/').length).toBe(1);
    const [pull] = fake!.pullRequests(REPO);
    expect(pull).toMatchObject({ head: `docs-gap/${draft.id}`, base: 'main', html_url: url });
    for (const question of topic.questions) expect(pull!.body).toContain(question.text);
    expect(fake!.requests('POST /repos/acme/docs/git/').every((request) => request.hasToken)).toBe(true);
  });

  it('offline: an issue listing the questions, what readers said was missing, and the nearest sections', async () => {
    const { app, deps } = await setup();
    await askFour(app);
    const topic = (await getGapsView({ deps: app, days: 30 })).gaps[0]!;
    const { url, draft } = await draftGapFix({ deps: deps(), topicId: topic.id, request: { target: 'github' }, downloadUrl: () => 'unused' });
    expect(draft).toMatchObject({ kind: 'issue', status: 'opened', diff: null });
    const [issue] = fake!.openedIssues(REPO);
    expect(issue!.html_url).toBe(url);
    for (const question of topic.questions) expect(issue!.body).toContain(question.text);
    expect(issue!.body).toContain('What readers said was missing');
    expect(issue!.body).toContain('Nothing about PDF export.');
    expect(issue!.body).toContain('Nearest docs sections');
    expect(fake!.pullRequests(REPO)).toHaveLength(0);
  });

  it('keeps the draft when GitHub fails, says why on the dashboard, and a retry opens it', async () => {
    const { app, deps } = await setup();
    await askFour(app);
    const topic = (await getGapsView({ deps: app, days: 30 })).gaps[0]!;
    // Both tries of the first attempt (the client retries a 5xx once here) meet a 502.
    fake!.serverError({ match: 'POST /repos/acme/docs/pulls', times: 2, status: 502 });
    const failure = await draftGapFix({ deps: deps(writerModel()), topicId: topic.id, request: { target: 'github' }, downloadUrl: () => 'unused' }).catch((error: unknown) => error);
    expect(isAppError(failure) && failure.code).toBe('unavailable');
    const shown = (await getGapsView({ deps: app, days: 30 })).gaps.find((gap) => gap.id === topic.id)!;
    expect(shown.draft).toMatchObject({ status: 'failed', kind: 'pull', url: null, attempts: 1 });
    expect(shown.draft!.error).toMatch(/GitHub answered 502/);
    expect(fake!.pullRequests(REPO)).toHaveLength(0);

    // The retry: the branch made by the first attempt is moved (422 "Reference already exists", then PATCH).
    const retried = await retryGapDraft({ deps: deps(), id: shown.draft!.id });
    expect(fake!.requests('PATCH /repos/acme/docs/git/refs/').length).toBe(1);
    expect(retried.url).toMatch(/\/pull\/\d+$/);
    const opened = (await getGapsView({ deps: app, days: 30 })).gaps.find((gap) => gap.id === topic.id)!.draft!;
    expect(opened).toMatchObject({ status: 'opened', error: null });
    expect(opened.attempts).toBeGreaterThanOrEqual(2);
    expect(fake!.pullRequests(REPO)).toHaveLength(1);
    expect(fake!.pullRequests(REPO)[0]!.html_url).toBe(opened.url);
  });

  it('when the page on GitHub moved on, the draft says so (kept, failed, with the reason) and no pull request is opened', async () => {
    const { app, deps } = await setup();
    await askFour(app);
    const topic = (await getGapsView({ deps: app, days: 30 })).gaps[0]!;
    const model = writerModel();
    // A first attempt fails at GitHub, so that the draft (and its page) is known before the page changes there.
    fake!.serverError({ match: 'POST /repos/acme/docs/pulls', times: 2, status: 502 });
    const first = await draftGapFix({ deps: deps(model), topicId: topic.id, request: { target: 'github' }, downloadUrl: () => 'unused' }).catch((error: unknown) => error);
    expect(isAppError(first) && first.code).toBe('unavailable');
    const kept = (await getGapsView({ deps: app, days: 30 })).gaps.find((gap) => gap.id === topic.id)!.draft!;
    const file = `content/docs/${kept.pagePath}`;
    // A maintainer rewrites the page's end on the base branch: the drafted hunk's context is gone.
    const current = fake!.fileAt(REPO, 'main', file)!;
    const lines = current.trimEnd().split('\n');
    fake!.commitFile(REPO, 'main', file, `${lines.slice(0, -3).join('\n')}\n\nRewritten on GitHub: the last lines are not what they were.\n`);
    const refsBefore = fake!.requests('POST /repos/acme/docs/git/refs').length + fake!.requests('PATCH /repos/acme/docs/git/refs/').length;

    const stale = await retryGapDraft({ deps: deps(), id: kept.id }).catch((error: unknown) => error);
    expect(isAppError(stale) && stale.code).toBe('conflict');
    expect(isAppError(stale) && stale.message).toMatch(/no longer applies to content\/docs\/.+ as it is on acme\/docs@main/);
    const shown = (await getGapsView({ deps: app, days: 30 })).gaps.find((gap) => gap.id === topic.id)!.draft!;
    expect(shown).toMatchObject({ id: kept.id, status: 'failed', url: null, attempts: 2 });
    expect(shown.error).toMatch(/no longer applies to content\/docs\/.+ as it is on acme\/docs@main/);
    // Nothing was written for it: no pull request, the branch not moved, the page on main as the maintainer left it.
    expect(fake!.pullRequests(REPO)).toHaveLength(0);
    expect(fake!.requests('POST /repos/acme/docs/git/refs').length + fake!.requests('PATCH /repos/acme/docs/git/refs/').length).toBe(refsBefore);
    expect(fake!.fileAt(REPO, 'main', file)).toContain('Rewritten on GitHub');

    // The page deleted on GitHub: said so too.
    fake!.commitFile(REPO, 'main', file, null);
    const gone = await retryGapDraft({ deps: deps(), id: kept.id }).catch((error: unknown) => error);
    expect(isAppError(gone) && gone.code).toBe('conflict');
    expect((await getGapsView({ deps: app, days: 30 })).gaps.find((gap) => gap.id === topic.id)!.draft!.error).toMatch(/GitHub has no content\/docs\/.+ on acme\/docs@main/);
  });
});

describe('closed gaps', () => {
  it('once the change is published and re-indexed, the topic’s questions find the page and the topic closes', async () => {
    const docsDir = makeTempDir('pa-gaps-docs-');
    cpSync(FIXTURE_DOCS_DIR, docsDir, { recursive: true });
    const { app, deps } = await setup({ docsDir });
    await askFour(app);
    const topic = (await getGapsView({ deps: app, days: 30 })).gaps[0]!;
    const { draft } = await draftGapFix({ deps: deps(writerModel()), topicId: topic.id, request: { target: 'patch' }, downloadUrl: (id) => `http://docs.test/${id}` });
    expect(draft.status).toBe('opened');
    // Nothing published yet: the topic stays open.
    expect((await readGapsForMaintainers({ deps: app, days: 30 })).closed).toHaveLength(0);
    // Published: the diff applied to the docs folder, then re-indexed.
    const file = path.join(docsDir, draft.pagePath!);
    const before = draft.diff!.includes('--- /dev/null') ? '' : readFileSync(file, 'utf8');
    writeFileSync(file, applyPatch(before, draft.diff!) as string);
    app.docsReindex.start();
    await app.docsReindex.idle();
    const view = await readGapsForMaintainers({ deps: app, days: 30 });
    expect(view.closed).toHaveLength(1);
    expect(view.closed[0]).toMatchObject({ id: draft.id, topicId: topic.id });
    expect(view.closed[0]!.answered).toBeGreaterThanOrEqual(Math.ceil(topic.questions.length / 2));
    expect(Date.parse(view.closed[0]!.closedAt!)).not.toBeNaN();
  });
});

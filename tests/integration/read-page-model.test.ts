import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer, type TSearchResult } from '../helpers/chat-server';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// read_page on the model path (issue 68, item 4): a model behind OPENAI_BASE_URL (a Chat Completions server on
// 127.0.0.1, a real socket) is offered the site's tools, calls read_page with the page the reader named, and answers
// citing the sections it read; the answer's citations point at that page. A private page read for a signed-out reader
// comes back as "not found", as a missing one does, and nothing of it reaches the model or the answer.

let model: TChatServer;
let app: TApp;
let api: TTestServer;

/** The model's answer: a link to each section of the page it read that has a heading. */
const citeSections = (results: TSearchResult[]) => {
  const sections = results.filter((result) => result.heading !== '');
  return sections.length > 0 ? `The page covers ${sections.map((result) => `[${result.heading}](${result.url})`).join(' and ')}.` : 'The docs do not cover that; ask the maintainers.';
};

beforeAll(async () => {
  model = await startChatServer({
    // The reader names a page; the model reads it.
    call: (question) => ({ name: 'read_page', arguments: JSON.stringify({ url: /\/docs\/\S+/.exec(question)?.[0] ?? question }) }),
    answer: citeSections,
  });
  const dir = makeTempDir('read-page-model-');
  mkdirSync(path.join(dir, 'guides'));
  mkdirSync(path.join(dir, 'internal'));
  writeFileSync(path.join(dir, 'guides/slack.md'), '---\ntitle: Slack\n---\n\n## Setup\n\nCreate a Slack app for your workspace.\n\n## Troubleshooting\n\nA 401 means the token was revoked.\n');
  writeFileSync(path.join(dir, 'internal/runbook.md'), '---\ntitle: Runbook\n---\n\n## Paging\n\nPage the wombatron rotation through the zorbix pager.\n');
  app = await createTestApp({ env: { DOCS_DIR: dir, DOCS_AUDIENCES: 'staff=internal/**', OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model', OPENAI_RETRY_BASE_MS: '1' } });
  api = await startTestServer(app);
});

afterAll(async () => {
  await api?.close();
  await app?.db.close();
  await model?.close();
  setApp(undefined);
});

/** Asks in a new thread as a signed-out reader; the run's requests to the model, and the stored answer. */
async function ask(question: string) {
  const client = createClient(api.url);
  const before = model.requests.length;
  const thread = (await client.post('/api/paste-assistant-thread')).body;
  const sent = await client.post('/api/paste-assistant-message', { threadId: thread.id, message: question });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  const messages = (await client.get(`/api/paste-assistant-messages/${thread.id}`)).body.data;
  const requests = model.requests.slice(before).filter((request) => request.body.tools);
  return { requests, answer: messages[1].content[0].text as { value: string; annotations: { type: string; url: string; title: string; start_index: number; end_index: number }[] } };
}

/** The tool's output as the model received it in the run's second request. */
const toolOutputOf = (requests: Awaited<ReturnType<typeof ask>>['requests']) => {
  const last = requests[1]?.body.messages.at(-1);
  expect(last?.role).toBe('tool');
  return last.content as string;
};

describe('read_page on the model path', () => {
  it('is offered to the model, called, and its sections cited: the citations point at the page read', async () => {
    const { requests, answer } = await ask('What does /docs/guides/slack say?');
    expect(requests).toHaveLength(2);
    // No code source is configured: read_file, which could only answer "not indexed", is not offered.
    expect(requests[0]!.body.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(['get_relevant_docs', 'read_page']);
    // Only the wire fields go to the model: a tool's declaration stays on the server.
    expect(requests[0]!.body.tools[1]).toEqual({ type: 'function', function: { name: 'read_page', description: expect.stringContaining('Read one page'), parameters: expect.any(Object) } });
    const call = requests[1]!.body.messages.at(-2).tool_calls[0];
    expect(call.function).toEqual({ name: 'read_page', arguments: '{"url":"/docs/guides/slack"}' });
    const output = JSON.parse(toolOutputOf(requests));
    expect(output.results.map((result: { url: string }) => result.url)).toEqual(['/docs/guides/slack#setup', '/docs/guides/slack#troubleshooting']);

    const setup = '[Setup](/docs/guides/slack#setup)';
    const troubleshooting = '[Troubleshooting](/docs/guides/slack#troubleshooting)';
    expect(answer.value).toBe(`The page covers ${setup} and ${troubleshooting}.`);
    expect(answer.annotations).toEqual([
      { type: 'url_citation', url: '/docs/guides/slack#setup', title: 'Slack › Setup', start_index: answer.value.indexOf(setup), end_index: answer.value.indexOf(setup) + setup.length },
      {
        type: 'url_citation',
        url: '/docs/guides/slack#troubleshooting',
        title: 'Slack › Troubleshooting',
        start_index: answer.value.indexOf(troubleshooting),
        end_index: answer.value.indexOf(troubleshooting) + troubleshooting.length,
      },
    ]);
  });

  it("reads a private page for a signed-out reader as not found, as a missing page, and nothing of it reaches the model or the answer", async () => {
    const hidden = await ask('What does /docs/internal/runbook say?');
    const missing = await ask('What does /docs/internal/nothing say?');
    const hiddenOutput = toolOutputOf(hidden.requests);
    expect(JSON.parse(hiddenOutput)).toEqual({ error: expect.stringContaining('No page at "/docs/internal/runbook"') });
    expect(hiddenOutput.replace('/docs/internal/runbook', '<url>')).toBe(toolOutputOf(missing.requests).replace('/docs/internal/nothing', '<url>'));
    expect(hidden.answer).toEqual({ value: 'The docs do not cover that; ask the maintainers.', annotations: [] });
    expect(JSON.stringify(hidden.requests.map((request) => request.body))).not.toMatch(/wombatron|zorbix|Runbook|Paging/);
  });
});

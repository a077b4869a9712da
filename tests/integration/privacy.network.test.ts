import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { askDocs } from '@/lib/mcp/ask';
import { answer, docsCall, responsesDialect, scriptModel, toolCalls } from '../helpers/openai';
import { createSession, onlyLocalUnhandled, startInstances, type TInstances } from '../helpers/instances';
import { waitUntil } from '../helpers/models';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';
import { querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Personal data end to end: a reader pastes an email address, a phone number, an API key and a card number.
// The database row, every request to the model (OpenAI played by msw), the moderation request, the docs
// query log, the run's tool calls and every Slack post (msw) hold only the masks. With PII_MASKING=off the
// text is stored as typed (so the masking above is what made the difference).

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415 555 0100';
const KEY = `sk-proj-${'Zk9xT3pBcWx2R0s3bVhZc1dlMnJQdUg4amNOMUZ5dEs'}`;
const CARD = '4111 1111 1111 1111';
const SECRETS = [EMAIL, PHONE, KEY, CARD, '4111111111111111', 'jane.doe'];
const QUESTION = `My key ${KEY} fails. Email ${EMAIL} or call ${PHONE}; billing card ${CARD}. How do I configure Slack?`;
const MASKED = 'My key [secret removed] fails. Email [email removed] or call [phone number removed]; billing card [card number removed]. How do I configure Slack?';

const MODERATIONS_URL = 'https://api.openai.com/v1/moderations';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterAll(() => server.close());

function expectNoSecret(label: string, value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of SECRETS) expect(text, `${label} holds ${secret}`).not.toContain(secret);
}

describe.each(['on', 'off'] as const)('PII_MASKING=%s', (masking) => {
  let instances: TInstances;
  let slack: TFakeSlack;
  let model: ReturnType<typeof scriptModel>;
  const moderationInputs: string[] = [];
  const embeddedQueries: string[] = [];

  beforeAll(async () => {
    slack = createFakeSlack();
    // A model that echoes what it saw into its search (as a model may), then answers.
    model = scriptModel(responsesDialect, [
      (body) => (Array.isArray(body.tools) && body.tools.length > 0 ? toolCalls(docsCall(`slack setup for ${EMAIL}`, 'call_1')) : answer('Slack setup help')),
      (body) => (Array.isArray(body.tools) && body.tools.length > 0 ? answer('Set SLACK_BOT_TOKEN and SLACK_CHANNEL_ID.') : answer('Slack setup help')),
    ]);
    server.use(
      slack.handler,
      model.handler,
      // Docs sections are embedded at start (many inputs); a search query alone (one input) is reader text.
      http.post('https://api.openai.com/v1/embeddings', async ({ request }) => {
        const body = (await request.json()) as { model: string; input: string[] };
        if (body.input.length === 1) embeddedQueries.push(body.input[0]!);
        return HttpResponse.json({
          object: 'list',
          model: body.model,
          data: body.input.map((_text, index) => ({ object: 'embedding', index, embedding: [1, 0.5, 0.25] })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }),
      http.post(MODERATIONS_URL, async ({ request }) => {
        moderationInputs.push(((await request.json()) as { input: string }).input);
        return HttpResponse.json({ id: 'modr_1', model: 'omni-moderation-latest', results: [{ flagged: false, categories: {}, category_scores: {} }] });
      }),
    );
    instances = await startInstances({
      count: 1,
      env: { ...SLACK_ENV, ...responsesDialect.env, MODERATION: 'auto', OPENAI_MAX_RETRIES: '0', PII_MASKING: masking },
    });
  });
  afterAll(async () => {
    server.resetHandlers();
    await instances.close();
  });

  it(masking === 'on' ? 'the DB row, the model, moderation, search, tool calls and Slack see only masks' : 'stores the text as typed', async () => {
    const [base] = instances.urls as [string];
    const app = instances.apps[0]!;
    const reader = createSession({ origin: base });
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id as string;
    const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: QUESTION });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    // The client names the thread from the question, as the UI does.
    const title = await reader.post(base, '/api/paste-assistant-simple-completion', { prompt: 'Title this', context: QUESTION });
    expect(title.status).toBe(200);
    const renamed = await reader.request(base, 'PUT', `/api/paste-assistant-thread/${threadId}`, { json: { metadata: { threadTitle: `Help for ${EMAIL}` } } });
    expect(renamed.status).toBe(200);

    const messages = (await reader.get(base, `/api/paste-assistant-messages/${threadId}`)).body.data;
    const question = messages.find((message: { role: string }) => message.role === 'user');
    await waitUntil(async () => {
      await app.reviewChannel.deliverOutboxOnce();
      return (await getSlackOutboxStats({ db: app.db })).pending === 0;
    }, 15_000);
    const rows = await querySql<{ content: unknown; metadata: unknown }>(app.db, "select content, metadata from assistant_message where role = 'user'");
    const runs = await querySql<{ tool_rounds: unknown }>(app.db, 'select tool_rounds from assistant_run');
    const queries = await querySql<{ query: string }>(app.db, 'select query from docs_query');

    if (masking === 'off') {
      expect(question.content[0].text.value).toBe(QUESTION);
      expect(question.metadata.pii_removed).toBeUndefined();
      expect(JSON.stringify(model.requests.map((request) => request.body))).toContain(KEY);
      expect(renamed.body.metadata.threadTitle).toBe(`Help for ${EMAIL}`);
      expect(embeddedQueries).toContain(`slack setup for ${EMAIL}`);
      return;
    }
    // What the reader sees: their message as stored, and what was removed (the UI's note reads it).
    expect(question.content[0].text.value).toBe(MASKED);
    expect(question.metadata.pii_removed).toBe('email,phone,card,secret');
    expect(renamed.body.metadata.threadTitle).toBe('Help for [email removed]');
    expect(rows.rows).toHaveLength(1);
    expectNoSecret('the database row', rows.rows);
    expect(model.requests.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(model.requests.map((request) => request.body))).toContain('[card number removed]');
    model.requests.forEach((request, index) => expectNoSecret(`model request ${index}`, request.body));
    expect(moderationInputs).toContain(MASKED);
    expectNoSecret('moderation', moderationInputs);
    expectNoSecret('the run’s tool calls', runs.rows);
    expect(queries.rows.map((row) => row.query)).toContain('slack setup for [email removed]');
    expectNoSecret('the docs query log', queries.rows);
    // Searched (and embedded) without the masks' own words; recorded masked.
    expect(embeddedQueries).toEqual(['slack setup for']);
    const posts = slack.delivered();
    expect(posts.some((post) => post.text?.includes('[secret removed]'))).toBe(true);
    posts.forEach((post, index) => expectNoSecret(`Slack post ${index}`, post.params));
  });

  it(`MCP ask_docs ${masking === 'on' ? 'masks' : 'keeps'} the question and the thread title it makes`, async () => {
    const app = instances.apps[0]!;
    const owner = 'owner_mcp_privacy_000000';
    const asked = await askDocs({ access: PUBLIC_ACCESS, deps: app, owner, client: { sessionId: owner, ip: '127.0.0.1' }, question: QUESTION });
    const threads = await querySql<{ metadata: unknown }>(app.db, 'select metadata from assistant_thread where id = $1', [asked.threadId]);
    const stored = await querySql<{ content: unknown }>(app.db, "select content from assistant_message where thread_id = $1 and role = 'user'", [asked.threadId]);
    if (masking === 'off') {
      expect(JSON.stringify(stored.rows)).toContain(KEY);
      return;
    }
    expect(JSON.stringify(stored.rows)).toContain('[card number removed]');
    expectNoSecret('the MCP question', stored.rows);
    expectNoSecret('the MCP thread title', threads.rows);
  });
});

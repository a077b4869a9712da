import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';

// read_page (issue 68, item 4) on `next start`: the tier's fake model (Chat Completions on 127.0.0.1), asked with
// [[model:read:URL]], calls read_page with URL and answers citing a section it read. A signed-out reader's read of
// the public Slack guide is cited from that page; a read of the canary page (DOCS_AUDIENCES='staff=guides/discord.mdx',
// canary word Ed25519) comes back to the model as "not found", word for word as a missing page's, and the answer
// cites nothing; a reader whose token grants `staff` reads it.

const CANARY = 'Ed25519';
let server: TNextServer;

beforeAll(async () => {
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-read-page-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: inject('modelControlUrl').replace(/\/__control$/, '/v1'),
      OPENAI_API_STYLE: 'chat',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-read-page-session-secret-0123456789',
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      DOCS_AUDIENCES: 'staff=guides/discord.mdx',
      READER_TOKEN_SECRET,
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
    },
  });
});

afterAll(async () => {
  await server?.stop();
});

type TAnswer = { value: string; annotations: { type: string; url: string; title: string }[] };
type TRecorded = { question: string; kind: string; toolOutput: string };

/** A reader with one session cookie, as a browser; asks a question in a new thread and reads the answer. */
function reader() {
  let cookie = '';
  const request = async (route: string, json?: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? cookie;
    return { status: response.status, text: await response.text() };
  };
  return {
    request,
    async ask(question: string): Promise<{ answer: TAnswer; toolOutput: string }> {
      const thread = JSON.parse((await request('/api/paste-assistant-thread', {})).text) as { id: string };
      const sent = await request('/api/paste-assistant-message', { threadId: thread.id, message: question });
      expect(sent.status, sent.text).toBe(200);
      expect(JSON.parse(sent.text).run.status).toBe('completed');
      const messages = JSON.parse((await request(`/api/paste-assistant-messages/${thread.id}`)).text) as { data: { role: string; content: { text: TAnswer }[] }[] };
      const answer = messages.data.find((message) => message.role === 'assistant')!.content[0]!.text;
      // What the model was given: the tool output of the answer request for this question.
      const { requests } = (await (await fetch(`${inject('modelControlUrl')}/requests`)).json()) as { requests: TRecorded[] };
      const toolOutput = requests.filter((recorded) => recorded.question === question && recorded.kind === 'answer').at(-1)?.toolOutput ?? '';
      return { answer, toolOutput };
    },
  };
}

describe('read_page on next start', () => {
  it('reads a public page for a signed-out reader, and the answer cites the page it read', async () => {
    const { answer, toolOutput } = await reader().ask('What does the Slack guide say? [[model:read:/docs/guides/slack]]');
    const output = JSON.parse(toolOutput) as { url: string; results: { url: string }[] };
    expect(output.url).toBe('/docs/guides/slack');
    expect(output.results.length).toBeGreaterThan(3);
    expect(output.results.every((result) => result.url.startsWith('/docs/guides/slack'))).toBe(true);
    expect(answer.value).toMatch(/^The docs explain this in \[[^\]]+\]\(\/docs\/guides\/slack#[^)]+\)\.$/);
    expect(answer.annotations).toEqual([expect.objectContaining({ type: 'url_citation', url: expect.stringMatching(/^\/docs\/guides\/slack#/), title: expect.stringMatching(/^Slack/) })]);
  });

  it('answers the canary page read by a signed-out reader as a missing one, and a staff reader reads it', async () => {
    const outsider = reader();
    const hidden = await outsider.ask('What does the Discord guide say? [[model:read:/docs/guides/discord]]');
    const missing = await outsider.ask('What does the Discord guide say? [[model:read:/docs/guides/discrod]]');
    expect(JSON.parse(hidden.toolOutput)).toEqual({ error: expect.stringContaining('No page at "/docs/guides/discord"') });
    expect(hidden.toolOutput.replace('/docs/guides/discord', '<url>')).toBe(missing.toolOutput.replace('/docs/guides/discrod', '<url>'));
    expect(hidden.answer).toEqual({ value: 'The docs do not cover that.', annotations: [] });
    expect(JSON.stringify(hidden)).not.toContain(CANARY);

    const staff = reader();
    const signedIn = await staff.request('/api/reader/session', { token: await signReaderToken({ audiences: ['staff'] }) });
    expect(signedIn.status, signedIn.text).toBe(200);
    const read = await staff.ask('What does the Discord guide say, for staff? [[model:read:/docs/guides/discord]]');
    expect(read.toolOutput).toContain(CANARY);
    expect(read.answer.annotations[0]?.url).toMatch(/^\/docs\/guides\/discord#/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer, type TSearchResult } from '../helpers/chat-server';
import { CODE_STAFF_RULE, INTERNAL_FILE, makeCodeCheckout, TOASTER_FILE, waitForCode } from '../helpers/code-checkout';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// read_file on the model path (issue 70, item 3): a model behind OPENAI_BASE_URL (Chat Completions on 127.0.0.1, a
// real socket) calls read_file with the arguments the reader's question spells out, and answers citing the lines it
// read by their `cite` (path:line) and URL. The checkout has no web address, so the URLs are the site's source page.
// A file the reader may not read comes back "not found", word for word as a missing one, and nothing of it reaches
// the model or the answer.

let model: TChatServer;
let app: TApp;
let api: TTestServer;
const PAGE = `/docs/source/widgets/${TOASTER_FILE}`;

type TCodeResult = TSearchResult & { cite?: string; file?: string; content?: string; kind?: string };

beforeAll(async () => {
  model = await startChatServer({
    // The question ends with the call's arguments, as JSON.
    call: (question) => ({ name: 'read_file', arguments: question.slice(question.indexOf('{')) }),
    answer: (results) => {
      const code = results as TCodeResult[];
      return code.length > 0 ? `It is set in ${code.map((result) => `[\`${result.cite}\`](${result.url})`).join(' and ')}.` : 'The code does not say.';
    },
  });
  app = await createTestApp({
    env: { DOCS_CODE_DIR: makeCodeCheckout(), DOCS_AUDIENCES: CODE_STAFF_RULE, OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model', OPENAI_RETRY_BASE_MS: '1' },
  });
  await waitForCode(app.db);
  api = await startTestServer(app);
});

afterAll(async () => {
  await api?.close();
  await app?.db.close();
  await model?.close();
  setApp(undefined);
});

/** Asks in a new thread as a signed-out reader; the run's requests to the model, the tool's output and the answer. */
async function ask(question: string) {
  const client = createClient(api.url);
  const before = model.requests.length;
  const thread = (await client.post('/api/paste-assistant-thread')).body;
  const sent = await client.post('/api/paste-assistant-message', { threadId: thread.id, message: question });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  const messages = (await client.get(`/api/paste-assistant-messages/${thread.id}`)).body.data;
  const requests = model.requests.slice(before).filter((request) => request.body.tools);
  const last = requests[1]?.body.messages.at(-1);
  expect(last?.role).toBe('tool');
  return { requests, output: last.content as string, answer: messages[1].content[0].text as { value: string; annotations: { url: string }[] } };
}

describe('read_file on the model path', () => {
  it("reads around a symbol, each symbol's lines numbered with its path:line and a URL to them, and the answer cites them", async () => {
    const { requests, output, answer } = await ask(`Where is the toast's dismissal set? {"file": "${TOASTER_FILE}", "symbol": "useToaster"}`);
    // A code source is configured (DOCS_CODE_DIR): read_file is offered beside the search and the page read.
    expect(requests[0]!.body.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(['get_relevant_docs', 'read_page', 'read_file']);
    const read = JSON.parse(output) as { file: string; url: string; lines: string; results: TCodeResult[] };
    expect(read.file).toBe(TOASTER_FILE);
    expect(read.url).toBe(PAGE);
    // The hook (lines 6–14) and three lines around it: the constant's lines before it are read too.
    expect(read.results.map((result) => [result.heading, result.cite, result.url])).toEqual([
      ['DEFAULT_DISMISS_AFTER', `${TOASTER_FILE}:3`, `${PAGE}#L3-L4`],
      ['useToaster', `${TOASTER_FILE}:6`, `${PAGE}#L6-L14`],
    ]);
    expect(read.results[1]!.content).toContain('11      window.setTimeout(pop, dismissAfter, id);');
    expect(read.results[1]!.content!.startsWith('```ts\n')).toBe(true);
    expect(answer.value).toBe(`It is set in [\`${TOASTER_FILE}:3\`](${PAGE}#L3-L4) and [\`${TOASTER_FILE}:6\`](${PAGE}#L6-L14).`);
    expect(answer.annotations.map((annotation) => annotation.url)).toEqual([`${PAGE}#L3-L4`, `${PAGE}#L6-L14`]);
  });

  it('reads the lines a URL opens, and the answer keeps its link to those lines', async () => {
    const { output, answer } = await ask(`What does push do? {"file": "${PAGE}#L9-L12"}`);
    const read = JSON.parse(output) as { lines: string; results: TCodeResult[] };
    expect(read.lines).toBe('9-12');
    expect(read.results).toEqual([expect.objectContaining({ kind: 'code', file: TOASTER_FILE, cite: `${TOASTER_FILE}:9`, url: `${PAGE}#L9-L12` })]);
    expect(read.results[0]!.content!.split('\n')).toHaveLength(6);
    expect(answer.value).toBe(`It is set in [\`${TOASTER_FILE}:9\`](${PAGE}#L9-L12).`);
  });

  it('names the symbols of the file when the one asked for is not there', async () => {
    const { output } = await ask(`Show me. {"file": "useToaster.ts", "symbol": "useSnackbar"}`);
    expect(JSON.parse(output)).toEqual({ error: expect.stringContaining('has no symbol "useSnackbar". Its symbols: imports, DEFAULT_DISMISS_AFTER, useToaster.') });
  });

  it("reads a file the reader may not read as not found, as a missing one, and nothing of it reaches the model or the answer", async () => {
    const hidden = await ask(`What pages? {"file": "${INTERNAL_FILE}", "symbol": "pageWombatron"}`);
    const missing = await ask(`What pages? {"file": "src/internal/pagr.ts", "symbol": "pageWombatron"}`);
    expect(JSON.parse(hidden.output)).toEqual({ error: expect.stringContaining(`No source file at "${INTERNAL_FILE}"`) });
    expect(hidden.output.replace(INTERNAL_FILE, '<file>')).toBe(missing.output.replace('src/internal/pagr.ts', '<file>'));
    expect(hidden.answer.value).toBe('The code does not say.');
    const sent = JSON.stringify(hidden.requests.map((request) => request.body));
    expect(sent).not.toMatch(/wombatron rotation|zorbix/);
  });
});

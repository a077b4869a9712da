import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { sourceKindText } from '@/lib/chat-doors/render';
import { getHealth } from '@/lib/health';
import { createLogger } from '@/lib/log';
import { createDocsMcpServer } from '@/lib/mcp/server';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { startTestServer, type TTestServer } from '../helpers/server';
import { CODE_STAFF_RULE, INTERNAL_FILE, makeCodeCheckout, TOASTER_FILE, waitForCode } from '../helpers/code-checkout';

// Code everywhere a reader asks (issue 70, item 5): MCP's search_docs filters to the code kind and says each result's
// file and line, MCP's read_file reads a file's lines through the read gate (a hidden file is a missing one),
// /api/health reports the code source as it does the others, and the chat doors name its citations "Source".

const API_KEY = 'code-v1-key-0123456789abcdef';

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { DOCS_CODE_DIR: makeCodeCheckout(), DOCS_AUDIENCES: CODE_STAFF_RULE, API_KEYS: API_KEY } });
  await waitForCode(app.db);
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
  setApp(undefined);
});

async function withMcp<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const mcp = createDocsMcpServer({ deps: app, caller: { owner: 'test-owner', client: { id: 'test', ip: '127.0.0.1' } as never, access: PUBLIC_ACCESS }, log: createLogger({ level: 'silent' }) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1.0.0' });
  await mcp.connect(serverSide);
  await client.connect(clientSide);
  try {
    return await run(client);
  } finally {
    await client.close();
    await mcp.close();
  }
}

const textOf = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

describe('code everywhere', () => {
  it('MCP search_docs: the code kind as a filter, each result with its file, path:line and a link to its lines', async () => {
    await withMcp(async (client) => {
      const found = await client.callTool({ name: 'search_docs', arguments: { query: 'use toaster dismiss after push setTimeout', sources: ['code'] } });
      expect(found.isError).toBeFalsy();
      const results = (found.structuredContent as { results: Record<string, unknown>[] }).results;
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((result) => result.kind === 'code' && result.file === TOASTER_FILE)).toBe(true);
      const hook = results.find((result) => result.heading === 'useToaster')!;
      expect(hook.url).toBe(`${app.config.siteUrl}/docs/source/widgets/${TOASTER_FILE}#L6-L14`);
      expect(textOf(found)).toContain(`useToaster (code) ${TOASTER_FILE}:6\n   ${app.config.siteUrl}/docs/source/widgets/${TOASTER_FILE}#L6-L14`);
      // The internal file is not among a signed-out caller's results.
      const hidden = await client.callTool({ name: 'search_docs', arguments: { query: 'page wombatron zorbix pager', sources: ['code'] } });
      expect(JSON.stringify(hidden.structuredContent)).not.toMatch(/pager\.ts|zorbix/);
    });
  });

  it('MCP read_file: lines around a symbol, numbered, with path:line and a link; a hidden file as a missing one', async () => {
    await withMcp(async (client) => {
      const tools = await client.listTools();
      // With a code source, read_file is listed (tests/production/agents.test.ts: without one, it is not).
      expect(tools.tools.map((tool) => tool.name)).toEqual(['search_docs', 'get_page', 'read_file', 'ask_docs']);
      expect(client.getInstructions()).toContain('read_file to read the lines of a source file');
      const read = await client.callTool({ name: 'read_file', arguments: { file: TOASTER_FILE, symbol: 'useToaster' } });
      expect(read.isError).toBeFalsy();
      expect(textOf(read)).toContain(`useToaster — ${TOASTER_FILE}:6 — ${app.config.siteUrl}/docs/source/widgets/${TOASTER_FILE}#L6-L14\n\n\`\`\`ts\n`);
      expect(textOf(read)).toContain('11      window.setTimeout(pop, dismissAfter, id);');
      const hidden = await client.callTool({ name: 'read_file', arguments: { file: INTERNAL_FILE } });
      const missing = await client.callTool({ name: 'read_file', arguments: { file: 'src/internal/pagr.ts' } });
      expect(hidden.isError).toBe(true);
      expect(textOf(hidden).replace(INTERNAL_FILE, '<file>')).toBe(textOf(missing).replace('src/internal/pagr.ts', '<file>'));
    });
  });

  it('/api/health reports the code source like the others: its pages, sections and last sync', async () => {
    const health = (await getHealth(app)) as { docs: { sources: { kind: string; resultKind: string; pages: number; sections: number; lastRun: string | null; isConfigured: boolean }[] } };
    const code = health.docs.sources.find((source) => source.kind === 'code');
    expect(code).toMatchObject({ resultKind: 'code', pages: 2, isConfigured: true });
    expect(code!.sections).toBeGreaterThanOrEqual(4);
    expect(code!.lastRun).not.toBeNull();
  });

  it('/v1 runs: the offline assistant answers a code question from /api/docs-search\'s code results, quoting the lines and linking them', async () => {
    // As examples/assistants-api-offline.mjs does it: the client runs get_relevant_docs through the site's search.
    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api${route}`, {
        method,
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'openai-beta': 'assistants=v2' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status, route).toBe(200);
      return (await response.json()) as any;
    };
    const tool = { type: 'function', function: { name: 'get_relevant_docs', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } } };
    const assistant = await call('POST', '/v1/assistants', { model: 'offline', tools: [tool] });
    const question = 'How long does a toast stay up before it leaves on its own by default?';
    let run = await call('POST', '/v1/threads/runs', { assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: question }] } });
    const settled = async () => {
      await waitUntil(async () => {
        run = await call('GET', `/v1/threads/${run.thread_id}/runs/${run.id}`);
        return run.status !== 'queued' && run.status !== 'in_progress';
      }, 15_000);
    };
    await settled();
    expect(run.status).toBe('requires_action');
    const [toolCall] = run.required_action.submit_tool_outputs.tool_calls;
    const { prompt } = JSON.parse(toolCall.function.arguments) as { prompt: string };
    const { data } = await call('POST', '/docs-search', { prompt, limit: 5 });
    expect(data.map((result: { kind: string }) => result.kind)).toContain('code');
    const output = JSON.stringify({ query: prompt, results: data.map(({ title, heading, url, content }: Record<string, string>) => ({ title, heading, url, content })) });
    run = await call('POST', `/v1/threads/${run.thread_id}/runs/${run.id}/submit_tool_outputs`, { tool_outputs: [{ tool_call_id: toolCall.id, output }] });
    await settled();
    expect(run.status).toBe('completed');
    const messages = await call('GET', `/v1/threads/${run.thread_id}/messages?order=desc&limit=1`);
    const answer = messages.data[0].content[0].text.value as string;
    expect(answer).toContain('DEFAULT_DISMISS_AFTER = 5000');
    expect(answer).toContain(`/docs/source/widgets/${TOASTER_FILE}#L`);
    expect(answer).not.toMatch(/wombatron|zorbix/);
  });

  it('the chat doors name a code citation "Source"', () => {
    expect(sourceKindText({ kind: 'code' })).toBe('Source');
  });
});

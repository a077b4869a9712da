import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeDiscussion, type TFakeGithub, type TFakeRepo } from '../helpers/fake-github';
import { startFakeOtlp, type TFakeOtlp, type TSpan } from '../helpers/fake-otlp';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';
import { startFakeModel, type TFakeModel } from './helpers/fake-model';

// Seeing inside, as an operator turns it on: `next start` of the production build with OTEL_EXPORTER_OTLP_ENDPOINT
// pointing at an OTLP receiver on 127.0.0.1 speaking http/json, a tool-using model (the tier's fake Chat Completions
// server: a call of get_relevant_docs, then an answer) and GitHub threads synced from a fake GitHub. One question
// is one trace holding the message route, the docs search (with its result count) and the model calls (GenAI
// conventions: the model asked, the tokens used); no byte the server exports holds the question's words. The sync
// at start has its spans, GitHub's requests among them; metrics arrive. A server started without the variables
// exports nothing and its log lines carry no trace ids.

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/github');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
/** Words no span may carry: a reader's question, as private as they come. */
const SECRET_WORDS = ['zanzibarquokka', 'marmaladefjord'];
const QUESTION = `How do I configure Slack for the ${SECRET_WORDS[0]} team in ${SECRET_WORDS[1]}?`;

let otlp: TFakeOtlp;
let model: TFakeModel;
let github: TFakeGithub;
let server: TNextServer;

const BASE_ENV = {
  NODE_ENV: 'production',
  OPENAI_API_KEY: '',
  OPENAI_MODEL: 'fake-model',
  OPENAI_API_STYLE: 'chat',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  SLACK_BOT_TOKEN: '',
  SESSION_SECRET: 'production-telemetry-session-secret-0123456789',
  MODERATION: 'off',
  MESSAGE_WAIT_SECONDS: '20',
};

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not there in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function ask(url: string, question: string) {
  const client = createClient(url);
  const thread = await client.post('/api/paste-assistant-thread');
  expect(thread.status).toBe(200);
  const sent = await client.post('/api/paste-assistant-message', { threadId: thread.body.id, message: question });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  expect(sent.body.run.status).toBe('completed');
  return sent.body.run as { id: string };
}

beforeAll(async () => {
  otlp = await startFakeOtlp();
  model = await startFakeModel();
  const repo: TFakeRepo = { issues: read('issues.json'), comments: read('comments.json'), discussions: read<TFakeDiscussion[]>('discussions.json') };
  github = await startFakeGithub({ repos: { 'acme/widgets': repo }, maxPerPage: 3 });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-otel-'),
    env: {
      ...BASE_ENV,
      OPENAI_BASE_URL: model.url,
      GITHUB_REPOS: 'acme/widgets',
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: 'ghp_productionTelemetryTokenNeverExported0123',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'pa-telemetry-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      LOG_LEVEL: 'info',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await github?.close();
  await model?.close();
  await otlp?.close();
});

const attribute = (span: TSpan, key: string) => span.attributes[key];

describe('OpenTelemetry on next start (OTLP http/json to 127.0.0.1)', () => {
  it('one question is one trace: the message route, the docs search with its result count, the model calls with the GenAI conventions', async () => {
    const run = await ask(server.url, QUESTION);
    const runSpan = await until('the run span', () => otlp.spans().find((span) => span.name === 'run' && attribute(span, 'pa.run.id') === run.id));
    const trace = () => otlp.spans().filter((span) => span.traceId === runSpan.traceId);
    const route = await until('the message route span', () => trace().find((span) => span.name === 'route POST /api/paste-assistant-message'));
    expect(route.service).toBe('pa-telemetry-test');
    expect(route.attributes).toMatchObject({ 'http.route': '/api/paste-assistant-message', 'http.response.status_code': 200, 'pa.door': 'site' });
    const search = await until('the docs search span', () => trace().find((span) => span.name === 'docs search'));
    expect(attribute(search, 'pa.search.result_count')).toBeGreaterThan(0);
    expect(attribute(search, 'pa.search.query_length')).toBeGreaterThan(0);
    expect(typeof attribute(search, 'pa.search.took_ms')).toBe('number');
    const calls = await until('both model calls', () => {
      const found = trace().filter((span) => attribute(span, 'gen_ai.operation.name') === 'chat');
      return found.length >= 2 ? found : undefined;
    });
    for (const call of calls) {
      expect(call.name).toBe('chat fake-model');
      expect(call.attributes).toMatchObject({ 'gen_ai.request.model': 'fake-model' });
      expect(attribute(call, 'gen_ai.usage.input_tokens')).toBeGreaterThan(0);
      expect(attribute(call, 'gen_ai.usage.output_tokens')).toBeGreaterThan(0);
    }
    expect(calls.map((call) => attribute(call, 'gen_ai.response.finish_reasons'))).toEqual(expect.arrayContaining([['tool_calls'], ['stop']]));
    const tool = trace().find((span) => span.name === 'execute_tool get_relevant_docs');
    expect(tool?.attributes).toMatchObject({ 'gen_ai.tool.name': 'get_relevant_docs' });
    expect(trace().some((span) => span.name === 'run step')).toBe(true);
    // The search is the tool call's, which is the run's, which is the route's: parents all the way up.
    const byId = new Map(trace().map((span) => [span.spanId, span]));
    const ancestors = (span: TSpan) => {
      const names: string[] = [];
      for (let at = span.parentSpanId && byId.get(span.parentSpanId); at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
      return names;
    };
    expect(ancestors(search)).toEqual(expect.arrayContaining(['execute_tool get_relevant_docs', 'run', 'route POST /api/paste-assistant-message']));
  });

  it("no byte the server exported holds the question's words (nor GitHub's token)", async () => {
    await ask(server.url, `${QUESTION} Again, for ${SECRET_WORDS[1]}.`);
    // Everything batched has gone out (spans every 100 ms, metrics every 500 ms).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const exported = otlp.exports();
    expect(exported.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(exported.map((item) => item.body)).toString('utf8');
    for (const word of SECRET_WORDS) expect(bytes).not.toContain(word);
    expect(bytes).not.toContain('ghp_productionTelemetryToken');
  });

  it('the GitHub sync at start has its spans: the job, the sync, its requests to GitHub', async () => {
    const sync = await until('the github sync span', () => otlp.spans().find((span) => span.name === 'sync github'), 60_000);
    expect(sync.attributes).toMatchObject({ 'pa.source.kind': 'github' });
    const inTrace = otlp.spans().filter((span) => span.traceId === sync.traceId);
    expect(inTrace.some((span) => span.name === 'job docs github sync')).toBe(true);
    const requests = inTrace.filter((span) => span.name.startsWith('github GET /repos/{owner}/{repo}/'));
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]!.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
  });

  it('metrics arrive: questions, runs, model tokens and durations, searches, the queues', async () => {
    const names = await until('the metrics', () => {
      const received = new Set(otlp.metricNames());
      return ['pa.questions', 'pa.runs', 'pa.model.tokens', 'gen_ai.client.operation.duration', 'pa.docs.searches', 'pa.outbox.depth'].every((name) => received.has(name))
        ? received
        : undefined;
    });
    expect(names.has('pa.sync.duration')).toBe(true);
  });

  it("log lines written inside a span carry its trace and span ids", () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = lines.find((line) => line.msg === 'request' && line.path === '/api/paste-assistant-message');
    expect(request?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(request?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(otlp.spans().some((span) => span.traceId === request?.trace_id)).toBe(true);
  });
});

describe('OpenTelemetry off (no OTLP endpoint)', () => {
  let receiver: TFakeOtlp;
  let off: TNextServer;

  beforeAll(async () => {
    receiver = await startFakeOtlp();
    off = await startNextServer({
      dataDir: await createSeededDataDir('pa-production-otel-off-'),
      // Every other OTEL_* variable set, the endpoint blank: still off.
      env: {
        ...BASE_ENV,
        OPENAI_BASE_URL: model.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'pa-off',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        LOG_LEVEL: 'info',
      },
    });
  });

  afterAll(async () => {
    await off?.stop();
    await receiver?.close();
  });

  it('exports nothing, and log lines carry no trace ids', async () => {
    await ask(off.url, QUESTION);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.exports()).toEqual([]);
    expect(otlp.spans().some((span) => span.service === 'pa-off')).toBe(false);
    expect(off.output()).toContain('"telemetry":"off"');
    expect(off.output()).toContain('"msg":"request"');
    expect(off.output()).not.toContain('trace_id');
  });
});

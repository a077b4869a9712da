import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { ERROR_STATUS } from '@/lib/errors';
import { createTestApp } from '../helpers/app';
import { startTestServer, type TTestServer } from '../helpers/server';
import { createSession, type TSession } from '../helpers/instances';

// Property-based: random and hostile methods, routes, ids, query strings, headers, bodies and metadata thrown
// at every route by an attacker who knows another reader's thread and run ids. Whatever comes in: never a 5xx,
// never a hang, always the error contract, and the other reader's data exactly as it was.

const NUM_RUNS = 400;
const TIME_LIMIT_MS = 90_000;
const REQUEST_TIMEOUT_MS = 15_000;

let app: TApp;
let server: TTestServer;
let victim: TSession;
let victimIds: { threads: string[]; runs: string[]; messages: string[] };
let attackerIds: { threads: string[]; runs: string[] };
let attackerCookie: string;

async function snapshot(session: TSession) {
  const threads = (await session.get(server.url, '/api/paste-assistant-thread?limit=100')).body;
  const details = [];
  for (const thread of threads.data) {
    details.push({
      thread: (await session.get(server.url, `/api/paste-assistant-thread/${thread.id}`)).body,
      messages: (await session.get(server.url, `/api/paste-assistant-messages/${thread.id}?limit=100`)).body,
      runs: (await session.get(server.url, `/api/paste-assistant-thread/${thread.id}/runs`)).body,
    });
  }
  return { threads, details };
}

beforeAll(async () => {
  app = await createTestApp({ env: { MESSAGE_WAIT_SECONDS: '2' } });
  server = await startTestServer(app);
  victim = createSession();
  victimIds = { threads: [], runs: [], messages: [] };
  for (const question of ['How do I configure Slack?', 'What is a destructive button?']) {
    const thread = (await victim.post(server.url, '/api/paste-assistant-thread', { metadata: { threadTitle: 'Mine', topic: 'private' } })).body;
    const sent = (await victim.post(server.url, '/api/paste-assistant-message', { threadId: thread.id, message: question })).body;
    expect(sent.run.status).toBe('completed');
    victimIds.threads.push(thread.id);
    victimIds.runs.push(sent.run.id);
    const messages = (await victim.get(server.url, `/api/paste-assistant-messages/${thread.id}`)).body.data;
    victimIds.messages.push(...messages.map((message: any) => message.id));
  }
  const attacker = createSession();
  const own = (await attacker.post(server.url, '/api/paste-assistant-thread')).body.id;
  const ownRun = (await attacker.post(server.url, '/api/paste-assistant-message', { threadId: own, message: 'hello' })).body.run.id;
  attackerIds = { threads: [own], runs: [ownRun] };
  attackerCookie = attacker.cookie!;
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

// Every route, with the methods it answers.
const ROUTES: Record<string, string[]> = {
  '/api/paste-assistant-thread': ['GET', 'POST'],
  '/api/paste-assistant-thread/{tid}': ['GET', 'PUT', 'DELETE'],
  '/api/paste-assistant-thread/{tid}/runs': ['GET'],
  '/api/paste-assistant-thread/{tid}/run/{rid}': ['GET'],
  '/api/paste-assistant-thread/{tid}/run/{rid}/cancel': ['POST'],
  '/api/paste-assistant-messages/{tid}': ['GET'],
  '/api/paste-assistant-message': ['POST'],
  '/api/paste-assistant-simple-completion': ['POST'],
  '/api/docs-search': ['POST'],
  '/api/health': ['GET'],
};

const HOSTILE = [
  "' or 1=1 --",
  'thread_x; drop table assistant_thread;',
  '../../etc/passwd',
  '\u0000',
  'thread_\u0000abc',
  '\ud800',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'thread_' + 'a'.repeat(64),
  'thread_' + 'a'.repeat(65),
  'x'.repeat(5000),
  '‮thread_abc',
  'THREAD_ABC',
  'null',
  '',
];

/** The arbitraries, built once the victim's and the attacker's ids exist. */
function buildRequestArb() {
  const idArb = (kind: 'thread' | 'run') =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...(kind === 'thread' ? victimIds.threads : victimIds.runs)), weight: 3 },
      { arbitrary: fc.constantFrom(...(kind === 'thread' ? attackerIds.threads : attackerIds.runs)), weight: 3 },
      fc.stringMatching(kind === 'thread' ? /^thread_[a-f0-9]{32}$/ : /^run_[a-f0-9]{32}$/),
      fc.constantFrom(...HOSTILE),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );

  const anyIdArb = fc.oneof(idArb('thread'), idArb('run'), fc.constantFrom(...victimIds.messages));

  const hostileString = fc.oneof(
    { arbitrary: fc.constantFrom('How do I configure Slack?', 'destructive button', 'Slack setup', 'x'), weight: 4 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 2 },
    { arbitrary: fc.constantFrom(...HOSTILE), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 40_000 }).map((length) => 'x'.repeat(length)), weight: 1 },
  );
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const metadataArb = fc.oneof(
    fc.dictionary(hostileString, fc.oneof(hostileString, fc.constant(null), anyJson), { maxKeys: 20 }),
    anyJson,
  );

  const bodyArb = fc.oneof(
    fc.constant(undefined),
    fc.record(
      {
        threadId: anyIdArb,
        message: hostileString,
        prompt: hostileString,
        context: hostileString,
        metadata: metadataArb,
        extra: anyJson,
      },
      { requiredKeys: [] },
    ).map((value) => JSON.stringify(value)),
    anyJson.map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.integer({ min: 1, max: 200 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.constant('{"metadata":{"__proto__":{"polluted":"yes"}}}'),
  );

  const headerValue = fc.oneof(fc.string({ maxLength: 60 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value)), fc.constantFrom(''));
  // Mostly well-formed enough to reach the handlers, often enough hostile to test every gate before them.
  const sometimes = <T,>(arbitrary: fc.Arbitrary<T>, weight = 1) =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight });
  const headersArb = fc.record({
    'content-type': fc.oneof(
      { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'), weight: 6 },
      { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx'), weight: 1 },
      { arbitrary: headerValue, weight: 1 },
    ),
    origin: sometimes(fc.oneof(fc.constantFrom('https://evil.example', 'null', server.url, 'http://127.0.0.1', 'file://', 'javascript:alert(1)'), headerValue)),
    cookie: fc.oneof(
      { arbitrary: fc.constant('ATTACKER'), weight: 6 },
      { arbitrary: fc.constantFrom('pa_session=', 'pa_session=%', 'pa_session=a.b.c', 'pa_session=AAAAAAAAAAAAAAAAAAAAAA.forged', 'pa_session=%E0%A4%A'), weight: 1 },
      { arbitrary: headerValue.map((value) => `pa_session=${value}`), weight: 1 },
      { arbitrary: fc.constant(undefined), weight: 2 },
    ),
    'x-forwarded-for': sometimes(headerValue),
    'sec-fetch-site': sometimes(fc.constantFrom('cross-site', 'same-origin', 'none')),
  });

  const shortHostile = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...HOSTILE.filter((value) => value.length < 100)));
  const queryArb = fc.record(
    { limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), shortHostile), after: anyIdArb, order: fc.oneof(fc.constantFrom('asc', 'desc'), shortHostile) },
    { requiredKeys: [] },
  );

  // Most requests use a method the route has, so that they reach its handler.
  const requestArb = fc
    .record({
      route: fc.constantFrom(...Object.keys(ROUTES)),
      anyMethod: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      methodChoice: fc.nat(),
      isAnyMethod: fc.boolean().chain((isAny) => (isAny ? fc.boolean() : fc.constant(false))),
      tid: idArb('thread'),
      rid: idArb('run'),
      isRawPath: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
      query: queryArb,
      // Parameters named like Object members (constructor, toString, __proto__ …), sometimes repeated.
      memberParams: fc.array(fc.tuple(fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)), shortHostile), { maxLength: 3 }),
      headers: headersArb,
      body: bodyArb,
    })
    .map(({ route, anyMethod, methodChoice, isAnyMethod, ...rest }) => {
      const methods = ROUTES[route] as string[];
      return { ...rest, route, method: isAnyMethod ? anyMethod : (methods[methodChoice % methods.length] as string) };
    });
  return requestArb;
}

type TFuzzRequest = ReturnType<typeof buildRequestArb> extends fc.Arbitrary<infer T> ? T : never;

function buildUrl(request: TFuzzRequest): string | undefined {
  const encode = (value: string) => (request.isRawPath ? value : encodeURIComponent(value));
  let path: string;
  try {
    path = request.route.replace('{tid}', encode(request.tid)).replace('{rid}', encode(request.rid));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot be sent.
    return undefined;
  }
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    try {
      query.set(key, value as string);
    } catch {
      // An unpaired surrogate cannot be a query value; leave it out.
    }
  }
  for (const [name, value] of request.memberParams) {
    try {
      query.append(name, value);
    } catch {
      // As above.
    }
  }
  try {
    return new URL(`${server.url}${path}${query.size > 0 ? `?${query}` : ''}`).toString();
  } catch {
    return undefined;
  }
}

const CODES = new Set(Object.keys(ERROR_STATUS));

async function send(request: TFuzzRequest) {
  const url = buildUrl(request);
  if (!url) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'content-length-lie' || typeof value !== 'string') continue;
    headers[name] = name === 'cookie' && value === 'ATTACKER' ? attackerCookie : value;
  }
  const hasBody = request.body !== undefined && !['GET', 'HEAD'].includes(request.method);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    // A timeout is a hang: the property fails. Requests fetch itself refuses to send (an invalid header
    // value) are not requests.
    if (error instanceof Error && error.name === 'TimeoutError') throw new Error(`request hung: ${request.method} ${url}`);
    if (error instanceof TypeError) return undefined;
    throw error;
  }
  const text = await response.text();
  return { status: response.status, text, contentType: response.headers.get('content-type') ?? '' };
}

describe('fuzzing every route', () => {
  it(`never answers 5xx, never hangs, always keeps the contract, never touches another reader's data (${NUM_RUNS} runs)`, { timeout: TIME_LIMIT_MS + 120_000 }, async () => {
    const before = await snapshot(victim);
    let sent = 0;
    const statuses = new Map<number, number>();
    const result = await fc.check(
      fc.asyncProperty(buildRequestArb(), async (request) => {
        const response = await send(request);
        if (!response) return true;
        sent += 1;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${request.method} ${request.route}: ${response.text.slice(0, 300)}`).toBeLessThan(500);
        // HEAD has no body; 431 (headers or URL over 16 KB) is Node's HTTP server refusing before any route runs.
        if (request.method === 'HEAD' || response.status === 431) return true;
        expect(response.contentType).toMatch(/^application\/json/);
        const body = JSON.parse(response.text) as any;
        if (response.status >= 400) {
          expect(Object.keys(body)).toEqual(['error']);
          expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
          expect(CODES.has(body.error.code)).toBe(true);
          expect(typeof body.error.message).toBe('string');
          expect(response.text).not.toMatch(/\bat .*\.(ts|js):\d+|PGlite|sqlstate|syntax error at/i);
        }
        expect(({} as any).polluted).toBeUndefined();
        return true;
      }),
      { numRuns: NUM_RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: Date.now() % 2_147_483_647 },
    );
    process.stdout.write(
      `fuzz: ${result.numRuns} runs (${sent} requests sent, seed ${result.seed}${result.interrupted ? ', stopped at the time limit' : ''}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`,
    );
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'fuzz failed');
    expect(result.numRuns).toBeGreaterThanOrEqual(100);
    expect(await snapshot(victim)).toEqual(before);
  });
});

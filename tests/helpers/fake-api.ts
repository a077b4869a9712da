import { http, HttpResponse, type DefaultBodyType, type HttpResponseResolver, type PathParams } from 'msw';
import type { z } from 'zod';
import type { TAnnotation, TMessage, TRun, TRunStatus, TThread } from '@/components/assistant/api';
import { isTerminalRunStatus } from '@/lib/shared/runs';
import { PUBLIC_SOURCE_KINDS } from '@/lib/shared/docs';
import {
  ZCreateThreadBody,
  ZListQuery,
  ZMessageImagesParams,
  ZRunParams,
  ZRerunMessageBody,
  ZSendMessageBody,
  ZSimpleCompletionBody,
  ZThreadParams,
  ZUpdateThreadBody,
} from '@/lib/assistant/schemas';
import { ZListVotesQuery, ZSetVoteBody } from '@/lib/assistant/votes';
import { ZSourceOpened } from '@/lib/maintainers/grades/source-opened';
import { readAssistantIntro } from '@/lib/docs/site/site-config';
import { ERROR_STATUS, type TErrorCode } from '@/lib/errors';
import { buildMessage, buildRun, buildThread } from './builders';

// The paste-assistant routes as the browser sees them, served by msw for component tests: threads, messages
// and runs held in memory, and a script for how each run progresses when it is polled. Every request is
// recorded so tests can assert on what the UI asked for.
//
// It answers like the real routes: the same JSON objects (OpenAI Assistants shapes, see lib/assistant/
// objects.ts), the same request schemas (imported from lib/, so validation cannot drift), and the same error
// contract — 400 bad input, 404 unknown thread/run/message, 409 a message while a run is active, 413 an
// over-long message or body, 415 a write that is not JSON. tests/e2e/fake-api-parity.test.ts plays the same
// scenarios against this fake and `next start` and fails when they disagree: change both together.

export type TRecordedRequest = { method: string; path: string; body: unknown };

export type TRunScript = {
  /** Status returned by POST …-message (the bounded wait ended with the run still pending, or it settled). */
  onSend: TRunStatus;
  /** Statuses returned by successive polls of GET …/run/[rid]; the last one repeats. */
  polls: TRunStatus[];
  answer?: Partial<TMessage> & { text?: string; annotations?: TAnnotation[] };
  error?: { code: string; message: string };
};

export type TFakeApiOptions = {
  /** MAX_MESSAGE_CHARS of the real server (its default). */
  maxMessageChars?: number;
  /** MAX_BODY_BYTES of the real server (its default). */
  maxBodyBytes?: number;
};

const isActive = (run: TRun) => !isTerminalRunStatus(run.status);
const ASSISTANT_ID = 'asst_paste_docs';
const RUN_EXPIRES_SECONDS = 600;
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const now = () => Math.floor(Date.now() / 1000);

// What the real run carries (lib/assistant/tools/index.ts and instructions.ts) on a site with no code source (no
// read_file); the UI reads neither.
const RUN_TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_relevant_docs',
      description: 'Search the documentation for sections relevant to the question.',
      parameters: {
        type: 'object',
        properties: {
          prompt: { type: 'string', description: 'What to search for.' },
          sources: { type: ['array', 'null'], items: { type: 'string', enum: [...PUBLIC_SOURCE_KINDS] }, description: 'Only results of these kinds.' },
          version: { type: ['string', 'null'], description: 'The version of the docs to search; null for the conversation\'s, else the current one.' },
        },
        required: ['prompt', 'sources', 'version'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'read_page',
      description: 'Read one page of this site whole, or one section of it, by its URL or path.',
      parameters: {
        type: 'object',
        properties: { url: { type: 'string', description: 'The page\'s URL or path on this site, with "#section" to read one section.' } },
        required: ['url'],
        additionalProperties: false,
      },
    },
  },
];

/** An error answered as the real routes answer it: `{error: {code, message}}` with the code's status. */
class FakeRouteError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const errorResponse = (code: string, message: string, status: number) => HttpResponse.json({ error: { code, message } }, { status });

/** lib/http/index.ts#parseWith: the first zod issue, prefixed with its path. */
function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new FakeRouteError('bad_request', `${where}${issue?.message ?? 'Invalid input'}`);
  }
  return parsed.data;
}

export function createFakeApi(origin: string, { maxMessageChars = 8000, maxBodyBytes = 32 * 1024 }: TFakeApiOptions = {}) {
  const threads: TThread[] = [];
  const messages = new Map<string, TMessage[]>();
  const runs = new Map<string, TRun[]>();
  const runCreatedAt = new Map<string, number>();
  const pollsLeft = new Map<string, TRunStatus[]>();
  const scripts = new Map<string, TRunScript>();
  const votes = new Map<string, 'up' | 'down'>();
  const sourcesOpened: { threadId: string; messageId: string; url: string }[] = [];
  const reasons = new Map<string, string>();
  // A question's screenshots by message id: its metadata carries their types only, as the real route's does.
  const images = new Map<string, { mediaType: string; data: string }[]>();
  // The research runs (mode "research"): the real run carries it in its options and metadata.
  const researchRuns = new Set<string>();
  const requests: TRecordedRequest[] = [];
  const failures = new Map<string, { status: number; code: string; message: string }>();
  let nextScript: TRunScript = { onSend: 'completed', polls: ['completed'] };
  let sendDelay: Promise<void> = Promise.resolve();
  let nextQuestionText: string | null = null;

  const url = (path: string) => `${origin}${path}`;
  const record = async (request: Request) => {
    const text = await request.clone().text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    requests.push({ method: request.method, path: new URL(request.url).pathname, body });
  };
  const failure = (key: string) => {
    const planned = failures.get(key);
    if (!planned) return null;
    failures.delete(key);
    return errorResponse(planned.code, planned.message, planned.status);
  };

  /** Route params and query string merged, as Next's req.query has them. */
  const queryOf = (request: Request, params: PathParams) => ({
    ...Object.fromEntries(new URL(request.url).searchParams),
    ...Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)])),
  });

  /** lib/http/index.ts#readJsonBody: JSON only, within the body limit, not empty, parseable; then the schema. */
  async function bodyOf<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
    if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
      throw new FakeRouteError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
    }
    const text = await request.clone().text();
    if (new TextEncoder().encode(text).length > maxBodyBytes) {
      throw new FakeRouteError('payload_too_large', `The request body is larger than ${Math.round(maxBodyBytes / 1024)} KB.`);
    }
    if (text.trim() === '') throw new FakeRouteError('bad_request', 'The request body is empty; send a JSON object.');
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new FakeRouteError('bad_request', 'The request body is not valid JSON.');
    }
    return parseWith(schema, value);
  }

  function ownedThread(threadId: string): TThread {
    const thread = threads.find((entry) => entry.id === threadId);
    if (!thread) throw new FakeRouteError('not_found', `No thread found with id ${threadId}`);
    return thread;
  }

  function ownedRun(threadId: string, runId: string): TRun {
    ownedThread(threadId);
    const run = runs.get(threadId)?.find((entry) => entry.id === runId);
    if (!run) throw new FakeRouteError('not_found', `No run found with id ${runId}`);
    return run;
  }

  /** A route handler: records the request, answers a FakeRouteError with the error contract. */
  function route<TParams extends PathParams>(
    resolver: (info: { request: Request; params: TParams }) => Promise<Response>,
  ): HttpResponseResolver<TParams, DefaultBodyType> {
    return async ({ request, params }) => {
      await record(request);
      try {
        // lib/http/index.ts: a write that declares a body must declare it as JSON.
        const type = request.headers.get('content-type');
        if (WRITE_METHODS.has(request.method) && type !== null && type.trim() !== '' && !JSON_TYPE.test(type)) {
          throw new FakeRouteError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
        }
        return await resolver({ request, params });
      } catch (error) {
        if (error instanceof FakeRouteError) return errorResponse(error.code, error.message, ERROR_STATUS[error.code]);
        throw error;
      }
    };
  }

  // The JSON objects, shaped as lib/assistant/objects.ts shapes them.
  const threadObject = (thread: TThread) => ({
    id: thread.id,
    object: 'thread' as const,
    created_at: thread.created_at,
    metadata: thread.metadata,
    tool_resources: {},
  });

  const messageObject = (message: TMessage, threadId: string) => {
    const status = message.status ?? 'completed';
    return {
      id: message.id,
      object: 'thread.message' as const,
      created_at: message.created_at,
      thread_id: message.thread_id ?? threadId,
      status,
      incomplete_details: status === 'incomplete' ? { reason: 'run_incomplete' } : null,
      completed_at: status === 'completed' ? message.created_at : null,
      incomplete_at: status === 'incomplete' ? message.created_at : null,
      role: message.role,
      content: message.content,
      assistant_id: message.role === 'assistant' ? ASSISTANT_ID : null,
      run_id: message.run_id,
      attachments: [],
      metadata: message.metadata,
    };
  };

  const runObject = (run: TRun) => {
    const createdAt = runCreatedAt.get(run.id) ?? now();
    const at = (status: TRunStatus) => (run.status === status ? now() : null);
    return {
      id: run.id,
      object: 'thread.run' as const,
      created_at: createdAt,
      assistant_id: ASSISTANT_ID,
      thread_id: run.thread_id,
      status: run.status,
      required_action:
        run.status === 'requires_action'
          ? {
              type: 'submit_tool_outputs',
              submit_tool_outputs: {
                tool_calls: [{ id: `call_${run.id}`, type: 'function', function: { name: 'get_relevant_docs', arguments: '{"prompt":"docs"}' } }],
              },
            }
          : null,
      last_error: run.last_error,
      expires_at: isActive(run) ? createdAt + RUN_EXPIRES_SECONDS : null,
      started_at: run.status === 'queued' ? null : createdAt,
      cancelled_at: at('cancelled'),
      failed_at: at('failed'),
      completed_at: at('completed'),
      incomplete_details: run.incomplete_details,
      model: 'offline',
      instructions: 'Answer questions about the docs.',
      tools: RUN_TOOLS,
      metadata: researchRuns.has(run.id) ? { mode: 'research' } : {},
      usage: null,
    };
  };

  /** lib/assistant/objects.ts#toListObject over one page of `items`, after the item `after` if given. */
  function page<T extends { id: string }, O extends { id: string }>(items: T[], { limit, after }: { limit: number; after?: string }, map: (item: T) => O) {
    let start = 0;
    if (after !== undefined) {
      const index = items.findIndex((item) => item.id === after);
      if (index === -1) throw new FakeRouteError('bad_request', `No item found with id ${after}`);
      start = index + 1;
    }
    const data = items.slice(start, start + limit).map(map);
    return {
      object: 'list' as const,
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: items.length > start + limit,
    };
  }

  function settle(run: TRun, status: TRunStatus) {
    run.status = status;
    const script = scripts.get(run.id);
    if (status === 'completed') {
      const { text = 'The answer.', ...rest } = script?.answer ?? {};
      messages.get(run.thread_id)?.push(buildMessage({ text, role: 'assistant', run_id: run.id, thread_id: run.thread_id, ...rest }));
    }
    if (status === 'failed' || status === 'expired') run.last_error = script?.error ?? { code: 'server_error', message: 'The model is unavailable.' };
    if (status === 'incomplete') run.incomplete_details = { reason: 'max_tool_rounds', message: 'The assistant needed too many searches.' };
  }

  const handlers = [
    // The real route reads the site's own introduction from its docs folder: the fake reads the same one.
    http.get(
      url('/api/assistant-intro'),
      // Where messages go is configuration: the fake plays a server with Slack and no model.
      route(async () =>
        HttpResponse.json({ data: { ...readAssistantIntro({ docsDir: 'content/docs' }), destinations: { isSharedInSlack: true, isSentToModelProvider: false, isFeedbackRead: true } } }),
      ),
    ),
    http.get(
      url('/api/paste-assistant-thread'),
      route(async ({ request }) => {
        const planned = failure('threads');
        if (planned) return planned;
        const query = parseWith(ZListQuery, queryOf(request, {}));
        return HttpResponse.json(page(threads, query, threadObject));
      }),
    ),
    http.post(
      url('/api/paste-assistant-thread'),
      route(async ({ request }) => {
        // An empty body is allowed: the original client posts nothing.
        const hasBody = (await request.clone().text()) !== '';
        const { metadata } = hasBody ? await bodyOf(request, ZCreateThreadBody) : { metadata: undefined };
        const initial = Object.fromEntries(Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => entry[1] !== null));
        const thread = buildThread({ metadata: { threadTitle: 'New thread', ...initial } });
        threads.unshift(thread);
        messages.set(thread.id, []);
        runs.set(thread.id, []);
        return HttpResponse.json(threadObject(thread));
      }),
    ),
    http.delete(
      url('/api/paste-assistant-thread'),
      route(async () => {
        // Every thread of the caller, as the real route (delete_threads_by_owner) does.
        const count = threads.length;
        for (const thread of threads.splice(0)) {
          for (const message of messages.get(thread.id) ?? []) votes.delete(message.id);
          messages.delete(thread.id);
          runs.delete(thread.id);
        }
        return HttpResponse.json({ object: 'thread.deleted_all', deleted: true, count });
      }),
    ),
    http.get(
      url('/api/paste-assistant-thread/:tid'),
      route(async ({ request, params }) => {
        const { tid } = parseWith(ZThreadParams, queryOf(request, params));
        return HttpResponse.json(threadObject(ownedThread(tid)));
      }),
    ),
    http.put(
      url('/api/paste-assistant-thread/:tid'),
      route(async ({ request, params }) => {
        const planned = failure('rename');
        if (planned) return planned;
        const { tid } = parseWith(ZThreadParams, queryOf(request, params));
        const { metadata } = await bodyOf(request, ZUpdateThreadBody);
        const thread = ownedThread(tid);
        // A null value removes the key; at most 16 keys after merging.
        const merged: Record<string, string> = { ...thread.metadata };
        for (const [key, value] of Object.entries(metadata)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        if (Object.keys(merged).length > 16) throw new FakeRouteError('bad_request', 'metadata can have at most 16 keys');
        thread.metadata = merged;
        return HttpResponse.json(threadObject(thread));
      }),
    ),
    http.delete(
      url('/api/paste-assistant-thread/:tid'),
      route(async ({ request, params }) => {
        const { tid } = parseWith(ZThreadParams, queryOf(request, params));
        const thread = ownedThread(tid);
        threads.splice(threads.indexOf(thread), 1);
        // Its messages, runs and votes go with it.
        for (const message of messages.get(tid) ?? []) votes.delete(message.id);
        messages.delete(tid);
        runs.delete(tid);
        return HttpResponse.json({ id: tid, object: 'thread.deleted', deleted: true });
      }),
    ),
    http.get(
      url('/api/paste-assistant-messages/:tid'),
      route(async ({ request, params }) => {
        const { tid, ...query } = { ...parseWith(ZThreadParams, queryOf(request, params)), ...parseWith(ZListQuery, queryOf(request, params)) };
        ownedThread(tid);
        const list = messages.get(tid) ?? [];
        const ordered = query.order === 'desc' ? [...list].reverse() : [...list];
        return HttpResponse.json(page(ordered, query, (message) => messageObject(message, tid)));
      }),
    ),
    http.get(
      url('/api/paste-assistant-messages/:tid/:mid/images'),
      route(async ({ request, params }) => {
        const { tid, mid } = parseWith(ZMessageImagesParams, queryOf(request, params));
        ownedThread(tid);
        if (!(messages.get(tid) ?? []).some((message) => message.id === mid)) throw new FakeRouteError('not_found', `No message found with id '${mid}'.`);
        return HttpResponse.json({ object: 'list', data: images.get(mid) ?? [] });
      }),
    ),
    http.get(
      url('/api/paste-assistant-thread/:tid/runs'),
      route(async ({ request, params }) => {
        const { tid } = parseWith(ZThreadParams, queryOf(request, params));
        ownedThread(tid);
        const latest = runs.get(tid)?.at(-1);
        return HttpResponse.json(page(latest ? [latest] : [], { limit: 1 }, runObject));
      }),
    ),
    http.get(
      url('/api/paste-assistant-thread/:tid/run/:rid'),
      route(async ({ request, params }) => {
        const { tid, rid } = parseWith(ZRunParams, queryOf(request, params));
        const run = ownedRun(tid, rid);
        if (isActive(run)) {
          const left = pollsLeft.get(run.id) ?? [];
          const status = left.length > 1 ? left.shift()! : (left[0] ?? run.status);
          if (isTerminalRunStatus(status)) settle(run, status);
          else run.status = status;
        }
        return HttpResponse.json(runObject(run));
      }),
    ),
    http.post(
      url('/api/paste-assistant-thread/:tid/run/:rid/cancel'),
      route(async ({ request, params }) => {
        const { tid, rid } = parseWith(ZRunParams, queryOf(request, params));
        const run = ownedRun(tid, rid);
        if (!isActive(run)) throw new FakeRouteError('conflict', `Cannot cancel run with status ${run.status}`);
        settle(run, 'cancelled');
        return HttpResponse.json(runObject(run));
      }),
    ),
    http.post(
      url('/api/paste-assistant-message'),
      route(async ({ request }) => {
        const planned = failure('send');
        if (planned) return planned;
        const { threadId, message, images: sentImages = [], mode } = await bodyOf(request, ZSendMessageBody);
        if (message.length > maxMessageChars) {
          throw new FakeRouteError('payload_too_large', `Messages can be at most ${maxMessageChars} characters; this one has ${message.length}.`);
        }
        ownedThread(threadId);
        const list = messages.get(threadId)!;
        const active = runs.get(threadId)!.find(isActive);
        if (active) throw new FakeRouteError('conflict', `Run ${active.id} is still active on this thread; wait for it to finish or cancel it`);
        const run = buildRun({ thread_id: threadId, status: 'queued' });
        runCreatedAt.set(run.id, now());
        if (mode === 'research') researchRuns.add(run.id);
        const question = buildMessage({
          role: 'user',
          // The real server joins what it reads in the images; here an image alone stands as the mark, or as told.
          text: nextQuestionText ?? (message === '' && sentImages.length > 0 ? '[screenshot]' : message),
          run_id: run.id,
          thread_id: threadId,
          metadata: sentImages.length > 0 ? { images: sentImages.map(({ mediaType }) => ({ mediaType })) } : {},
        });
        nextQuestionText = null;
        if (sentImages.length > 0) images.set(question.id, sentImages.map(({ mediaType, data }) => ({ mediaType, data: data.replace(/^data:[^,]*,/, '') })));
        list.push(question);
        runs.get(threadId)!.push(run);
        const script = nextScript;
        scripts.set(run.id, script);
        pollsLeft.set(run.id, [...script.polls]);
        await sendDelay;
        // A run cancelled while the request was held stays cancelled.
        if (isActive(run)) {
          if (isTerminalRunStatus(script.onSend)) settle(run, script.onSend);
          else run.status = script.onSend;
        }
        return HttpResponse.json({ run: runObject(run) });
      }),
    ),
    http.post(
      url('/api/paste-assistant-thread/:tid/runs'),
      route(async ({ request, params }) => {
        // As create_run_for_message_by_id: the thread's last question, after an answer that did not complete, or
        // (mode "research") after a quick answer the docs did not cover.
        const { tid } = parseWith(ZThreadParams, queryOf(request, params));
        const { messageId, mode } = await bodyOf(request, ZRerunMessageBody);
        ownedThread(tid);
        const list = messages.get(tid)!;
        const question = list.find((message) => message.id === messageId && message.role === 'user');
        if (!question) throw new FakeRouteError('not_found', `No question found with id ${messageId}`);
        if (list.some((message) => message.role === 'user' && list.indexOf(message) > list.indexOf(question))) {
          throw new FakeRouteError('conflict', 'Only the last question of a thread can be retried');
        }
        const threadRuns = runs.get(tid)!;
        const last = threadRuns[threadRuns.length - 1];
        if (last && isActive(last)) throw new FakeRouteError('conflict', `Run ${last.id} is still active on this thread; wait for it to finish or cancel it`);
        const isResearchOfUncovered =
          mode === 'research' &&
          last !== undefined &&
          !researchRuns.has(last.id) &&
          list.some((message) => message.role === 'assistant' && message.run_id === last.id && message.metadata?.no_docs_match === true);
        if (last && last.status === 'completed' && last.id === question.run_id && !isResearchOfUncovered) {
          throw new FakeRouteError('conflict', 'This question was answered; ask it again to get another answer');
        }
        const run = buildRun({ thread_id: tid, status: 'queued' });
        runCreatedAt.set(run.id, now());
        if (mode === 'research') researchRuns.add(run.id);
        question.run_id = run.id;
        threadRuns.push(run);
        const script = nextScript;
        scripts.set(run.id, script);
        pollsLeft.set(run.id, [...script.polls]);
        if (isTerminalRunStatus(script.onSend)) settle(run, script.onSend);
        else run.status = script.onSend;
        return HttpResponse.json({ run: runObject(run) });
      }),
    ),
    http.post(
      url('/api/paste-assistant-simple-completion'),
      route(async ({ request }) => {
        const planned = failure('title');
        if (planned) return planned;
        const { prompt, context } = await bodyOf(request, ZSimpleCompletionBody);
        const title = (context ?? prompt).split(' ').slice(0, 4).join(' ');
        return HttpResponse.json({
          id: `chatcmpl_${Date.now().toString(36)}`,
          object: 'chat.completion',
          created: now(),
          model: 'offline',
          choices: [{ index: 0, message: { role: 'assistant', content: title }, finish_reason: 'stop' }],
          usage: null,
        });
      }),
    ),
    http.get(
      url('/api/paste-assistant-message-vote'),
      route(async ({ request }) => {
        const { threadId } = parseWith(ZListVotesQuery, queryOf(request, {}));
        ownedThread(threadId);
        const data = (messages.get(threadId) ?? []).flatMap((message) => {
          const vote = votes.get(message.id);
          return vote ? [{ object: 'thread.message.vote', thread_id: threadId, message_id: message.id, vote }] : [];
        });
        return HttpResponse.json({ object: 'list', data });
      }),
    ),
    http.post(
      url('/api/paste-assistant-message-vote'),
      route(async ({ request }) => {
        const { threadId, messageId, vote, reason } = await bodyOf(request, ZSetVoteBody);
        ownedThread(threadId);
        const message = messages.get(threadId)?.find((entry) => entry.id === messageId);
        if (!message) throw new FakeRouteError('not_found', `No message found with id ${messageId} in this thread`);
        if (message.role !== 'assistant' || message.metadata.author === 'maintainer') {
          throw new FakeRouteError('bad_request', "Only the assistant's answers can be voted on");
        }
        // A reason stays with a thumbs-down until the vote changes (as set_message_vote_by_id keeps it).
        const kept = vote === 'down' ? reason || (votes.get(messageId) === 'down' ? (reasons.get(messageId) ?? null) : null) : null;
        if (vote === null) votes.delete(messageId);
        else votes.set(messageId, vote);
        if (kept) reasons.set(messageId, kept);
        else reasons.delete(messageId);
        return HttpResponse.json({ object: 'thread.message.vote', thread_id: threadId, message_id: messageId, vote, reason: kept });
      }),
    ),
    http.post(
      url('/api/paste-assistant-source-opened'),
      route(async ({ request }) => {
        const { threadId, messageId, url: opened } = await bodyOf(request, ZSourceOpened);
        ownedThread(threadId);
        // As record_answer_source_opened: only a URL the thread's answer cites is recorded.
        const message = messages.get(threadId)?.find((entry) => entry.id === messageId && entry.role === 'assistant');
        const isCited = message?.content.some((part) => part.text.annotations?.some((annotation) => annotation.url === opened)) ?? false;
        if (isCited) sourcesOpened.push({ threadId, messageId, url: opened });
        return HttpResponse.json({ recorded: isCited });
      }),
    ),
  ];

  return {
    handlers,
    requests,
    /** The cited sources readers opened (POST /api/paste-assistant-source-opened), recorded as the server records them. */
    sourcesOpened,
    threads,
    messages,
    runs,
    /** A thread that already exists on the server, with its messages and (optionally) its latest run. */
    addThread({ title = 'New thread', createdAt, items = [], run }: { title?: string; createdAt?: number; items?: TMessage[]; run?: TRun; script?: TRunScript } = {}) {
      const thread = buildThread({ metadata: { threadTitle: title }, ...(createdAt ? { created_at: createdAt } : {}) });
      threads.unshift(thread);
      messages.set(thread.id, items.map((item) => ({ ...item, thread_id: thread.id })));
      runs.set(thread.id, run ? [{ ...run, thread_id: thread.id }] : []);
      return thread;
    },
    /** What the next question is stored as: the text the real server reads in its screenshots (lib/assistant/images.ts). */
    storeNextQuestionAs(text: string) {
      nextQuestionText = text;
    },
    /** How the next sent message's run goes. */
    scriptNextRun(script: TRunScript) {
      nextScript = script;
    },
    /** Follows a run already on the server through these statuses when polled. */
    scriptRun(runId: string, script: TRunScript) {
      scripts.set(runId, script);
      pollsLeft.set(runId, [...script.polls]);
    },
    /** Ends a run now, as the server would (a completed run gets its scripted answer). */
    settleRun(runId: string, status: TRunStatus) {
      const run = [...runs.values()].flat().find((entry) => entry.id === runId);
      if (!run) throw new Error(`no run ${runId}`);
      settle(run, status);
      return runObject(run);
    },
    /** Holds POST …-message open until the returned release function is called. */
    holdSends() {
      let release!: () => void;
      sendDelay = new Promise((resolve) => (release = resolve));
      return () => {
        release();
        sendDelay = Promise.resolve();
      };
    },
    failNext(route: 'send' | 'rename' | 'threads' | 'title', status: number, code: string, message: string) {
      failures.set(route, { status, code, message });
    },
    count: (method: string, pattern: RegExp) => requests.filter((entry) => entry.method === method && pattern.test(entry.path)).length,
  };
}

export type TFakeApi = ReturnType<typeof createFakeApi>;

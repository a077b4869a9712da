import { http, HttpResponse } from 'msw';
import type { TMessage, TRun, TRunStatus, TThread } from '@/components/assistant/api';
import { buildList, buildMessage, buildRun, buildThread } from './builders';

// The paste-assistant routes as the browser sees them, served by msw for component tests: threads, messages
// and runs held in memory, and a script for how each run progresses when it is polled. Every request is
// recorded so tests can assert on what the UI asked for.

export type TRecordedRequest = { method: string; path: string; body: unknown };

export type TRunScript = {
  /** Status returned by POST …-message (the bounded wait ended with the run still pending, or it settled). */
  onSend: TRunStatus;
  /** Statuses returned by successive polls of GET …/run/[rid]; the last one repeats. */
  polls: TRunStatus[];
  answer?: Partial<TMessage> & { text?: string };
  error?: { code: string; message: string };
};

const TERMINAL: TRunStatus[] = ['completed', 'failed', 'cancelled', 'expired', 'incomplete'];

export function createFakeApi(origin: string) {
  const threads: TThread[] = [];
  const messages = new Map<string, TMessage[]>();
  const runs = new Map<string, TRun[]>();
  const pollsLeft = new Map<string, TRunStatus[]>();
  const scripts = new Map<string, TRunScript>();
  const requests: TRecordedRequest[] = [];
  const failures = new Map<string, { status: number; code: string; message: string }>();
  let nextScript: TRunScript = { onSend: 'completed', polls: ['completed'] };
  let sendDelay: Promise<void> = Promise.resolve();

  const url = (path: string) => `${origin}${path}`;
  const record = async (request: Request, path: string) => {
    const text = await request.clone().text();
    requests.push({ method: request.method, path, body: text ? (JSON.parse(text) as unknown) : undefined });
  };
  const failure = (key: string) => {
    const planned = failures.get(key);
    if (!planned) return null;
    failures.delete(key);
    return HttpResponse.json({ error: { code: planned.code, message: planned.message } }, { status: planned.status });
  };
  const notFound = (what: string) => HttpResponse.json({ error: { code: 'not_found', message: `No ${what} found` } }, { status: 404 });

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
    http.get(url('/api/paste-assistant-thread'), async ({ request }) => {
      await record(request, '/api/paste-assistant-thread');
      return failure('threads') ?? HttpResponse.json(buildList([...threads]));
    }),
    http.post(url('/api/paste-assistant-thread'), async ({ request }) => {
      await record(request, '/api/paste-assistant-thread');
      const thread = buildThread();
      threads.unshift(thread);
      messages.set(thread.id, []);
      runs.set(thread.id, []);
      return HttpResponse.json(thread);
    }),
    http.put(url('/api/paste-assistant-thread/:tid'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-thread/${String(params.tid)}`);
      const planned = failure('rename');
      if (planned) return planned;
      const thread = threads.find((entry) => entry.id === params.tid);
      if (!thread) return notFound('thread');
      const body = (await request.json()) as { metadata: Record<string, string> };
      thread.metadata = { ...thread.metadata, ...body.metadata };
      return HttpResponse.json(thread);
    }),
    http.delete(url('/api/paste-assistant-thread/:tid'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-thread/${String(params.tid)}`);
      const index = threads.findIndex((entry) => entry.id === params.tid);
      if (index === -1) return notFound('thread');
      threads.splice(index, 1);
      return HttpResponse.json({ id: params.tid, object: 'thread.deleted', deleted: true });
    }),
    http.get(url('/api/paste-assistant-messages/:tid'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-messages/${String(params.tid)}`);
      const list = messages.get(String(params.tid));
      if (!list) return notFound('thread');
      return HttpResponse.json(buildList([...list].reverse()));
    }),
    http.get(url('/api/paste-assistant-thread/:tid/runs'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-thread/${String(params.tid)}/runs`);
      const list = runs.get(String(params.tid));
      if (!list) return notFound('thread');
      const latest = list[list.length - 1];
      return HttpResponse.json(buildList(latest ? [{ ...latest }] : []));
    }),
    http.get(url('/api/paste-assistant-thread/:tid/run/:rid'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-thread/${String(params.tid)}/run/${String(params.rid)}`);
      const run = runs.get(String(params.tid))?.find((entry) => entry.id === params.rid);
      if (!run) return notFound('run');
      if (!TERMINAL.includes(run.status)) {
        const left = pollsLeft.get(run.id) ?? [];
        const status = left.length > 1 ? left.shift()! : (left[0] ?? run.status);
        if (TERMINAL.includes(status)) settle(run, status);
        else run.status = status;
      }
      return HttpResponse.json({ ...run });
    }),
    http.post(url('/api/paste-assistant-thread/:tid/run/:rid/cancel'), async ({ request, params }) => {
      await record(request, `/api/paste-assistant-thread/${String(params.tid)}/run/${String(params.rid)}/cancel`);
      const run = runs.get(String(params.tid))?.find((entry) => entry.id === params.rid);
      if (!run) return notFound('run');
      if (TERMINAL.includes(run.status)) {
        return HttpResponse.json({ error: { code: 'conflict', message: `Cannot cancel run with status ${run.status}` } }, { status: 409 });
      }
      settle(run, 'cancelled');
      return HttpResponse.json({ ...run });
    }),
    http.post(url('/api/paste-assistant-message'), async ({ request }) => {
      await record(request, '/api/paste-assistant-message');
      const planned = failure('send');
      if (planned) return planned;
      const { threadId, message } = (await request.clone().json()) as { threadId: string; message: string };
      const list = messages.get(threadId);
      if (!list) return notFound('thread');
      const run = buildRun({ thread_id: threadId, status: 'queued' });
      list.push(buildMessage({ role: 'user', text: message, run_id: run.id, thread_id: threadId }));
      runs.get(threadId)!.push(run);
      const script = nextScript;
      scripts.set(run.id, script);
      pollsLeft.set(run.id, [...script.polls]);
      await sendDelay;
      // A run cancelled while the request was held stays cancelled.
      if (!TERMINAL.includes(run.status)) {
        if (TERMINAL.includes(script.onSend)) settle(run, script.onSend);
        else run.status = script.onSend;
      }
      return HttpResponse.json({ run: { ...run } });
    }),
    http.post(url('/api/paste-assistant-simple-completion'), async ({ request }) => {
      await record(request, '/api/paste-assistant-simple-completion');
      const { context } = (await request.clone().json()) as { context?: string };
      const title = (context ?? '').split(' ').slice(0, 4).join(' ');
      return HttpResponse.json({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: title } }] });
    }),
    http.get(url('/api/paste-assistant-message-vote'), async ({ request }) => {
      await record(request, '/api/paste-assistant-message-vote');
      return HttpResponse.json({ object: 'list', data: [] });
    }),
    http.post(url('/api/paste-assistant-message-vote'), async ({ request }) => {
      await record(request, '/api/paste-assistant-message-vote');
      const body = (await request.clone().json()) as { threadId: string; messageId: string; vote: 'up' | 'down' | null };
      return HttpResponse.json({ object: 'thread.message.vote', thread_id: body.threadId, message_id: body.messageId, vote: body.vote });
    }),
  ];

  return {
    handlers,
    requests,
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
      return { ...run };
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
    failNext(route: 'send' | 'rename' | 'threads', status: number, code: string, message: string) {
      failures.set(route, { status, code, message });
    },
    count: (method: string, pattern: RegExp) => requests.filter((entry) => entry.method === method && pattern.test(entry.path)).length,
  };
}

export type TFakeApi = ReturnType<typeof createFakeApi>;

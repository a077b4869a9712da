import { http, HttpResponse, type JsonBodyType } from 'msw';
import type { TDb } from '@/lib/db/types';
import { querySql } from './stores';

// Slack's Web API at the network edge (msw): records every call as Slack would receive it (form-encoded body,
// bearer token) and answers like Slack, or with the failures a test queues.

export const SLACK_API_URL = 'https://slack.test/api';
export const SLACK_TOKEN = 'xoxb-test-token-0000';
export const SLACK_CHANNEL = 'C0TESTCHAN';
export const SITE_URL = 'https://docs.example.com';

export const SLACK_ENV = {
  SLACK_BOT_TOKEN: SLACK_TOKEN,
  SLACK_CHANNEL_ID: SLACK_CHANNEL,
  SLACK_API_URL,
  SITE_URL,
};

export type TSlackCall = {
  method: string;
  channel: string | null;
  text: string | null;
  threadTs: string | null;
  ts: string | null;
  params: Record<string, string>;
  authorization: string | null;
  /** What this call got back: a ts for a delivered post, else the failure. */
  outcome: { ok: true; ts: string } | { ok: false; failure: string };
};

type TFailure = { status: number; body: unknown; headers?: Record<string, string>; label: string };

export const SLACK_FAILURES = {
  http500: { status: 500, body: 'upstream trouble', label: 'http_500' },
  rateLimited: (seconds: number) => ({
    status: 429,
    body: { ok: false, error: 'ratelimited' },
    headers: { 'Retry-After': String(seconds) },
    label: 'ratelimited',
  }),
  platform: (error: string) => ({ status: 200, body: { ok: false, error }, label: error }),
} satisfies Record<string, TFailure | ((...args: never[]) => TFailure)>;

/** Members users.info knows: id → display name ('' for a member without one, who falls back to real_name). */
export type TFakeSlackUsers = Record<string, { displayName: string; realName?: string }>;

export function createFakeSlack({ users = {} }: { users?: TFakeSlackUsers } = {}) {
  const calls: TSlackCall[] = [];
  const queued: TFailure[] = [];
  let always: TFailure | null = null;
  let counter = 0;

  const handler = http.post(`${SLACK_API_URL}/:method`, async ({ request, params }) => {
    const body = Object.fromEntries(new URLSearchParams(await request.text()));
    const base = {
      method: String(params.method),
      channel: body.channel ?? null,
      text: body.text ?? null,
      threadTs: body.thread_ts ?? null,
      ts: body.ts ?? null,
      params: body,
      authorization: request.headers.get('authorization'),
    };
    const failure = queued.shift() ?? always;
    if (failure) {
      calls.push({ ...base, outcome: { ok: false, failure: failure.label } });
      const init = { status: failure.status, headers: failure.headers };
      return typeof failure.body === 'string' ? new HttpResponse(failure.body, init) : HttpResponse.json(failure.body as JsonBodyType, init);
    }
    if (base.method === 'chat.postMessage') {
      counter += 1;
      const ts = `1790000000.${String(counter).padStart(6, '0')}`;
      calls.push({ ...base, outcome: { ok: true, ts } });
      return HttpResponse.json({ ok: true, channel: base.channel, ts, message: { text: base.text } });
    }
    if (base.method === 'chat.update') {
      calls.push({ ...base, outcome: { ok: true, ts: base.ts ?? '' } });
      return HttpResponse.json({ ok: true, channel: base.channel, ts: base.ts, text: base.text });
    }
    if (base.method === 'users.info') {
      const user = users[body.user ?? ''];
      if (!user) {
        calls.push({ ...base, outcome: { ok: false, failure: 'user_not_found' } });
        return HttpResponse.json({ ok: false, error: 'user_not_found' });
      }
      calls.push({ ...base, outcome: { ok: true, ts: '' } });
      return HttpResponse.json({
        ok: true,
        user: { id: body.user, name: 'handle', real_name: user.realName ?? 'Real Name', profile: { display_name: user.displayName, real_name: user.realName ?? 'Real Name' } },
      });
    }
    calls.push({ ...base, outcome: { ok: false, failure: 'unknown_method' } });
    return HttpResponse.json({ ok: false, error: 'unknown_method' });
  });

  return {
    handler,
    calls,
    /** Calls that Slack accepted. */
    delivered: () => calls.filter((call) => call.outcome.ok),
    failNext(...failures: TFailure[]) {
      queued.push(...failures);
    },
    failAlways(failure: TFailure | null) {
      always = failure;
    },
  };
}

export type TFakeSlack = ReturnType<typeof createFakeSlack>;

/** Raw outbox rows, in id order (for assertions). */
export async function readOutbox(db: TDb) {
  const result = await querySql<{
    id: number;
    thread_id: string;
    kind: string;
    status: string;
    attempts: number;
    last_error: string | null;
    slack_ts: string | null;
    next_attempt_at: Date;
  }>(db, 'select id, thread_id, kind, status, attempts, last_error, slack_ts, next_attempt_at from slack_outbox order by id');
  return result.rows;
}

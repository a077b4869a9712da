import { brandError, hasBrand } from '../../../error-brands';
import type { TLogger } from '../../../log';

// Discord's HTTP API, as the answers in Discord need it: the interaction's webhook (edit the deferred response,
// post follow-ups; the interaction token is the credential, valid 15 minutes), starting a thread from a message
// and posting in it (the bot token), and registering the commands. Rate limits are Discord's: a 429's
// `retry_after` (seconds, in the body; `Retry-After` otherwise) is waited out and the call tried again, up to
// MAX_WAIT_MS; a bucket that says it is spent (`X-RateLimit-Remaining: 0`) holds this route's next call for
// `X-RateLimit-Reset-After`. Anything longer is thrown as `rate_limited` with its delay, for the inbox to retry.

export type TDiscordMessageBody = {
  content: string;
  components?: unknown[];
  /** Discord's message flags (64: only the asker sees it). */
  flags?: number;
  allowed_mentions?: { parse: string[] };
};

export type TDiscordMessage = { id: string; channel_id: string };

export type TDiscordApi = {
  /** PATCH /webhooks/{app}/{token}/messages/@original: the deferred response, written or rewritten. */
  editOriginal(args: { token: string; body: TDiscordMessageBody }): Promise<TDiscordMessage>;
  /** POST /webhooks/{app}/{token}: a follow-up message of the interaction. */
  postFollowUp(args: { token: string; body: TDiscordMessageBody }): Promise<TDiscordMessage>;
  /** POST /channels/{channel}/messages/{message}/threads: a public thread started from a message. */
  startThread(args: { channelId: string; messageId: string; name: string }): Promise<{ id: string }>;
  /** POST /channels/{channel}/messages, as the bot. */
  postMessage(args: { channelId: string; body: TDiscordMessageBody }): Promise<TDiscordMessage>;
  /** PUT /applications/{app}/commands: the global commands, replaced by these. */
  putCommands(commands: unknown[]): Promise<{ id: string; name: string }[]>;
};

export type TDiscordFailure = 'rate_limited' | 'transient' | 'permanent';

export class DiscordApiError extends Error {
  override name = 'DiscordApiError';
  constructor(
    message: string,
    readonly failure: TDiscordFailure,
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    brandError(this, 'DiscordApiError');
  }
}

export function isDiscordApiError(error: unknown): error is DiscordApiError {
  return hasBrand(error, 'DiscordApiError');
}

const REQUEST_TIMEOUT_MS = 10_000;
/** A wait longer than this is the inbox's to schedule, not a request's to sit through. */
const MAX_WAIT_MS = 10_000;
const MAX_TRIES = 4;

/**
 * Mentions in what we post are text: a question quoting "@everyone" must not ping a server. Set on every message
 * we send, over whatever its body says (defence in depth: the renderers make mentions inert too).
 */
export const NO_MENTIONS = { parse: [] as string[] };

export function createDiscordApi({
  apiUrl,
  applicationId,
  botToken,
  log,
  fetchImpl = fetch,
}: {
  apiUrl: string;
  applicationId: string;
  botToken: string;
  log: Pick<TLogger, 'debug' | 'warn'>;
  fetchImpl?: typeof fetch;
}): TDiscordApi {
  const heldUntil = new Map<string, number>();

  async function call<T>({ method, path, route, body, isBot }: { method: string; path: string; route: string; body?: unknown; isBot: boolean }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const holdMs = (heldUntil.get(route) ?? 0) - Date.now();
      if (holdMs > MAX_WAIT_MS) throw new DiscordApiError(`rate limited on ${route}`, 'rate_limited', 429, holdMs);
      if (holdMs > 0) await sleep(holdMs);
      let response: Response;
      try {
        response = await fetchImpl(`${apiUrl}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'DiscordBot (paste-assistant, 1.0)',
            ...(isBot ? { authorization: `Bot ${botToken}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw new DiscordApiError(`Discord did not answer ${method} ${route}: ${error instanceof Error ? error.message : String(error)}`, 'transient', null);
      }
      noteBucket(route, response.headers);
      if (response.status === 429) {
        const retryAfterMs = await retryAfterOf(response);
        log.debug({ route, retryAfterMs, attempt }, 'discord: rate limited');
        if (retryAfterMs > MAX_WAIT_MS || attempt >= MAX_TRIES) throw new DiscordApiError(`rate limited on ${route}`, 'rate_limited', 429, retryAfterMs);
        heldUntil.set(route, Date.now() + retryAfterMs);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        const failure: TDiscordFailure = response.status >= 500 ? 'transient' : 'permanent';
        throw new DiscordApiError(`Discord answered ${response.status} to ${method} ${route}: ${text.slice(0, 300)}`, failure, response.status);
      }
      return (text === '' ? null : JSON.parse(text)) as T;
    }
  }

  function noteBucket(route: string, headers: Headers): void {
    if (headers.get('x-ratelimit-remaining') !== '0') return;
    const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
    if (Number.isFinite(resetAfter) && resetAfter > 0) heldUntil.set(route, Date.now() + resetAfter * 1000);
  }

  const webhook = (token: string) => `/webhooks/${applicationId}/${encodeURIComponent(token)}`;
  const withoutMentions = (body: TDiscordMessageBody) => ({ ...body, allowed_mentions: NO_MENTIONS });

  return {
    editOriginal: ({ token, body }) =>
      call({ method: 'PATCH', path: `${webhook(token)}/messages/@original`, route: 'webhook:original', body: withoutMentions(body), isBot: false }),
    postFollowUp: ({ token, body }) => call({ method: 'POST', path: `${webhook(token)}?wait=true`, route: 'webhook:followup', body: withoutMentions(body), isBot: false }),
    startThread: ({ channelId, messageId, name }) =>
      call({
        method: 'POST',
        path: `/channels/${channelId}/messages/${messageId}/threads`,
        route: `threads:${channelId}`,
        // A day without messages archives it; anyone can still open it and ask there.
        body: { name, auto_archive_duration: 1440 },
        isBot: true,
      }),
    postMessage: ({ channelId, body }) =>
      call({ method: 'POST', path: `/channels/${channelId}/messages`, route: `messages:${channelId}`, body: withoutMentions(body), isBot: true }),
    putCommands: (commands) => call({ method: 'PUT', path: `/applications/${applicationId}/commands`, route: 'commands', body: commands, isBot: true }),
  };
}

async function retryAfterOf(response: Response): Promise<number> {
  try {
    const body = (await response.json()) as { retry_after?: unknown };
    if (typeof body.retry_after === 'number' && body.retry_after >= 0) return Math.ceil(body.retry_after * 1000);
  } catch {
    // Not JSON: the header says.
  }
  const header = Number(response.headers.get('retry-after'));
  return Number.isFinite(header) && header >= 0 ? Math.ceil(header * 1000) : 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Discord API on 127.0.0.1 speaking Discord's wire format (v10), for the answers in Discord: the
// interaction webhook (PATCH /webhooks/{app}/{token}/messages/@original, POST /webhooks/{app}/{token}), threads
// started from a message (POST /channels/{id}/messages/{id}/threads), bot messages (POST /channels/{id}/messages)
// and command registration (PUT /applications/{id}/commands). The bot's routes want `Authorization: Bot <token>`
// (401 otherwise); a message's content is refused past 2,000 characters (400, as Discord does). Every answer
// carries Discord's rate-limit headers (X-RateLimit-Limit, -Remaining, -Reset-After, -Bucket); `rateLimitNext`
// makes the next calls 429 with `retry_after` in the body and Retry-After, as Discord does, and `failNext` answers
// matching calls with an error (403 Missing Permissions, 404 Unknown Webhook, a 5xx). It keeps the
// messages as they are now (by id) and logs every call. And the other side: an application's Ed25519 key pair,
// to sign interactions as Discord does.

export const FAKE_DISCORD_BOT_TOKEN = 'fake-discord-bot-token';

export type TFakeDiscordMessage = { id: string; channel_id: string; content: string; components: unknown[]; webhook_token: string | null };
export type TFakeDiscordCall = { method: string; path: string; body: Record<string, unknown> | unknown[] | null; authorization: string | null; status: number };

export type TFakeDiscord = {
  apiUrl: string;
  calls: TFakeDiscordCall[];
  /** Messages by id, as they read now. */
  messages: Map<string, TFakeDiscordMessage>;
  /** Threads started from a message: thread id → the message it was started from, and its name. */
  threads: Map<string, { parentChannelId: string; messageId: string; name: string }>;
  /** The interaction's original response (the message its webhook's @original names), once written. */
  original(token: string): TFakeDiscordMessage | undefined;
  /** The follow-ups of an interaction's webhook, and bot messages in a channel, in order. */
  messagesIn(channelId: string): TFakeDiscordMessage[];
  /** The next `count` calls are answered 429 with `retry_after` seconds. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** The next `count` calls whose path matches are answered `status` with Discord's error body. */
  failNext(args: { path: RegExp; status: number; count?: number }): void;
  close(): Promise<void>;
};

let snowflake = 1_300_000_000_000_000_000n;
export const newSnowflake = () => String((snowflake += 1n + BigInt(Math.floor(Math.random() * 1000))));

export async function startFakeDiscord({ applicationId, botToken = FAKE_DISCORD_BOT_TOKEN, port: listenPort = 0 }: { applicationId: string; botToken?: string; port?: number }): Promise<TFakeDiscord> {
  const calls: TFakeDiscordCall[] = [];
  const messages = new Map<string, TFakeDiscordMessage>();
  const originals = new Map<string, string>();
  const threads = new Map<string, { parentChannelId: string; messageId: string; name: string }>();
  let limited = { count: 0, retryAfter: 0 };
  const faults: { path: RegExp; status: number; count: number }[] = [];
  const remaining = new Map<string, number>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname.replace(/^\/api\/v10/, '');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: TFakeDiscordCall['body'] = null;
      try {
        body = raw === '' ? null : (JSON.parse(raw) as TFakeDiscordCall['body']);
      } catch {
        body = null;
      }
      const call: TFakeDiscordCall = { method: req.method ?? 'GET', path, body, authorization: req.headers.authorization ?? null, status: 200 };
      calls.push(call);
      const bucket = path.replace(/\d{5,}/g, ':id').replace(/\/webhooks\/:id\/[^/]+/, '/webhooks/:id/:token');
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        const left = Math.max(0, (remaining.get(bucket) ?? 5) - 1);
        remaining.set(bucket, left === 0 ? 5 : left);
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': String(left),
          'x-ratelimit-reset-after': left === 0 ? '0.05' : '1',
          'x-ratelimit-bucket': Buffer.from(bucket).toString('hex').slice(0, 32),
          ...headers,
        });
        res.end(status === 204 ? undefined : JSON.stringify(payload));
      };
      if (limited.count > 0) {
        limited.count -= 1;
        return send(429, { message: 'You are being rate limited.', retry_after: limited.retryAfter, global: false }, { 'retry-after': String(Math.ceil(limited.retryAfter)), 'x-ratelimit-scope': 'user' });
      }
      const fault = faults.find((candidate) => candidate.count > 0 && candidate.path.test(path));
      if (fault) {
        fault.count -= 1;
        const known: Record<number, unknown> = {
          403: { message: 'Missing Permissions', code: 50013 },
          404: { message: 'Unknown Webhook', code: 10015 },
        };
        return send(fault.status, known[fault.status] ?? { message: `${fault.status}: Server Error`, code: 0 });
      }
      const isBot = call.authorization === `Bot ${botToken}`;
      const payload = (body ?? {}) as Record<string, unknown>;
      const content = typeof payload.content === 'string' ? payload.content : undefined;
      if (content !== undefined && content.length > 2000) {
        return send(400, { code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } });
      }
      const components = Array.isArray(payload.components) ? payload.components : undefined;

      let match = new RegExp(`^/webhooks/${applicationId}/([^/]+)/messages/@original$`).exec(path);
      if (match && req.method === 'PATCH') {
        const token = decodeURIComponent(match[1] as string);
        let id = originals.get(token);
        if (!id) originals.set(token, (id = newSnowflake()));
        const previous = messages.get(id);
        const message: TFakeDiscordMessage = {
          id,
          channel_id: previous?.channel_id ?? `webhook:${token}`,
          content: content ?? previous?.content ?? '',
          components: components ?? previous?.components ?? [],
          webhook_token: token,
        };
        messages.set(id, message);
        return send(200, { ...message, type: 20, webhook_token: undefined });
      }
      match = new RegExp(`^/webhooks/${applicationId}/([^/]+)$`).exec(path);
      if (match && req.method === 'POST') {
        const token = decodeURIComponent(match[1] as string);
        const message: TFakeDiscordMessage = { id: newSnowflake(), channel_id: `webhook:${token}`, content: content ?? '', components: components ?? [], webhook_token: token };
        messages.set(message.id, message);
        return send(200, { ...message, type: 0, webhook_token: undefined });
      }
      if (!isBot) return send(401, { message: '401: Unauthorized', code: 0 });
      match = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
      if (match && req.method === 'POST') {
        const messageId = match[2] as string;
        if (!messages.has(messageId)) return send(404, { message: 'Unknown Message', code: 10008 });
        const id = newSnowflake();
        threads.set(id, { parentChannelId: match[1] as string, messageId, name: String(payload.name ?? '') });
        return send(201, { id, type: 11, parent_id: match[1], name: payload.name, owner_id: applicationId });
      }
      match = /^\/channels\/(\d+)\/messages$/.exec(path);
      if (match && req.method === 'POST') {
        const message: TFakeDiscordMessage = { id: newSnowflake(), channel_id: match[1] as string, content: content ?? '', components: components ?? [], webhook_token: null };
        messages.set(message.id, message);
        return send(200, { ...message, type: 0, webhook_token: undefined });
      }
      match = /^\/applications\/(\d+)\/commands$/.exec(path);
      if (match && req.method === 'PUT' && match[1] === applicationId && Array.isArray(body)) {
        return send(
          200,
          body.map((command) => ({ ...(command as Record<string, unknown>), id: newSnowflake(), application_id: applicationId, version: newSnowflake() })),
        );
      }
      return send(404, { message: '404: Not Found', code: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v10`,
    calls,
    messages,
    threads,
    original: (token) => {
      const id = originals.get(token);
      return id ? messages.get(id) : undefined;
    },
    messagesIn: (channelId) => [...messages.values()].filter((message) => message.channel_id === channelId && ![...originals.values()].includes(message.id)),
    rateLimitNext(count, retryAfterSeconds) {
      limited = { count, retryAfter: retryAfterSeconds };
    },
    failNext({ path, status, count = 1 }) {
      faults.push({ path, status, count });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An application's key pair, as the Developer Portal holds it: the public key is what DISCORD_PUBLIC_KEY takes (hex). */
export function createDiscordKeys(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKey: der.subarray(der.length - 32).toString('hex'), privateKey };
}

/** The headers Discord sends with an interaction: X-Signature-Ed25519 over timestamp + body, X-Signature-Timestamp. */
export function signInteraction({ privateKey, body, timestamp = String(Math.floor(Date.now() / 1000)) }: { privateKey: KeyObject; body: string; timestamp?: string }) {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp, 'content-type': 'application/json' };
}

/** An `/ask question:` interaction as Discord delivers it (type 2), in a guild channel unless `guildId` is null. */
export function askInteraction({
  applicationId,
  question,
  channelId,
  channelType = 0,
  parentId,
  guildId = '1100000000000000001',
  userId = '1200000000000000001',
}: {
  applicationId: string;
  question: string;
  channelId: string;
  channelType?: number;
  /** A thread's (channel types 10–12) parent channel, as Discord names it in the interaction's channel. */
  parentId?: string;
  guildId?: string | null;
  userId?: string;
}) {
  const user = { id: userId, username: 'asker', global_name: 'Asker' };
  return {
    id: newSnowflake(),
    application_id: applicationId,
    type: 2,
    token: `itoken-${newSnowflake()}`,
    version: 1,
    channel_id: channelId,
    channel: { id: channelId, type: channelType, ...(parentId ? { parent_id: parentId } : {}) },
    ...(guildId ? { guild_id: guildId, member: { user, roles: [] } } : { user }),
    data: { id: newSnowflake(), name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }] },
  };
}

/** A click on a message's button (type 3, MESSAGE_COMPONENT). */
export function buttonInteraction({ applicationId, customId, channelId, userId, guildId = '1100000000000000001' }: { applicationId: string; customId: string; channelId: string; userId: string; guildId?: string }) {
  return {
    id: newSnowflake(),
    application_id: applicationId,
    type: 3,
    token: `itoken-${newSnowflake()}`,
    version: 1,
    channel_id: channelId,
    channel: { id: channelId, type: 0 },
    guild_id: guildId,
    member: { user: { id: userId, username: 'voter' }, roles: [] },
    message: { id: newSnowflake(), channel_id: channelId },
    data: { custom_id: customId, component_type: 2 },
  };
}

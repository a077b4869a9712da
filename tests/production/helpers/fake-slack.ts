import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Slack's Web API on 127.0.0.1 for the production tier (the app reaches it through SLACK_API_URL): takes
// form-encoded calls as Slack does, answers chat.postMessage with a ts, chat.update with ok and users.info with a
// name, and records every call (a message's Block Kit `blocks` parsed). It also stands in for an interaction's
// response_url (`responseUrl(id)`: what the app POSTs there is recorded as a call of method `response_url`).
// GET /__control/calls lists them for the tests, which run in other processes.

export const FAKE_SLACK_TOKEN = 'xoxb-production-tier-0000';
export const FAKE_SLACK_CHANNEL = 'C0PRODTIER';

export type TFakeSlackCall = {
  method: string;
  channel: string | null;
  text: string | null;
  threadTs: string | null;
  ts: string | null;
  authorization: string | null;
  /** chat.postMessage: the ts Slack gave the new message. */
  postedTs?: string;
  /** The Block Kit blocks sent with the message, parsed; null without. */
  blocks: { type: string; [key: string]: unknown }[] | null;
  /** response_url: the JSON the app posted there (response_type, replace_original, text). */
  body?: Record<string, unknown>;
  /** response_url: which one (the id in its path). */
  responseId?: string;
};
export type TFakeSlack = { apiUrl: string; controlUrl: string; responseUrl(id: string): string; close(): Promise<void> };

export async function startFakeSlack({ port: listenPort = 0 }: { port?: number } = {}): Promise<TFakeSlack> {
  const calls: TFakeSlackCall[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (payload: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && url.pathname === '/__control/calls') return send({ calls });
      const response = /^\/__response\/([\w-]+)$/.exec(url.pathname);
      if (req.method === 'POST' && response) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        calls.push({ method: 'response_url', channel: null, text: typeof body.text === 'string' ? body.text : null, threadTs: null, ts: null, authorization: null, blocks: null, body, responseId: response[1] });
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      const match = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) return send({ ok: false, error: 'unknown_method' });
      const raw = Buffer.concat(chunks).toString('utf8');
      const params: Record<string, string> = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(raw || '{}') as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(raw));
      const call: TFakeSlackCall = {
        method: match[1] as string,
        channel: params.channel ?? null,
        text: params.text ?? null,
        threadTs: params.thread_ts ?? null,
        ts: params.ts ?? null,
        authorization: req.headers.authorization ?? null,
        blocks: typeof params.blocks === 'string' ? (JSON.parse(params.blocks) as TFakeSlackCall['blocks']) : Array.isArray(params.blocks) ? (params.blocks as TFakeSlackCall['blocks']) : null,
      };
      calls.push(call);
      if (call.method === 'chat.postMessage') {
        counter += 1;
        call.postedTs = `1790000000.${String(counter).padStart(6, '0')}`;
        return send({ ok: true, channel: call.channel, ts: call.postedTs, message: { text: call.text } });
      }
      if (call.method === 'chat.update') return send({ ok: true, channel: call.channel, ts: call.ts, text: call.text });
      // Every member is "Maintainer <id>" (users.info, for the name shown with a reply from Slack).
      if (call.method === 'users.info') {
        return send({ ok: true, user: { id: params.user, name: 'handle', profile: { display_name: `Maintainer ${params.user ?? ''}` } } });
      }
      return send({ ok: false, error: 'unknown_method' });
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    controlUrl: `http://127.0.0.1:${port}/__control`,
    responseUrl: (id) => `http://127.0.0.1:${port}/__response/${id}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

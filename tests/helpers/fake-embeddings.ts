import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake OpenAI-compatible embeddings server on 127.0.0.1 (POST /v1/embeddings): the network edge of the embedder,
// which talks to it over real HTTP through the OpenAI SDK. `vectorOf` says what vector a text gets.

export type TFakeEmbeddings = { url: string; requests: { model: string; input: string[] }[]; close(): Promise<void> };

export async function startFakeEmbeddings({ vectorOf }: { vectorOf: (text: string) => number[] }): Promise<TFakeEmbeddings> {
  const requests: TFakeEmbeddings['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        send(404, { error: { message: `Unknown route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string | string[] };
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      requests.push({ model: body.model, input });
      send(200, {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })),
        usage: { prompt_tokens: input.length, total_tokens: input.length },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A deterministic text embedding for tests: the text's words hashed into `dimensions` buckets, normalised. Texts that
 * share words are near, as with a real model, and the nearest neighbours of a question can be computed exactly.
 */
export function hashedWordVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i += 1) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619) >>> 0;
    vector[hash % dimensions]! += hash & 0x10000 ? 1 : -1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

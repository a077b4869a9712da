import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { listMessagesByThread } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import { createTestApp } from '../helpers/app';
import { answer, chatDialect, embeddingsWithoutAccess, failWith, responsesDialect, scriptModel, type TDialect } from '../helpers/openai';

// Screenshots to a vision model (issue 71 item 3): with MODEL_VISION=true the run's question's images go to the model as
// image inputs beside its text (which holds the text read in them); earlier questions' images never do; without the
// setting no image bytes leave; a model that refuses the images is asked once more without them. Exact request bodies,
// both dialects, against the model server at the network edge (msw).

const server = setupServer(embeddingsWithoutAccess);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const OWNER = 'owner_vision_aaaaaaaaaaaa';
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
// Another image (a JPEG's signature and padding), so that which question's image went is told apart.
const JPEG_EARLIER = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 7)]).toString('base64');
const FIRST = 'Why does this fail?\n\n[screenshot] TypeError: onOpenChange is not a function';
const SECOND = 'And this one?\n\n[screenshot] Warning: Each child in a list should have a unique "key" prop';

const apps = new Map<string, Promise<TApp>>();
afterAll(async () => {
  for (const app of apps.values()) await (await app).db.close();
});
function appFor(env: Record<string, string>): Promise<TApp> {
  const key = JSON.stringify(Object.entries(env).sort());
  if (!apps.has(key)) apps.set(key, createTestApp({ env }));
  return apps.get(key) as Promise<TApp>;
}

async function twoScreenshotQuestions(dialect: TDialect, replies: Parameters<typeof scriptModel>[1], env: Record<string, string>) {
  const script = scriptModel(dialect, replies);
  server.use(script.handler);
  const app = await appFor({ ...dialect.env, ...env });
  const thread = await createThread({ db: app.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
  const ask = async (text: string, images: { mediaType: string; data: string }[]) => {
    const { run } = await app.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text, metadata: { images } });
    return app.engine.waitForRun({ owner: OWNER, threadId: thread.id, runId: run.id, timeoutMs: 15_000 });
  };
  const first = await ask(FIRST, [{ mediaType: 'image/jpeg', data: JPEG_EARLIER }]);
  const before = script.requests.length;
  const second = await ask(SECOND, [{ mediaType: 'image/png', data: PNG_1PX }]);
  const messages = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId: thread.id, limit: 100, order: 'asc' })).data;
  return { first, second, requests: script.requests.slice(before).map((request) => request.body), messages };
}

/** The request's conversation, without the instructions. */
const conversation = (dialect: TDialect, body: any) => (dialect.name === 'chat' ? body.messages.slice(1) : body.input);
const textOnly = (dialect: TDialect, role: string, text: string) =>
  dialect.name === 'chat' ? { role, content: text } : { type: 'message', role, content: text };

function withImage(dialect: TDialect, text: string, mediaType: string, data: string) {
  const url = `data:${mediaType};base64,${data}`;
  return dialect.name === 'chat'
    ? { role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url } }] }
    : { type: 'message', role: 'user', content: [{ type: 'input_text', text }, { type: 'input_image', image_url: url, detail: 'auto' }] };
}

describe.each([responsesDialect, chatDialect])('$name adapter', (dialect) => {
  it('with MODEL_VISION=true, sends the question\'s screenshot as an image input beside its text; an earlier question\'s never', async () => {
    const { second, requests } = await twoScreenshotQuestions(dialect, [answer('First answer.'), answer('Second answer.')], { MODEL_VISION: 'true' });
    expect(second.status).toBe('completed');
    expect(requests).toHaveLength(1);
    expect(conversation(dialect, requests[0])).toEqual([
      textOnly(dialect, 'user', FIRST),
      textOnly(dialect, 'assistant', 'First answer.'),
      withImage(dialect, SECOND, 'image/png', PNG_1PX),
    ]);
    expect(JSON.stringify(requests[0])).not.toContain(JPEG_EARLIER);
  });

  it('without the setting, sends the questions as their text only: no image bytes leave', async () => {
    const { second, requests } = await twoScreenshotQuestions(dialect, [answer('First answer.'), answer('Second answer.')], {});
    expect(second.status).toBe('completed');
    expect(conversation(dialect, requests[0])).toEqual([
      textOnly(dialect, 'user', FIRST),
      textOnly(dialect, 'assistant', 'First answer.'),
      textOnly(dialect, 'user', SECOND),
    ]);
    const sent = JSON.stringify(requests[0]);
    expect(sent).not.toContain(PNG_1PX);
    expect(sent).not.toContain(JPEG_EARLIER);
  });

  it('asks once more without the images when the model refuses them, answering from the text read in them', async () => {
    const refused = failWith(400, {
      error: { message: 'Invalid content type. image_url is only supported by certain models.', type: 'invalid_request_error', param: 'messages', code: null },
    });
    let calls = 0;
    // The first question's run succeeds; the second's first request (with its image) is refused.
    const script = [
      answer('First answer.'),
      (body: any) => {
        calls += 1;
        return JSON.stringify(body).includes(PNG_1PX) ? refused : answer('Answered from the text read in the screenshot.');
      },
    ];
    const { second, requests, messages } = await twoScreenshotQuestions(dialect, script, { MODEL_VISION: 'true' });
    expect(second.status).toBe('completed');
    expect(calls).toBe(2);
    expect(conversation(dialect, requests[0]).at(-1)).toEqual(withImage(dialect, SECOND, 'image/png', PNG_1PX));
    expect(conversation(dialect, requests[1])).toEqual([
      textOnly(dialect, 'user', FIRST),
      textOnly(dialect, 'assistant', 'First answer.'),
      textOnly(dialect, 'user', SECOND),
    ]);
    // The reader's question and its image are kept; the answer is stored.
    expect(messages.map((message) => [message.role, message.content[0]?.text.value])).toEqual([
      ['user', FIRST],
      ['assistant', 'First answer.'],
      ['user', SECOND],
      ['assistant', 'Answered from the text read in the screenshot.'],
    ]);
    expect(messages[2]?.metadata.images).toEqual([{ mediaType: 'image/png', data: PNG_1PX }]);
  });

  it('asks only once when a refused request carried no image: the run fails with the reader\'s message kept', async () => {
    const { second, requests, messages } = await twoScreenshotQuestions(
      dialect,
      [answer('First answer.'), failWith(400, { error: { message: 'bad request', type: 'invalid_request_error', code: null } })],
      {},
    );
    expect(second.status).toBe('failed');
    expect(requests).toHaveLength(1);
    expect(messages.at(-1)?.content[0]?.text.value).toBe(SECOND);
  });
});

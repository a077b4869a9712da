import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import type { TModelClient } from '@/lib/model/types';
import { listMessagesByThread } from '@/lib/db/messages';
import { createThread } from '@/lib/db/threads';
import { createTestApp, PIPELINING } from '../helpers/app';
import { buildScriptedModel, buildTimedStreamingModel } from '../helpers/models';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// What a model writes is stored only once it is storable (no NUL, no unpaired surrogate) and only up to
// MAX_ANSWER_CHARS; past that the run ends `incomplete`, keeping the text up to the limit.

const OWNER = 'owner_limits_aaaaaaaaaaaa';
let app: TApp | undefined;

afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function ask(model: TModelClient, env: Record<string, string> = {}) {
  app = await createTestApp({ env, overrides: { model } });
  const thread = await createThread({ db: app.db, owner: OWNER, metadata: { threadTitle: 'New thread' } });
  const { run } = await app.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: 'Tell me everything.' });
  const final = await app.engine.waitForRun({ owner: OWNER, threadId: thread.id, runId: run.id, timeoutMs: 15_000 });
  const messages = await listMessagesByThread({ db: app.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' });
  const answer = messages.data.find((message) => message.role === 'assistant');
  return { final, answer, text: answer?.content.map((part) => part.text.value).join('') ?? '' };
}

describe.each(PIPELINING)('model output is stored safely, pipelining %s', (pipelining) => {
  const env = { RUN_PIPELINING: pipelining };
  it('drops NUL and replaces lone surrogates in a streamed answer, and the run completes', async () => {
    const hostile = 'Before\u0000 after \uD800 lone, pair 😀 kept, low \uDC00 alone.';
    const { final, text } = await ask(buildTimedStreamingModel(hostile, { pieceMs: 0, pieceChars: 3 }), env);
    expect(final.status).toBe('completed');
    expect(text).toBe('Before after \uFFFD lone, pair 😀 kept, low \uFFFD alone.');
  });

  it('makes tool call arguments storable too', async () => {
    const model = buildScriptedModel([
      { type: 'tool_calls', calls: [{ call_id: 'call_1', name: 'get_relevant_docs', arguments: '{"prompt":"slack\u0000 \uD800"}' }] },
      { type: 'message', text: 'Done.' },
    ]);
    const { final } = await ask(model, env);
    expect(final.status).toBe('completed');
    const args = final.tool_rounds[0]?.tool_calls[0]?.function.arguments ?? '';
    expect(args).toBe('{"prompt":"slack \uFFFD"}');
  });
});

describe('MAX_ANSWER_CHARS', () => {
  it('stops a streaming model at the limit: run incomplete with a reason, the text up to the limit kept', async () => {
    const model = buildTimedStreamingModel('word '.repeat(2_000), { pieceMs: 0, pieceChars: 50 });
    const { final, answer, text } = await ask(model, { MAX_ANSWER_CHARS: '1000' });
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toMatchObject({ reason: 'max_answer_chars' });
    expect(answer?.status).toBe('incomplete');
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.length).toBeGreaterThan(900);
    expect('word '.repeat(2_000).startsWith(text)).toBe(true);
  });

  it('holds a model that does not stream to the same limit', async () => {
    const model = buildScriptedModel([{ type: 'message', text: 'x'.repeat(5_000) }]);
    const { final, answer, text } = await ask(model, { MAX_ANSWER_CHARS: '1000' });
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toMatchObject({ reason: 'max_answer_chars' });
    expect(answer?.status).toBe('incomplete');
    expect(text).toBe('x'.repeat(1000));
  });

  it('completes an answer just under the limit', async () => {
    const model = buildScriptedModel([{ type: 'message', text: 'y'.repeat(999) }]);
    const { final, text } = await ask(model, { MAX_ANSWER_CHARS: '1000' });
    expect(final.status).toBe('completed');
    expect(text).toHaveLength(999);
  });
});

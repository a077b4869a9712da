import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOfflineModel } from '@/lib/model/offline';
import { createModelClient } from '@/lib/model';
import { parseConfig } from '@/lib/config';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

// OFFLINE_MODEL_DELAY_MS (tests and demos): the offline model holds each response for that long, so a run
// stays pending long enough for a browser test to reload mid-run or press Stop.

afterEach(() => {
  vi.useRealTimers();
});

const question = [{ type: 'message' as const, role: 'user' as const, content: 'How do I configure Slack?' }];

describe('offline model delay', () => {
  it('is off by default and read from OFFLINE_MODEL_DELAY_MS', () => {
    expect(parseConfig({}).testing).toEqual({ offlineModelDelayMs: 0, offlineModelPieceMs: 0 });
    expect(parseConfig({ OFFLINE_MODEL_DELAY_MS: '2500' }).testing).toEqual({ offlineModelDelayMs: 2500, offlineModelPieceMs: 0 });
    expect(() => parseConfig({ OFFLINE_MODEL_DELAY_MS: '-1' })).toThrow(/OFFLINE_MODEL_DELAY_MS/);
  });

  it('holds each response for the configured time', async () => {
    vi.useFakeTimers();
    const model = createModelClient(parseConfig({ OFFLINE_MODEL_DELAY_MS: '500' }));
    let isSettled = false;
    const response = model.respond({ instructions: '', input: question, tools: TOOL_DEFINITIONS }).then((value) => {
      isSettled = true;
      return value;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(isSettled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(isSettled).toBe(true);
    expect((await response).output.type).toBe('tool_calls');
  });

  it('stops waiting when the request is aborted', async () => {
    vi.useFakeTimers();
    const model = createOfflineModel({ delayMs: 10_000 });
    const controller = new AbortController();
    const response = model.respond({ instructions: '', input: question, tools: TOOL_DEFINITIONS, signal: controller.signal });
    controller.abort(new Error('stopped'));
    await expect(response).rejects.toThrow('stopped');
  });
});

describe('offline model streaming', () => {
  const answered = [
    ...question,
    { type: 'function_call' as const, call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"Slack"}' },
    {
      type: 'function_call_output' as const,
      call_id: 'c1',
      output: JSON.stringify({ query: 'Slack', results: [{ title: 'Slack', heading: 'Token', url: '/docs/slack#token', content: 'Create a bot token and copy it.' }] }),
    },
  ];

  it('emits its answer word by word; the pieces make the answer', async () => {
    const pieces: string[] = [];
    const response = await createOfflineModel().respond({ instructions: '', input: answered, tools: TOOL_DEFINITIONS, onDelta: (piece) => pieces.push(piece) });
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.every((piece) => piece.trim().split(/\s+/).length === 1)).toBe(true);
    expect(response.output.type === 'message' && pieces.join('')).toBe(response.output.type === 'message' && response.output.text);
  });

  it('spaces the words by OFFLINE_MODEL_PIECE_MS', async () => {
    vi.useFakeTimers();
    const model = createModelClient(parseConfig({ OFFLINE_MODEL_PIECE_MS: '100' }));
    const pieces: string[] = [];
    const response = model.respond({ instructions: '', input: answered, tools: TOOL_DEFINITIONS, onDelta: (piece) => pieces.push(piece) });
    await vi.advanceTimersByTimeAsync(0);
    expect(pieces).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(pieces).toHaveLength(3);
    await vi.runAllTimersAsync();
    expect((await response).output.type).toBe('message');
  });
});

import type { TModelClient, TModelOutput, TModelRequest, TModelResponse } from '@/lib/model/types';

// In-process model clients for runtime tests: the model is the network edge of a run, and these stand where
// an HTTP model would. The offline model itself is tested as it ships.

/** Answers with `outputs` in order, one per call; records each request. */
export function buildScriptedModel(outputs: (TModelOutput | Error)[]) {
  const requests: TModelRequest[] = [];
  let index = 0;
  const model: TModelClient & { requests: TModelRequest[] } = {
    name: 'scripted',
    mode: 'chat',
    requests,
    async respond(request) {
      requests.push(request);
      const next = outputs[Math.min(index, outputs.length - 1)];
      index += 1;
      if (!next) throw new Error('scripted model has no outputs');
      if (next instanceof Error) throw next;
      return { output: next, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
  return model;
}

/** A model whose answers wait until the test releases them, to hold a run in_progress. */
export function buildBlockingModel(answer = 'Held answer.') {
  const waiting: (() => void)[] = [];
  const model: TModelClient & { release(): void; pending(): number } = {
    name: 'blocking',
    mode: 'chat',
    respond() {
      return new Promise((resolve) => {
        waiting.push(() => resolve({ output: { type: 'message', text: answer } }));
      });
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
    release() {
      for (const resolve of waiting.splice(0)) resolve();
    },
    pending: () => waiting.length,
  };
  return model;
}

export function toolCall(prompt: string, callId = `call_${prompt.replace(/\W+/g, '_')}`) {
  return { call_id: callId, name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) };
}

export async function waitUntil(predicate: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A model that streams whatever the test tells it to, when it tells it: `emit` sends answer text to the
 * pending call, `finish` completes it (with the emitted text unless told otherwise). Records aborts.
 */
export function buildManualStreamingModel() {
  type TCall = { onDelta?: (text: string) => void; resolve: (response: TModelResponse) => void; reject: (error: unknown) => void; text: string };
  let current: TCall | undefined;
  let aborts = 0;
  let calls = 0;
  const model: TModelClient & {
    emit(text: string): void;
    finish(text?: string): void;
    callTools(calls: { call_id: string; name: string; arguments: string }[]): void;
    isPending(): boolean;
    readonly aborts: number;
    readonly calls: number;
  } = {
    name: 'manual',
    mode: 'chat',
    respond({ onDelta, signal }) {
      calls += 1;
      return new Promise<TModelResponse>((resolve, reject) => {
        const call: TCall = { onDelta, resolve, reject, text: '' };
        current = call;
        signal?.addEventListener(
          'abort',
          () => {
            aborts += 1;
            if (current === call) current = undefined;
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
    emit(text) {
      if (!current) throw new Error('no model call is pending');
      current.text += text;
      current.onDelta?.(text);
    },
    finish(text) {
      if (!current) throw new Error('no model call is pending');
      const call = current;
      current = undefined;
      call.resolve({ output: { type: 'message', text: text ?? call.text.trim() }, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    },
    callTools(toolCalls) {
      if (!current) throw new Error('no model call is pending');
      const call = current;
      current = undefined;
      call.resolve({ output: { type: 'tool_calls', calls: toolCalls } });
    },
    isPending: () => current !== undefined,
    get aborts() {
      return aborts;
    },
    get calls() {
      return calls;
    },
  };
  return model;
}

/** A model that writes `text` in pieces of `pieceChars`, one every `pieceMs`, then answers with it. */
export function buildTimedStreamingModel(text: string, { pieceMs, pieceChars = 4 }: { pieceMs: number; pieceChars?: number }) {
  const model: TModelClient & { started: number[] } = {
    name: 'timed',
    mode: 'chat',
    started: [],
    async respond({ onDelta, signal }) {
      model.started.push(performance.now());
      for (let index = 0; index < text.length; index += pieceChars) {
        if (signal?.aborted) throw signal.reason;
        onDelta?.(text.slice(index, index + pieceChars));
        await new Promise((resolve) => setTimeout(resolve, pieceMs));
      }
      return { output: { type: 'message', text: text.trim() } };
    },
    async complete({ prompt }) {
      return { text: prompt };
    },
  };
  return model;
}

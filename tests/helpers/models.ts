import type { TModelClient, TModelOutput, TModelRequest } from '@/lib/assistant/model/types';

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

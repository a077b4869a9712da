import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { TUsage } from '../db/rows';
import { createOpenAIClient } from './client';
import { contentForModel } from './quote';
import { imageDataUrl, sendWithImages } from './images';
import { fitInputToBudget } from './context';
import { emptyAnswerError, toModelError } from './errors';
import {
  errorContext,
  readStream,
  streamCutError,
  streamTimeoutError,
  stripThinking,
  type TAdapterOptions,
  titleRequest,
  titleRequestOptions,
  toMessageOutput,
} from './shared';
import type { TInputItem, TModelClient, TModelOutput, TToolDefinition } from './types';

// Any server that speaks Chat Completions with tools: Ollama, vLLM, llama.cpp's server, LM Studio, Azure, and
// OpenAI itself. Only the widely supported fields are sent (no `strict`, no `parallel_tool_calls`), so that
// the smaller servers accept the request.

export function createChatModel({ config, siteUrl }: TAdapterOptions, client: OpenAI = createOpenAIClient(config)): TModelClient {
  return {
    name: config.model,
    mode: 'chat',
    async respond({ instructions, input, tools, signal, onDelta }) {
      const fitted = fitInputToBudget({ input, instructions, tools, budgetTokens: config.contextTokens });
      let completion: ChatCompletion;
      try {
        completion = await sendWithImages({
          items: fitted.items,
          isVision: config.isVision,
          send: async (items) => {
            const { data, response } = await client.chat.completions
              .create(
                {
                  model: config.model,
                  messages: [{ role: 'system', content: instructions }, ...toChatMessages(items)],
                  // OpenAI refuses an empty tools array: a run without tools (a /v1 assistant's, tool_choice none) sends none.
                  ...(tools.length > 0 ? { tools: tools.map(toChatTool) } : {}),
                  stream: true,
                  stream_options: { include_usage: true },
                },
                signal ? { signal } : undefined,
              )
              .withResponse();
            // A server that ignores `stream` answers with one JSON completion; take it as it is.
            return /\bjson\b/i.test(response.headers.get('content-type') ?? '')
              ? ((await response.json()) as ChatCompletion)
              : await collectChatStream(readStream(data, { idleMs: config.timeoutMs, signal, timeoutError: () => streamTimeoutError(config) }), onDelta);
          },
        });
      } catch (error) {
        throw toModelError(error, errorContext(config));
      }
      return { output: toOutput(completion, fitted.items, siteUrl), usage: toUsage(completion.usage) };
    },
    async complete({ prompt, context, signal }) {
      const { instructions, message } = titleRequest({ prompt, context });
      const options = titleRequestOptions(config, signal);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model: config.model,
            messages: [
              { role: 'system', content: instructions },
              { role: 'user', content: message },
            ],
          },
          options,
        );
      } catch (error) {
        throw toModelError(error, errorContext(config, { timeoutMs: options.timeout, maxRetries: options.maxRetries }));
      }
      const text = stripThinking(completion.choices?.[0]?.message?.content ?? '');
      if (text.trim() === '') throw emptyAnswerError();
      return { text, usage: toUsage(completion.usage) };
    },
  };
}

/** Input items → chat messages: consecutive function calls become one assistant message with tool_calls. */
export function toChatMessages(items: TInputItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  for (const item of items) {
    if (item.type === 'message') {
      const text = contentForModel(item);
      // A question's screenshots (only ever on a user message): the text first, then each image inline.
      if (item.role === 'user' && item.images && item.images.length > 0) {
        messages.push({
          role: 'user',
          content: [{ type: 'text', text }, ...item.images.map((image) => ({ type: 'image_url' as const, image_url: { url: imageDataUrl(image) } }))],
        });
      } else messages.push({ role: item.role, content: text });
      continue;
    }
    if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
      continue;
    }
    const call: ChatCompletionMessageFunctionToolCall = {
      id: item.call_id,
      type: 'function',
      function: { name: item.name, arguments: item.arguments },
    };
    const last = messages[messages.length - 1];
    if (last?.role === 'assistant' && last.tool_calls) last.tool_calls.push(call);
    else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  }
  return messages;
}

export function toChatTool(tool: TToolDefinition): ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

type TToolCallDraft = { id: string; name: string; arguments: string };

/**
 * Chat Completions streaming → one completion: content and refusal deltas are concatenated (and passed to
 * `onDelta` as they come), tool calls are assembled by their `index` (id and name arrive once, the arguments
 * in pieces), usage comes in the last chunk (stream_options.include_usage).
 */
export async function collectChatStream(chunks: AsyncIterable<ChatCompletionChunk>, onDelta?: (text: string) => void): Promise<ChatCompletion> {
  let content = '';
  let refusal = '';
  let finishReason: ChatCompletion.Choice['finish_reason'] | null = null;
  let hasChoice = false;
  let usage: CompletionUsage | undefined;
  let id = '';
  let model = '';
  const calls = new Map<number, TToolCallDraft>();
  for await (const chunk of chunks) {
    id ||= chunk.id ?? '';
    model ||= chunk.model ?? '';
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    hasChoice = true;
    const delta = choice.delta ?? {};
    if (delta.content) {
      content += delta.content;
      onDelta?.(delta.content);
    }
    if (delta.refusal) {
      refusal += delta.refusal;
      onDelta?.(delta.refusal);
    }
    (delta.tool_calls ?? []).forEach((call, position) => {
      const index = typeof call.index === 'number' ? call.index : position;
      const draft = calls.get(index) ?? { id: '', name: '', arguments: '' };
      if (call.id && !draft.id) draft.id = call.id;
      if (call.function?.name && !draft.name) draft.name = call.function.name;
      // A few servers send the arguments whole, as an object, rather than as pieces of a JSON string.
      const args: unknown = call.function?.arguments;
      if (typeof args === 'string') draft.arguments += args;
      else if (args !== undefined && args !== null) draft.arguments = JSON.stringify(args);
      calls.set(index, draft);
    });
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments || '{}' } }));
  // Every server we know ends a choice with a finish_reason; a stream without one was cut off mid-answer.
  if (hasChoice && finishReason === null) throw streamCutError();
  return {
    id,
    object: 'chat.completion',
    created: 0,
    model,
    choices: hasChoice
      ? [
          {
            index: 0,
            logprobs: null,
            finish_reason: finishReason ?? 'stop',
            message: {
              role: 'assistant',
              content: content === '' ? null : content,
              refusal: refusal === '' ? null : refusal,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
          },
        ]
      : [],
    usage,
  };
}

function toOutput(completion: ChatCompletion, input: TInputItem[], siteUrl: string): TModelOutput {
  const choice = completion.choices?.[0];
  if (!choice?.message) throw emptyAnswerError();
  const seen = new Set<string>();
  const calls = (choice.message.tool_calls ?? []).flatMap((call) => {
    if (call.type !== 'function') return [];
    // Some servers leave ids out or repeat them; ours pair calls with outputs, so each must be unique.
    const id = call.id && !seen.has(call.id) ? call.id : `call_${randomUUID().replace(/-/g, '')}`;
    seen.add(id);
    // A few servers send the arguments as an object rather than a JSON string.
    const args: unknown = call.function.arguments;
    return [{ call_id: id, name: call.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) }];
  });
  if (calls.length > 0) return { type: 'tool_calls', calls };
  const text = choice.message.content || choice.message.refusal || '';
  return toMessageOutput({ text, input, siteUrl, isTruncated: choice.finish_reason === 'length' });
}

function toUsage(usage: CompletionUsage | undefined): TUsage | undefined {
  if (!usage) return undefined;
  return { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
}

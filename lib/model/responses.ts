import type OpenAI from 'openai';
import type {
  FunctionTool,
  Response,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
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
  type TAdapterOptions,
  titleRequest,
  titleRequestOptions,
  toMessageOutput,
} from './shared';
import { ModelError, type TInputItem, type TModelClient, type TModelOutput, type TToolDefinition } from './types';

// OpenAI's Responses API. Stateless (store: false): every call sends the instructions and the conversation as
// input items, since threads and runs live in our database, not at OpenAI.

export function createResponsesModel({ config, siteUrl }: TAdapterOptions, client: OpenAI = createOpenAIClient(config)): TModelClient {
  return {
    name: config.model,
    mode: 'responses',
    async respond({ instructions, input, tools, signal, onDelta }) {
      const fitted = fitInputToBudget({ input, instructions, tools, budgetTokens: config.contextTokens });
      let response: Response;
      try {
        response = await sendWithImages({
          items: fitted.items,
          isVision: config.isVision,
          send: async (items) => {
            const { data: stream, response: raw } = await client.responses
              .create(
                {
                  model: config.model,
                  instructions,
                  input: toResponsesInput(items),
                  // A run without tools (a /v1 assistant's, tool_choice none) sends none.
                  ...(tools.length > 0 ? { tools: tools.map(toResponsesTool), parallel_tool_calls: true } : {}),
                  store: false,
                  stream: true,
                },
                signal ? { signal } : undefined,
              )
              .withResponse();
            // A compatible server that ignores `stream` answers with the whole response as JSON; take it as it is.
            return /\bjson\b/i.test(raw.headers.get('content-type') ?? '')
              ? ((await raw.json()) as Response)
              : await collectResponseStream(
                  readStream(stream, { idleMs: config.timeoutMs, signal, timeoutError: () => streamTimeoutError(config) }),
                  onDelta,
                );
          },
        });
      } catch (error) {
        throw toModelError(error, errorContext(config));
      }
      return { output: toOutput(response, fitted.items, siteUrl), usage: toUsage(response.usage) };
    },
    async complete({ prompt, context, signal }) {
      const { instructions, message } = titleRequest({ prompt, context });
      const options = titleRequestOptions(config, signal);
      let response: Response;
      try {
        response = await client.responses.create(
          { model: config.model, instructions, input: [{ type: 'message', role: 'user', content: message }], store: false },
          options,
        );
      } catch (error) {
        throw toModelError(error, errorContext(config, { timeoutMs: options.timeout, maxRetries: options.maxRetries }));
      }
      const text = outputText(response);
      if (text.trim() === '') throw emptyAnswerError();
      return { text, usage: toUsage(response.usage) };
    },
  };
}

export function toResponsesInput(items: TInputItem[]): ResponseInputItem[] {
  return items.map((item): ResponseInputItem => {
    switch (item.type) {
      case 'message':
        // A question's screenshots (only ever on a user message): the text first, then each image inline.
        return item.role === 'user' && item.images && item.images.length > 0
          ? {
              type: 'message',
              role: 'user',
              content: [
                { type: 'input_text', text: contentForModel(item) },
                ...item.images.map((image) => ({ type: 'input_image' as const, image_url: imageDataUrl(image), detail: 'auto' as const })),
              ],
            }
          : { type: 'message', role: item.role, content: contentForModel(item) };
      case 'function_call':
        return { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
      case 'function_call_output':
        return { type: 'function_call_output', call_id: item.call_id, output: item.output };
    }
  });
}

export function toResponsesTool(tool: TToolDefinition): FunctionTool {
  // strict: the arguments always match the schema (ours sets additionalProperties: false, all required).
  return { type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: true };
}

/**
 * Responses API streaming → the final response: text and refusal deltas are passed to `onDelta` as they come
 * (separate parts joined with a blank line, as the stored answer joins them); function calls are taken from
 * the finished output items (their arguments arrive in response.function_call_arguments.* pieces first); the
 * terminal event (response.completed or response.incomplete) carries the response with its usage.
 */
export async function collectResponseStream(events: AsyncIterable<ResponseStreamEvent>, onDelta?: (text: string) => void): Promise<Response> {
  const items: ResponseOutputItem[] = [];
  const argumentsById = new Map<string, string>();
  let lastPart: string | undefined;
  let final: Response | undefined;
  for await (const event of events) {
    switch (event.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const part = `${event.item_id}:${event.content_index}`;
        if (lastPart !== undefined && part !== lastPart) onDelta?.('\n\n');
        lastPart = part;
        if (event.delta) onDelta?.(event.delta);
        break;
      }
      case 'response.function_call_arguments.delta':
        argumentsById.set(event.item_id, (argumentsById.get(event.item_id) ?? '') + event.delta);
        break;
      case 'response.function_call_arguments.done':
        argumentsById.set(event.item_id, event.arguments);
        break;
      case 'response.output_item.done':
        items[event.output_index] = event.item;
        break;
      case 'response.completed':
      case 'response.incomplete':
        final = event.response;
        break;
      case 'response.failed':
      case 'error':
        throw new ModelError('server_error', 'The assistant\'s model failed while answering. Please try again. Your message was saved.');
      default:
        break;
    }
  }
  if (!final) throw streamCutError();
  // Some servers close with a bare response; the items streamed before it are the output then.
  if (final.output.length === 0 && items.length > 0) {
    const output = items.filter(Boolean).map((item) =>
      item.type === 'function_call' && item.id && !item.arguments ? { ...item, arguments: argumentsById.get(item.id) ?? '' } : item,
    );
    final = { ...final, output };
  }
  return final;
}

function toOutput(response: Response, input: TInputItem[], siteUrl: string): TModelOutput {
  if (response.error) {
    throw new ModelError('server_error', 'The assistant\'s model failed while answering. Please try again. Your message was saved.');
  }
  const calls = response.output.flatMap((item) =>
    item.type === 'function_call' ? [{ call_id: item.call_id, name: item.name, arguments: item.arguments }] : [],
  );
  if (calls.length > 0) return { type: 'tool_calls', calls };
  const text = outputText(response);
  if (text.trim() === '') throw emptyAnswerError();
  return toMessageOutput({ text, input, siteUrl, isTruncated: response.status === 'incomplete' });
}

function outputText(response: Response): string {
  const parts: string[] = [];
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) parts.push(part.type === 'output_text' ? part.text : part.refusal);
  }
  return parts.join('\n\n');
}

function toUsage(usage: ResponseUsage | undefined | null): TUsage | undefined {
  if (!usage) return undefined;
  return { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.total_tokens };
}

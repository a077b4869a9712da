import { contentAttributes, metrics, withSpan } from '../telemetry';
import type { TModelClient, TModelRequest } from './types';

// Every model call as a span named and described by OpenTelemetry's GenAI semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/): `chat <model>`, with the operation, the
// model asked, the tokens used, why it finished, and the time to its first streamed text; and the model's metrics
// (duration, tokens by model). The conversation's text is not on it unless OTEL_RECORD_CONTENT=on (then masked).

const SYSTEMS = { offline: 'paste-assistant.offline', responses: 'openai', chat: 'openai' } as const;

export function traceModel(client: TModelClient): TModelClient {
  const base = { 'gen_ai.request.model': client.name, 'gen_ai.system': SYSTEMS[client.mode], 'gen_ai.provider.name': SYSTEMS[client.mode] };
  return {
    name: client.name,
    mode: client.mode,
    respond: (request) =>
      withSpan(
        `chat ${client.name}`,
        { ...base, 'gen_ai.operation.name': 'chat', 'gen_ai.request.tool_count': request.tools.length, ...contentAttributes('gen_ai.prompt', lastQuestion(request)) },
        async (span) => {
          const startedAt = performance.now();
          let firstAt: number | undefined;
          const onDelta = request.onDelta;
          try {
            const response = await client.respond({
              ...request,
              onDelta: onDelta
                ? (text) => {
                    firstAt ??= performance.now();
                    onDelta(text);
                  }
                : undefined,
            });
            const { output, usage } = response;
            span.setAttributes({
              'gen_ai.response.finish_reasons': [output.type === 'message' ? 'stop' : 'tool_calls'],
              ...(usage ? { 'gen_ai.usage.input_tokens': usage.prompt_tokens, 'gen_ai.usage.output_tokens': usage.completion_tokens } : {}),
              ...(firstAt !== undefined ? { 'gen_ai.server.time_to_first_token': (firstAt - startedAt) / 1000 } : {}),
              ...(output.type === 'tool_calls' ? { 'pa.gen_ai.tool_calls': output.calls.length } : contentAttributes('gen_ai.completion', output.text)),
            });
            metrics.modelCall({ model: client.name, operation: 'chat', seconds: (performance.now() - startedAt) / 1000, inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens });
            return response;
          } catch (error) {
            metrics.modelCall({ model: client.name, operation: 'chat', seconds: (performance.now() - startedAt) / 1000, errorType: errorTypeOf(error) });
            throw error;
          }
        },
        { kind: 'client' },
      ),
    complete: (request) =>
      withSpan(`text_completion ${client.name}`, { ...base, 'gen_ai.operation.name': 'text_completion' }, async (span) => {
        const startedAt = performance.now();
        const result = await client.complete(request);
        if (result.usage) span.setAttributes({ 'gen_ai.usage.input_tokens': result.usage.prompt_tokens, 'gen_ai.usage.output_tokens': result.usage.completion_tokens });
        metrics.modelCall({
          model: client.name,
          operation: 'text_completion',
          seconds: (performance.now() - startedAt) / 1000,
          inputTokens: result.usage?.prompt_tokens,
          outputTokens: result.usage?.completion_tokens,
        });
        return result;
      }, { kind: 'client' }),
  };
}

function lastQuestion(request: TModelRequest): string | undefined {
  for (let index = request.input.length - 1; index >= 0; index -= 1) {
    const item = request.input[index];
    if (item?.type === 'message' && item.role === 'user') return item.content;
  }
  return undefined;
}

function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

import type { TMessageRow, TRunError, TRunRow, TToolRound } from '../../db/rows';
import type { TPrivacy } from '../../privacy/mask';
import { isMaintainerReply, maintainerName, messageText } from '../../shared/messages';
import { toStorableJson } from '../../shared/text';
import { readQuote } from '../../shared/quote';
import { readImages } from '../../shared/images';
import { isModelError, ModelError, type TInputItem, type TInputQuote, type TModelResponse, type TToolDefinition } from '../../model/types';
import { detectQuestionLanguage, LANGUAGE_NAMES } from '../../relevance/language';
import { siteToolDeclaration } from '../tools';

// What a step sends the model and what it accepts back, as pure functions (no state, no database): the input
// built from the thread and the run's tool rounds, the tools offered, the bound on a model call, and the checks
// and masking a response goes through before anything of it is stored.

/** A model call bounded by a timeout (the engine's `callModel`). */
export type TCallModel = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** The model's answer, or a ModelError('timeout') once `timeoutMs` pass (the call is aborted). */
export function createModelCaller(timeoutMs: number): TCallModel {
  return async function callModel<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timedOut = () => new ModelError('timeout', 'The assistant took too long to answer. Please try again.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(timedOut());
        controller.abort();
      }, timeoutMs);
    });
    try {
      return await Promise.race([call(controller.signal), timeout]);
    } catch (error) {
      // Whatever the aborted call threw (an AbortError, the SDK's own), the reason is the timeout.
      throw controller.signal.aborted ? timedOut() : error;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The tools the model is offered in a step: the server's (the site's runs), or the run's own function tools
 * when the client runs them; none when the run's tool_choice is "none". A client's tool named as one of the site's
 * is taken to be that tool for the model layer (its declaration: lib/model/types.ts): the Assistants-era flow, where
 * the client ran get_relevant_docs itself, is answered by the offline model through it.
 */
export function toolsOfRun(run: Pick<TRunRow, 'has_client_tools' | 'tools' | 'options'>, serverTools: TToolDefinition[]): TToolDefinition[] {
  if (!run.has_client_tools) return serverTools;
  if (run.options?.tool_choice === 'none') return [];
  return run.tools.flatMap((tool): TToolDefinition[] => {
    const fn = (tool as { type?: string; function?: { name?: unknown; description?: unknown; parameters?: unknown } }).function;
    if ((tool as { type?: string }).type !== 'function' || typeof fn?.name !== 'string') return [];
    const declares = siteToolDeclaration(fn.name);
    return [
      {
        type: 'function',
        name: fn.name,
        description: typeof fn.description === 'string' ? fn.description : '',
        parameters: fn.parameters && typeof fn.parameters === 'object' ? (fn.parameters as Record<string, unknown>) : { type: 'object', properties: {} },
        ...(declares ? { declares } : {}),
      },
    ];
  });
}

/**
 * The thread's messages up to the run's question, then the run's tool calls and outputs, round by round. A
 * maintainer's reply (from Slack) is stored as an assistant message; the model is told whose words they are,
 * so that it neither takes them for its own answer nor contradicts a person as if correcting itself.
 */
export function buildInput(messages: TMessageRow[], rounds: TToolRound[]): TInputItem[] {
  // The run's question is the last reader message: only its screenshots go as images (a vision model reads them); an
  // earlier question's stand as the text read in them, which its content holds.
  const question = messages.findLast((message) => message.role === 'user');
  const items: TInputItem[] = messages.map((message) => {
    const quote = message.role === 'user' ? inputQuote(message) : null;
    const images = message === question ? readImages(message.metadata) : [];
    return {
      type: 'message',
      role: message.role,
      content: isMaintainerReply(message)
        ? `[Not written by you: ${maintainerName(message)}, a maintainer of these docs, replied to the reader in person.]\n\n${messageText(message)}`
        : messageText(message),
      ...(quote ? { quote } : {}),
      ...(images.length > 0 ? { images } : {}),
    };
  });
  for (const round of rounds) {
    for (const call of round.tool_calls) {
      items.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    for (const output of round.tool_outputs ?? []) {
      items.push({ type: 'function_call_output', call_id: output.tool_call_id, output: output.output });
    }
  }
  return items;
}

/**
 * A question's quote ("Ask about this", metadata `quote`) as the model gets it: its text and where it came from, the
 * docs page the question names (metadata `page`), else the host page's title and address the quote carries.
 */
function inputQuote(message: TMessageRow): TInputQuote | null {
  const quote = readQuote(message.metadata);
  if (!quote) return null;
  const page = typeof message.metadata.page === 'string' ? message.metadata.page : null;
  const host = [quote.title ? `“${quote.title}”` : null, quote.url ? `(${quote.url})` : null].filter(Boolean).join(' ');
  const source = page ? `the docs page ${page}` : host !== '' ? `the page ${host}` : 'a page';
  return { text: quote.text, source };
}

/**
 * The run's instructions, told the language of the reader's latest question when it is not English (detected,
 * lib/relevance/language.ts), so that the model answers in it and marks the docs it translates. A run with the client's
 * own tools (a /v1 assistant) keeps its instructions as given: they are the client's, not the site's.
 */
export function instructionsForStep(run: Pick<TRunRow, 'instructions' | 'has_client_tools'>, input: TInputItem[]): string {
  if (run.has_client_tools) return run.instructions;
  const question = input.findLast((item) => item.type === 'message' && item.role === 'user');
  if (!question || question.type !== 'message') return run.instructions;
  const { language } = detectQuestionLanguage(question.content);
  if (language === 'en') return run.instructions;
  const name = LANGUAGE_NAMES[language];
  return (
    `${run.instructions}\n\nThe reader's question is in ${name} (language code ${language}). Answer in ${name}; cite the ` +
    `English docs' sections as usual, and mark every quote you translate from them as translated from English.`
  );
}

export function toRunError(error: unknown): TRunError {
  if (isModelError(error)) return { code: error.code, message: error.message };
  return { code: 'server_error', message: 'The assistant ran into a problem while answering. Please try again.' };
}

/**
 * The model's output as Postgres can store it: NUL characters dropped and unpaired surrogates replaced
 * (lib/shared/text.ts), in the answer, its annotations and metadata, and tool calls' names and arguments.
 */
export function toStorableResponse(privacy: TPrivacy, response: TModelResponse): TModelResponse {
  const output = toStorableJson(response.output);
  if (output.type !== 'tool_calls') return { ...response, output };
  // A search query the model writes may echo what the reader pasted: it is stored with the run and searched.
  const calls = output.calls.map((call) => ({ ...call, arguments: maskJsonText(privacy, call.arguments) }));
  return { ...response, output: { ...output, calls } };
}

/** Masks the strings inside a JSON text, keeping it JSON; text that is not JSON is masked as text. */
function maskJsonText(privacy: TPrivacy, text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return privacy.mask(text).text;
  }
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return privacy.mask(item).text;
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]));
    return item;
  };
  const masked = JSON.stringify(walk(value));
  return masked === JSON.stringify(value) ? text : masked;
}

export function answerTooLong(maxChars: number): { reason: string; message: string } {
  return {
    reason: 'max_answer_chars',
    message: `The answer was cut off at ${maxChars.toLocaleString('en-US')} characters, the longest this site allows. Ask a narrower question for the rest.`,
  };
}

/** A response without a usable output (cut off, malformed, empty) fails the run instead of crashing its step. */
export function checkModelResponse(response: TModelResponse | undefined): TModelResponse {
  const output = response?.output;
  const isMessage = output?.type === 'message' && typeof output.text === 'string' && output.text.trim() !== '';
  const isToolCalls = output?.type === 'tool_calls' && Array.isArray(output.calls) && output.calls.length > 0;
  if (!response || !(isMessage || isToolCalls)) {
    throw new ModelError('server_error', 'The assistant sent an incomplete answer. Please try again.');
  }
  return response;
}

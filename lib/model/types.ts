import { brandError, hasBrand } from '../error-brands';
import type { TTextAnnotation, TUsage } from '../db/rows';

// The conversation as a model sees it, modelled on the Responses API's input items: the thread's messages,
// then this run's tool calls and their outputs.
export type TInputItem =
  | { type: 'message'; role: 'user' | 'assistant'; content: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

export type TToolDefinition = {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
};

// The docs search as a tool, the contract between the assistant, which offers and runs it
// (lib/assistant/tools/get-relevant-docs.ts), and the models, which read what it returns: the adapters and the
// citation check read the results back from the function_call_output, and the offline model calls it by name.
export const GET_RELEVANT_DOCS = 'get_relevant_docs';

// What get_relevant_docs returns to the model.
// `kind`: the kind of source (docs, page, thread, answer, api: lib/shared/docs.ts); a thread's `number` and `state` too.
export type TDocsToolResult = {
  title: string;
  heading: string;
  url: string;
  content: string;
  kind?: string;
  number?: number;
  state?: 'open' | 'closed' | 'merged';
  /** A thread: how it was fixed ("#12", "commit abc1234") and the release the fix shipped in, when GitHub links them. */
  fixedBy?: string;
  releasedIn?: string;
  /** A maintainers' answer: the day they answered (YYYY-MM-DD), cited as "Answered by the maintainers (date)". */
  answeredAt?: string;
  /** The version of versioned docs the result belongs to (absent for unversioned docs). */
  version?: string;
};
export type TDocsToolOutput =
  | {
      query: string;
      results: TDocsToolResult[];
      evidence?: 'strong' | 'weak';
      note?: string;
      /** Names the question uses that the docs never mention: the results are the closest the docs come. */
      not_in_docs?: string[];
    }
  | { error: string };

// One call to the model. Adapters that stream call `onDelta` with each piece of answer text as it arrives
// (raw: a <think> block or surrounding whitespace included; lib/assistant/draft.ts decides what a reader
// sees). Text that turns out to precede tool calls is streamed too; the runtime drops it. The returned output
// is authoritative: the stored answer is its text, whatever was streamed.
export type TModelRequest = {
  instructions: string;
  input: TInputItem[];
  tools: TToolDefinition[];
  /** The reader is offered "Ask the maintainers" under the answer (the run's door shows it): an answer may name it. */
  isHandoffOffered?: boolean;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
};

export type TModelOutput =
  | { type: 'message'; text: string; annotations?: TTextAnnotation[]; metadata?: Record<string, unknown> }
  | { type: 'tool_calls'; calls: { call_id: string; name: string; arguments: string }[] };

export type TModelResponse = { output: TModelOutput; usage?: TUsage };

export type TModelClient = {
  /** What runs record as `model`. */
  name: string;
  mode: 'offline' | 'responses' | 'chat';
  respond(request: TModelRequest): Promise<TModelResponse>;
  /** One plain completion (thread titles). */
  complete(request: { prompt: string; context?: string; signal?: AbortSignal }): Promise<{ text: string; usage?: TUsage }>;
};

export type TModelErrorCode = 'invalid_api_key' | 'rate_limit_exceeded' | 'server_error' | 'timeout' | 'invalid_request';

/** A model failure, with a message a reader can act on; the run ends failed with it as last_error. */
export class ModelError extends Error {
  override name = 'ModelError';
  readonly code: TModelErrorCode;
  constructor(code: TModelErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    brandError(this, 'ModelError');
    this.code = code;
  }
}

/** Recognises a ModelError from any bundle's copy of this module (lib/error-brands.ts). */
export function isModelError(error: unknown): error is ModelError {
  return hasBrand(error, 'ModelError');
}

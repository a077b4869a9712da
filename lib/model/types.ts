import { brandError, hasBrand } from '../error-brands';
import type { TTextAnnotation, TUsage } from '../db/rows';
import type { TStoredImage } from '../shared/images';

// The conversation as a model sees it, modelled on the Responses API's input items: the thread's messages,
// then this run's tool calls and their outputs.
export type TInputItem =
  | { type: 'message'; role: 'user' | 'assistant'; content: string; quote?: TInputQuote; images?: TStoredImage[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

/*
 * `images`: the run's question's screenshots (only the question's: earlier turns stand as their text). An adapter for a
 * vision model (MODEL_VISION) sends them as image inputs beside `content`, which holds the text read in them anyway.
 */

/**
 * The passage a reader's question is about ("Ask about this": a selection or a code block), with where it came from
 * (`source`: the docs page's path, or the host page's title and address). Context for the question in `content`,
 * never the question: the adapters put it before the question (./quote.ts), the offline model searches with both.
 */
export type TInputQuote = { text: string; source: string };

export type TToolDefinition = {
  type: 'function';
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /**
   * What the tool declares to the model layer, which names no tool (lib/assistant/tools, one file each, declare
   * theirs). Never sent to a model API: the adapters send the four fields above. Absent: a tool the model layer is
   * told nothing of (a /v1 client's own, unless it is named as one of the site's: lib/assistant/engine/model-io.ts).
   */
  declares?: TToolDeclaration;
};

/**
 * `output`: the tool's output is the passages envelope (TPassagesOutput): the model reads its results, the context's
 * cap (context.ts) shortens their text evenly, and an answer cites their URLs (citations.ts), whichever tool it was.
 * `role`: what the offline model (./offline) does with it. 'search' answers a question: the offline model calls it
 * with {"prompt": "…"} (and, for its one feedback search, `sources`: the kinds of source to search) and answers from
 * the results. 'read' reads one page by its URL ({"url": "…"}): the offline model reads the top pages through it in a
 * research run, never in a quick answer, and reads its passages as any others when a run holds them. 'file' reads a
 * source file's lines (by its path, not a URL): the offline model never calls it, and reads its passages as any others.
 */
export type TToolDeclaration = { output: 'passages'; role: 'search' | 'read' | 'file' };

/**
 * One passage of a tool's output: a section of a page with its page's title, the section's heading, its URL (what
 * an answer cites) and text (`content`, maybe cut: a cut one ends with "…").
 * `kind`: the kind of source (docs, page, thread, answer, api: lib/shared/docs.ts); a thread's `number` and `state` too.
 */
export type TPassage = {
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
  /** Source code (kind `code`): the file's path in its repository; the URL's anchor (`#L48-L61`) says its lines. */
  file?: string;
  /** Source code: where its lines start, `path:line`, as an answer cites them. */
  cite?: string;
  /**
   * A docs page's alternatives: the pages its docs compare it with in a heading ("Popover vs. Modal"), nearest
   * first, by name. A question that names none of them may mean any (the offline answer offers them as choices).
   */
  alternatives?: string[];
};

/**
 * The passages envelope: what a tool that declares `output: 'passages'` returns to the model, as JSON. `results`, in
 * the tool's order (a search's best first, a page's from its top). A search says what it searched (`query`) and how
 * well the results match (`evidence`); a tool may say more in `note` (weak results, a page cut short), and mark an
 * output it cut short (`truncated`). A tool that cannot answer says why in `error`, for the model to recover.
 */
export type TPassagesOutput =
  | {
      query?: string;
      results: TPassage[];
      evidence?: 'strong' | 'weak';
      note?: string;
      /** Names the question uses that the docs never mention: the results are the closest the docs come. */
      not_in_docs?: string[];
      /** The tool left part of what it read out (its length bound); `note` says what and how to read the rest. */
      truncated?: boolean;
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
  /** A research run (issue 71): what it may still spend. Absent: a quick answer. */
  research?: TResearchBudget;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
};

/**
 * What a research run may still spend before it answers: rounds of tool calls (`stepsLeft`), seconds and model tokens.
 * `bound`: the one that ran out (the step must answer now from what the run holds, and say so; no tools are offered);
 * null: the step may search and read on. `maxSteps` / `maxSeconds`: the bounds as configured, for the answer to name.
 */
export type TResearchBudget = {
  stepsLeft: number;
  secondsLeft: number;
  tokensLeft: number;
  bound: 'steps' | 'seconds' | 'tokens' | null;
  maxSteps: number;
  maxSeconds: number;
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

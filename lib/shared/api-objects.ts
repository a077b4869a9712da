import type { TResearchStep } from './research-steps';
import type { TCitedSource } from './docs';
import type { TRunStatus } from './runs';

// The JSON objects of the API, as OpenAI's Assistants API shaped them (timestamps in Unix seconds). Defined
// once: the server builds them (lib/assistant/objects.ts, typed against these) and the browser reads them
// (components/assistant/api.ts).

/** `source`: what the cited source is when it is not a page of this site's docs (a thread, with its number and state). */
export type TTextAnnotation = { type: 'url_citation'; url: string; title: string; start_index: number; end_index: number; source?: TCitedSource };
export type TMessageContent = { type: 'text'; text: { value: string; annotations: TTextAnnotation[] } }[];
/** An answer is `in_progress` while its run writes it, `incomplete` when the run ended first (the text written so far is kept). */
export type TMessageStatus = 'in_progress' | 'incomplete' | 'completed';
export type TToolCallObject = { id: string; type: 'function'; function: { name: string; arguments: string } };
export type TUsageObject = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

export type TThreadObject = {
  id: string;
  object: 'thread';
  created_at: number;
  metadata: Record<string, string>;
  tool_resources: Record<string, never>;
};

export type TMessageObject = {
  id: string;
  object: 'thread.message';
  created_at: number;
  thread_id: string;
  status: TMessageStatus;
  incomplete_details: { reason: string } | null;
  completed_at: number | null;
  incomplete_at: number | null;
  role: 'user' | 'assistant';
  content: TMessageContent;
  assistant_id: string | null;
  run_id: string | null;
  attachments: never[];
  metadata: Record<string, unknown>;
};

export type TRunObject = {
  id: string;
  object: 'thread.run';
  created_at: number;
  assistant_id: string;
  thread_id: string;
  status: TRunStatus;
  required_action: { type: 'submit_tool_outputs'; submit_tool_outputs: { tool_calls: TToolCallObject[] } } | null;
  last_error: { code: string; message: string } | null;
  expires_at: number | null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: string; message?: string } | null;
  model: string;
  instructions: string;
  tools: unknown[];
  metadata: Record<string, unknown>;
  usage: TUsageObject | null;
  /** The site's own (not /v1's): a research run's steps so far (./research-steps.ts); absent on any other run. */
  research_steps?: TResearchStep[];
};

export type TListObject<T> = { object: 'list'; data: T[]; first_id: string | null; last_id: string | null; has_more: boolean };

// The jsonb shapes our SQL functions return (timestamps are ISO strings). lib/assistant/objects.ts turns them
// into the Assistants API objects that clients see.

import type { TMessageContent, TMessageStatus, TTextAnnotation } from '../shared/api-objects';
import type { TRunStatus } from '../shared/runs';

// A message's content and status are the same in a row as in the API object (lib/shared/api-objects.ts).
export type { TMessageContent, TMessageStatus, TRunStatus, TTextAnnotation };

export type TThreadRow = {
  id: string;
  created_at: string;
  updated_at: string;
  metadata: Record<string, string>;
  slack_thread_ts: string | null;
};

export type TMessageRow = {
  id: string;
  thread_id: string;
  run_id: string | null;
  role: 'user' | 'assistant';
  content: TMessageContent;
  metadata: Record<string, unknown>;
  created_at: string;
  status: TMessageStatus;
  incomplete_details: { reason: string } | null;
  completed_at: string | null;
  incomplete_at: string | null;
  /** /v1 reads (pa_api_message_json): the assistant of the run that wrote an answer. */
  assistant_id?: string | null;
};


export type TToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
export type TToolOutput = { tool_call_id: string; output: string };
export type TToolRound = { tool_calls: TToolCall[]; tool_outputs?: TToolOutput[] };
export type TUsage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };
export type TRunError = { code: string; message: string };

export type TRunRow = {
  id: string;
  thread_id: string;
  status: TRunStatus;
  model: string;
  instructions: string;
  tools: unknown[];
  required_action: { type: 'submit_tool_outputs'; submit_tool_outputs: { tool_calls: TToolCall[] } } | null;
  tool_rounds: TToolRound[];
  last_error: TRunError | null;
  incomplete_details: { reason: string; message?: string } | null;
  usage: TUsage | null;
  metadata: Record<string, unknown>;
  max_tool_rounds: number;
  max_attempts: number;
  attempts: number;
  lease_expires_at: string | null;
  is_lease_stale: boolean;
  created_at: string;
  started_at: string | null;
  expires_at: string;
  cancelled_at: string | null;
  failed_at: string | null;
  completed_at: string | null;
  updated_at: string;
  /** The /v1 assistant the run is for (null for the site's runs). */
  assistant_id?: string | null;
  /** The client runs the function tools (a /v1 run): in requires_action the run waits for its outputs. */
  has_client_tools?: boolean;
  /** Run settings as the /v1 client sent them (temperature, tool_choice, …), echoed on the run object. */
  options?: Record<string, unknown>;
  /** The audiences its question was asked under (lib/audiences/access.ts); null: none (public pages only). */
  reader_audiences?: string[] | null;
};

export type TPage<T> = { data: T[]; has_more: boolean };

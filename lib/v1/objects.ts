import { createHash } from 'node:crypto';
import { toMessageObject, toRunObject, toUnix } from '../assistant/objects';
import { ASSISTANT_ID } from '../assistant/instructions';
import type { TAssistantRow } from '../db/api-assistants';
import type { TMessageRow, TRunRow } from '../db/rows';
import type { TMessageObject, TRunObject } from '../shared/api-objects';
import { readerMetadata } from '../shared/messages';
import { isTerminalRunStatus } from '../shared/runs';

// Rows → the objects of OpenAI's Assistants API v2, as /v1 answers them. Threads are the site's thread object
// (lib/assistant/objects.ts); messages and runs are the site's with what /v1 adds: the assistant that wrote them,
// the run's settings, and metadata as OpenAI typed it (strings only: what the engine notes on an answer for the
// site, such as offline: true, is not the client's metadata).

export type TAssistantObject = {
  id: string;
  object: 'assistant';
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: unknown[];
  tool_resources: Record<string, never>;
  metadata: Record<string, string>;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
};

export function toAssistantObject(row: TAssistantRow): TAssistantObject {
  return {
    id: row.id,
    object: 'assistant',
    created_at: toUnix(row.created_at),
    name: row.name,
    description: row.description,
    model: row.model,
    instructions: row.instructions,
    tools: row.tools,
    tool_resources: {},
    metadata: row.metadata,
    temperature: row.temperature ?? 1,
    top_p: row.top_p ?? 1,
    response_format: row.response_format ?? 'auto',
  };
}

function stringMetadata(metadata: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function toApiMessageObject(row: TMessageRow): TMessageObject {
  return {
    ...toMessageObject(row),
    assistant_id: row.role === 'assistant' && row.run_id ? (row.assistant_id ?? null) : null,
    metadata: stringMetadata(readerMetadata(row)),
  };
}

export type TApiRunObject = Omit<TRunObject, 'metadata'> & {
  metadata: Record<string, string>;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: unknown;
  tool_choice: unknown;
  parallel_tool_calls: boolean;
  response_format: unknown;
};

export function toApiRunObject(row: TRunRow): TApiRunObject {
  const options = row.options ?? {};
  // The site's research steps are no field of the Assistants API's run: /v1 has them as run steps.
  const { research_steps: _siteOnly, ...run } = toRunObject(row);
  return {
    ...run,
    assistant_id: row.assistant_id ?? ASSISTANT_ID,
    metadata: stringMetadata(row.metadata),
    temperature: (options.temperature as number | null | undefined) ?? 1,
    top_p: (options.top_p as number | null | undefined) ?? 1,
    max_prompt_tokens: (options.max_prompt_tokens as number | null | undefined) ?? null,
    max_completion_tokens: (options.max_completion_tokens as number | null | undefined) ?? null,
    truncation_strategy: options.truncation_strategy ?? { type: 'auto', last_messages: null },
    tool_choice: options.tool_choice ?? 'auto',
    parallel_tool_calls: (options.parallel_tool_calls as boolean | null | undefined) ?? true,
    response_format: options.response_format ?? 'auto',
  };
}

// Run steps ------------------------------------------------------------------------------------------------
// Steps are not stored: they are read off the run, one `tool_calls` step per tool round (with the outputs
// submitted for it) and one `message_creation` step for the run's answer. Their ids are derived from the run
// and the round (or the answer's message), so a step has the same id in every list, retrieve and stream event.
// Timestamps are the run's: the engine does not time steps within a run.

export type TStepStatus = 'in_progress' | 'cancelled' | 'failed' | 'completed' | 'expired';

export type TRunStepObject = {
  id: string;
  object: 'thread.run.step';
  created_at: number;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: 'tool_calls' | 'message_creation';
  status: TStepStatus;
  cancelled_at: number | null;
  completed_at: number | null;
  expired_at: number | null;
  failed_at: number | null;
  last_error: { code: string; message: string } | null;
  step_details:
    | { type: 'tool_calls'; tool_calls: { id: string; type: 'function'; function: { name: string; arguments: string; output: string | null } }[] }
    | { type: 'message_creation'; message_creation: { message_id: string } };
  usage: null;
  metadata: Record<string, string>;
};

export function stepId(runId: string, part: string): string {
  return `step_${createHash('sha256').update(`${runId}:${part}`).digest('hex').slice(0, 24)}`;
}

/** How a step that did not complete ended, by how its run ended. */
function unfinishedStepStatus(run: TRunRow): TStepStatus {
  if (run.status === 'cancelled') return 'cancelled';
  if (run.status === 'expired') return 'expired';
  if (run.status === 'failed' || run.status === 'incomplete') return 'failed';
  return 'in_progress';
}

function stepBase(run: TRunRow, id: string, status: TStepStatus) {
  const endedAt = toUnix(run.completed_at ?? run.failed_at ?? run.cancelled_at ?? run.updated_at);
  return {
    id,
    object: 'thread.run.step' as const,
    created_at: toUnix(run.started_at ?? run.created_at),
    assistant_id: run.assistant_id ?? ASSISTANT_ID,
    thread_id: run.thread_id,
    run_id: run.id,
    status,
    cancelled_at: status === 'cancelled' ? toUnix(run.cancelled_at ?? run.updated_at) : null,
    completed_at: status === 'completed' ? endedAt : null,
    expired_at: status === 'expired' ? toUnix(run.updated_at) : null,
    failed_at: status === 'failed' ? toUnix(run.failed_at ?? run.updated_at) : null,
    last_error: status === 'failed' ? run.last_error : null,
    usage: null,
    metadata: {},
  };
}

/** The run's tool round `index` as a step: completed once its outputs were submitted. */
export function toToolCallsStep(run: TRunRow, index: number): TRunStepObject {
  const round = run.tool_rounds[index];
  const outputs = new Map((round?.tool_outputs ?? []).map((output) => [output.tool_call_id, output.output]));
  const status: TStepStatus = round?.tool_outputs ? 'completed' : unfinishedStepStatus(run);
  return {
    ...stepBase(run, stepId(run.id, `tool_calls:${index}`), status),
    type: 'tool_calls',
    step_details: {
      type: 'tool_calls',
      tool_calls: (round?.tool_calls ?? []).map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.function.name, arguments: call.function.arguments, output: outputs.get(call.id) ?? null },
      })),
    },
  };
}

/** The step that writes the run's answer (message `messageId`), with the answer's status. */
export function toMessageCreationStep(run: TRunRow, messageId: string, messageStatus: TMessageRow['status'] | null): TRunStepObject {
  const status: TStepStatus =
    messageStatus === 'completed' || (messageStatus === 'incomplete' && run.status === 'incomplete')
      ? 'completed'
      : isTerminalRunStatus(run.status)
        ? unfinishedStepStatus(run)
        : 'in_progress';
  return {
    ...stepBase(run, stepId(run.id, `message:${messageId}`), status),
    type: 'message_creation',
    step_details: { type: 'message_creation', message_creation: { message_id: messageId } },
  };
}

/** The run's steps, oldest first: its tool rounds, then its answer when it has one. */
export function listRunSteps(run: TRunRow, message: TMessageRow | null): TRunStepObject[] {
  const steps = run.tool_rounds.map((_, index) => toToolCallsStep(run, index));
  if (message) steps.push(toMessageCreationStep(run, message.id, message.status));
  return steps;
}

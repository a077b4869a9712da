import type { TMessageRow, TPage, TRunRow, TThreadRow } from '../db/rows';
import type { TListObject, TMessageObject, TRunObject, TThreadObject } from '../shared/api-objects';
import { IMAGES_METADATA_KEY, imageMarkersOf } from '../shared/images';
import { readerMetadata } from '../shared/messages';
import { isActiveRunStatus } from '../shared/runs';
import { ASSISTANT_ID } from './instructions';
import { researchStepsOf } from './research-steps';

// Rows → the JSON objects of the OpenAI Assistants API (timestamps in Unix seconds), which clients were
// written against.

export function toUnix(iso: string): number;
export function toUnix(iso: string | null): number | null;
export function toUnix(iso: string | null): number | null {
  return iso === null ? null : Math.floor(Date.parse(iso) / 1000);
}

export function toThreadObject(row: TThreadRow): TThreadObject {
  return { id: row.id, object: 'thread' as const, created_at: toUnix(row.created_at), metadata: row.metadata, tool_resources: {} };
}

export function toMessageObject(row: TMessageRow): TMessageObject {
  const createdAt = toUnix(row.created_at);
  // Rows written before streaming existed have no status columns: they are completed messages.
  const status = row.status ?? 'completed';
  return {
    id: row.id,
    object: 'thread.message' as const,
    created_at: createdAt,
    thread_id: row.thread_id,
    status,
    incomplete_details: row.incomplete_details ?? null,
    completed_at: status === 'completed' ? (toUnix(row.completed_at ?? null) ?? createdAt) : null,
    incomplete_at: toUnix(row.incomplete_at ?? null),
    role: row.role,
    content: row.content,
    assistant_id: row.role === 'assistant' ? ASSISTANT_ID : null,
    run_id: row.run_id,
    attachments: [],
    // What readers may see: a maintainer's reply without the maintainer's name or Slack ids; a question's screenshots
    // as their types only (lib/shared/images.ts imageMarkersOf), so that a thread's messages stay small on every poll.
    metadata: withImageMarkers(readerMetadata(row)),
  };
}

function withImageMarkers(metadata: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(metadata[IMAGES_METADATA_KEY]) ? { ...metadata, [IMAGES_METADATA_KEY]: imageMarkersOf(metadata) } : metadata;
}

export function toRunObject(row: TRunRow): TRunObject {
  return {
    id: row.id,
    object: 'thread.run' as const,
    created_at: toUnix(row.created_at),
    assistant_id: ASSISTANT_ID,
    thread_id: row.thread_id,
    status: row.status,
    required_action: row.required_action,
    last_error: row.last_error,
    expires_at: isActiveRunStatus(row.status) ? toUnix(row.expires_at) : null,
    started_at: toUnix(row.started_at),
    cancelled_at: toUnix(row.cancelled_at),
    failed_at: toUnix(row.failed_at),
    completed_at: toUnix(row.completed_at),
    incomplete_details: row.incomplete_details,
    model: row.model,
    instructions: row.instructions,
    tools: row.tools,
    metadata: row.metadata,
    usage: row.usage,
    ...researchStepsField(row),
  };
}

/** A research run's steps so far, as the site's run object carries them (none on another run). */
function researchStepsField(row: TRunRow): Pick<TRunObject, 'research_steps'> {
  const steps = researchStepsOf(row);
  return steps ? { research_steps: steps } : {};
}

export type { TMessageObject, TRunObject, TThreadObject };

export function toListObject<TRow, TObject extends { id: string }>(page: TPage<TRow>, map: (row: TRow) => TObject): TListObject<TObject> {
  const data = page.data.map(map);
  return {
    object: 'list' as const,
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: page.has_more,
  };
}

import type { TMessageRow, TPage, TRunRow, TThreadRow } from '../db/rows';
import type { TListObject, TMessageObject, TRunObject, TThreadObject } from '../shared/api-objects';
import { readerMetadata } from '../shared/messages';
import { isActiveRunStatus } from '../shared/runs';
import { ASSISTANT_ID } from './instructions';

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
    // What readers may see: a maintainer's reply without the maintainer's name or Slack ids.
    metadata: readerMetadata(row),
  };
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
  };
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

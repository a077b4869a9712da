import type { TDb } from './types';
import type { TPage } from './rows';

// The assistants of /v1 (api_assistant), each owned by the API key that created it.

export type TAssistantRow = {
  id: string;
  created_at: string;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: unknown[];
  metadata: Record<string, string>;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
};

/** The fields of an assistant a create or update sets; an update changes only the keys present. */
export type TAssistantFields = Partial<Omit<TAssistantRow, 'id' | 'created_at' | 'metadata'>> & { metadata?: Record<string, string | null> };

export type TListPage = { limit: number; order: 'asc' | 'desc'; after?: string; before?: string };

export function createAssistant({ db, owner, assistant }: { db: TDb; owner: string; assistant: TAssistantFields & { model: string } }) {
  return db.rpc<TAssistantRow>('create_assistant', { p_owner: owner, p_assistant: assistant });
}

export function getAssistantById({ db, owner, assistantId }: { db: TDb; owner: string; assistantId: string }) {
  return db.rpc<TAssistantRow>('get_assistant_by_id', { p_owner: owner, p_assistant_id: assistantId });
}

export function updateAssistantById({ db, owner, assistantId, changes }: { db: TDb; owner: string; assistantId: string; changes: TAssistantFields }) {
  return db.rpc<TAssistantRow>('update_assistant_by_id', { p_owner: owner, p_assistant_id: assistantId, p_changes: changes });
}

export function deleteAssistantById({ db, owner, assistantId }: { db: TDb; owner: string; assistantId: string }) {
  return db.rpc<{ id: string; deleted: true }>('delete_assistant_by_id', { p_owner: owner, p_assistant_id: assistantId });
}

export function listAssistantsByOwner({ db, owner, page }: { db: TDb; owner: string; page: TListPage }) {
  return db.rpc<TPage<TAssistantRow>>('list_assistants_by_owner', {
    p_owner: owner,
    p_limit: page.limit,
    p_order: page.order,
    p_after: page.after ?? null,
    p_before: page.before ?? null,
  });
}

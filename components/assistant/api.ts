// The browser's side of the paste-assistant API: typed fetches that turn the error contract into Errors.

export type TApiError = Error & { status: number; code: string };

export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  });
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!response.ok) {
    const error = new Error(payload?.error?.message ?? `Request failed (${response.status})`) as TApiError;
    error.status = response.status;
    error.code = payload?.error?.code ?? 'unknown';
    throw error;
  }
  return payload as T;
}

export const fetcher = <T,>(url: string) => apiFetch<T>(url);

export type TAnnotation = { type: 'url_citation'; url: string; title: string; start_index: number; end_index: number };
export type TMessage = {
  id: string;
  role: 'user' | 'assistant';
  created_at: number;
  run_id: string | null;
  content: { type: 'text'; text: { value: string; annotations: TAnnotation[] } }[];
  metadata: Record<string, unknown>;
};
export type TThread = { id: string; created_at: number; metadata: Record<string, string> };
export type TRun = {
  id: string;
  thread_id: string;
  status: 'queued' | 'in_progress' | 'requires_action' | 'completed' | 'failed' | 'cancelled' | 'expired' | 'incomplete';
  last_error: { code: string; message: string } | null;
  incomplete_details: { reason: string; message?: string } | null;
};
export type TList<T> = { object: 'list'; data: T[]; first_id: string | null; last_id: string | null; has_more: boolean };

export const TERMINAL_STATUSES: TRun['status'][] = ['completed', 'failed', 'cancelled', 'expired', 'incomplete'];
export const isTerminal = (run: TRun) => TERMINAL_STATUSES.includes(run.status);

import type { TAnnotation, TMessage, TRun, TThread } from '@/components/assistant/api';

// Objects in the shapes the paste-assistant routes return, for component tests.

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(counter += 1).toString().padStart(8, '0')}`;
const now = () => Math.floor(Date.now() / 1000);

export function buildThread(overrides: Partial<TThread> = {}): TThread {
  return { id: nextId('thread'), created_at: now(), metadata: { threadTitle: 'New thread' }, ...overrides };
}

export function buildMessage({
  text = 'Hello',
  annotations = [],
  ...overrides
}: Partial<TMessage> & { text?: string; annotations?: TAnnotation[] } = {}): TMessage {
  return {
    id: nextId('msg'),
    role: 'assistant',
    created_at: now(),
    run_id: null,
    metadata: {},
    content: [{ type: 'text', text: { value: text, annotations } }],
    ...overrides,
  };
}

export function buildRun(overrides: Partial<TRun> = {}): TRun {
  return { id: nextId('run'), thread_id: 'thread_00000000', status: 'queued', last_error: null, incomplete_details: null, ...overrides };
}

export function buildList<T extends { id: string }>(data: T[]) {
  return { object: 'list' as const, data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: false };
}

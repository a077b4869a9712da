import { describe, expect, it } from 'vitest';
import { toTranscriptView } from '@/lib/maintainers/transcript';
import type { TTranscriptData, TTranscriptRun } from '@/lib/db/maintainers';

// The transcript's order (lib/maintainers/transcript.ts): each answer right after the run that wrote it, a run that
// wrote none where it was started. A question points at its latest run (a Retry or "Research this" re-points it), so
// placing runs by their question put a research run before the quick answer that came first.

const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, second)).toISOString();

function run(id: string, second: number, status: string): TTranscriptRun {
  return {
    id,
    status,
    model: 'offline',
    created_at: at(second),
    completed_at: status === 'completed' ? at(second + 1) : null,
    failed_at: status === 'failed' ? at(second + 1) : null,
    cancelled_at: null,
    last_error: status === 'failed' ? { code: 'server_error', message: 'The model failed' } : null,
    incomplete_details: null,
    usage: null,
    tool_rounds: [],
  } as unknown as TTranscriptRun;
}

function message(id: string, role: 'user' | 'assistant', second: number, runId: string | null): TTranscriptData['messages'][number] {
  return {
    id,
    role,
    run_id: runId,
    created_at: at(second),
    content: [{ type: 'text', text: { value: id, annotations: [] } }],
    metadata: {},
    vote: null,
  } as unknown as TTranscriptData['messages'][number];
}

function order(messages: TTranscriptData['messages'], runs: TTranscriptRun[]): string[] {
  const data = {
    thread: { id: 'thread_1', metadata: {}, created_at: at(0), updated_at: at(0), slack_thread_ts: null },
    messages,
    runs,
    slack: [],
  } as unknown as TTranscriptData;
  return toTranscriptView(data).entries.map((entry) => (entry.type === 'run' ? `${entry.id}:${entry.status}` : entry.id));
}

describe('the transcript’s order', () => {
  it('shows a quick answer, then the research run and its answer, when "Research this" re-pointed the question', () => {
    const messages = [message('question', 'user', 1, 'run_research'), message('quick answer', 'assistant', 3, 'run_quick'), message('research answer', 'assistant', 9, 'run_research')];
    expect(order(messages, [run('run_quick', 2, 'completed'), run('run_research', 5, 'completed')])).toEqual([
      'question',
      'run_quick:completed',
      'quick answer',
      'run_research:completed',
      'research answer',
    ]);
  });

  it('shows a failed run before the Retry that answered', () => {
    const messages = [message('question', 'user', 1, 'run_retry'), message('answer', 'assistant', 6, 'run_retry')];
    expect(order(messages, [run('run_first', 2, 'failed'), run('run_retry', 5, 'completed')])).toEqual(['question', 'run_first:failed', 'run_retry:completed', 'answer']);
  });

  it('shows a run that wrote nothing right after its question, before the next question', () => {
    const messages = [message('first', 'user', 1, 'run_1'), message('second', 'user', 4, 'run_2'), message('answer', 'assistant', 6, 'run_2')];
    expect(order(messages, [run('run_1', 2, 'failed'), run('run_2', 5, 'completed')])).toEqual(['first', 'run_1:failed', 'second', 'run_2:completed', 'answer']);
  });

  it('shows a run still going after its question', () => {
    expect(order([message('question', 'user', 1, 'run_1')], [run('run_1', 2, 'in_progress')])).toEqual(['question', 'run_1:in_progress']);
  });
});

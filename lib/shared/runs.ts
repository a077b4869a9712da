// Run statuses, as the Assistants API named them: the one definition the server, the SQL's callers, the
// event stream and the browser all use. (The SQL check constraint lists the same eight.)

export const ACTIVE_RUN_STATUSES = ['queued', 'in_progress', 'requires_action'] as const;
export const TERMINAL_RUN_STATUSES = ['completed', 'failed', 'cancelled', 'expired', 'incomplete'] as const;
export const RUN_STATUSES = [...ACTIVE_RUN_STATUSES, ...TERMINAL_RUN_STATUSES] as const;

export type TActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];
export type TTerminalRunStatus = (typeof TERMINAL_RUN_STATUSES)[number];
export type TRunStatus = TActiveRunStatus | TTerminalRunStatus;

export function isTerminalRunStatus(status: string): status is TTerminalRunStatus {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

export function isActiveRunStatus(status: string): status is TActiveRunStatus {
  return (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
}

export function isRunStatus(status: string): status is TRunStatus {
  return (RUN_STATUSES as readonly string[]).includes(status);
}

/**
 * How a question is answered: `quick` (one round of searches, the default) or `research` (issue 71: several searches
 * in the docs' words and whole pages read, within RESEARCH_MAX_STEPS / RESEARCH_MAX_SECONDS, streamed step by step).
 * A research run carries `mode: "research"` in its options and metadata.
 */
export const RUN_MODES = ['quick', 'research'] as const;
export type TRunMode = (typeof RUN_MODES)[number];

/** Whether a run (its options or metadata, as stored) is a research run. */
export function isResearchRun(run: { options?: Record<string, unknown> | null; metadata?: Record<string, unknown> | null }): boolean {
  return run.options?.mode === 'research' || run.metadata?.mode === 'research';
}

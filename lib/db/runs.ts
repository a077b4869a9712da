import type { TDb } from './types';
import type { TMessageContent, TMessageRow, TRunError, TRunRow, TRunStatus, TToolCall, TToolOutput, TUsage } from './rows';

type TOwned = { db: TDb; owner: string; threadId: string; runId: string };

export function getRunById({ db, owner, threadId, runId }: TOwned) {
  return db.rpc<TRunRow>('get_run_by_id', { p_owner: owner, p_thread_id: threadId, p_run_id: runId });
}

export function getLatestRunByThread({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }) {
  return db.rpc<TRunRow | null>('get_latest_run_by_thread', { p_owner: owner, p_thread_id: threadId });
}

export function cancelRunById({ db, owner, threadId, runId }: TOwned) {
  return db.rpc<TRunRow>('cancel_run_by_id', { p_owner: owner, p_thread_id: threadId, p_run_id: runId });
}

export function claimRunById({ db, runId, worker, leaseSeconds }: { db: TDb; runId: string; worker: string; leaseSeconds: number }) {
  return db.rpc<{ claimed: boolean; run: TRunRow | null }>('claim_run_by_id', {
    p_run_id: runId,
    p_worker: worker,
    p_lease_seconds: leaseSeconds,
  });
}

export function renewRunLeaseById({ db, runId, worker, leaseSeconds }: { db: TDb; runId: string; worker: string; leaseSeconds: number }) {
  return db.rpc<boolean>('renew_run_lease_by_id', { p_run_id: runId, p_worker: worker, p_lease_seconds: leaseSeconds });
}

export function getRunContextById({ db, runId }: { db: TDb; runId: string }) {
  return db.rpc<{ run: TRunRow; messages: TMessageRow[] }>('get_run_context_by_id', { p_run_id: runId });
}

export function requireRunActionById({
  db,
  runId,
  worker,
  toolCalls,
  usage,
}: {
  db: TDb;
  runId: string;
  worker: string;
  toolCalls: TToolCall[];
  usage?: TUsage;
}) {
  return db.rpc<TRunRow>('require_run_action_by_id', {
    p_run_id: runId,
    p_worker: worker,
    p_tool_calls: toolCalls,
    p_usage: usage ?? null,
  });
}

export function submitRunToolOutputsById({
  db,
  owner,
  runId,
  toolOutputs,
}: {
  db: TDb;
  owner: string;
  runId: string;
  toolOutputs: TToolOutput[];
}) {
  return db.rpc<TRunRow>('submit_run_tool_outputs_by_id', { p_owner: owner, p_run_id: runId, p_tool_outputs: toolOutputs });
}

export function completeRunById({
  db,
  runId,
  worker,
  content,
  metadata,
  usage,
}: {
  db: TDb;
  runId: string;
  worker: string;
  content: TMessageContent;
  metadata: Record<string, unknown>;
  usage?: TUsage;
}) {
  return db.rpc<TRunRow>('complete_run_by_id', {
    p_run_id: runId,
    p_worker: worker,
    p_content: content,
    p_message_metadata: metadata,
    p_usage: usage ?? null,
  });
}

/** Ends an active run as failed or incomplete. With a worker, only if that worker holds the lease. */
export function endRunById({
  db,
  runId,
  worker,
  status,
  error,
  usage,
}: {
  db: TDb;
  runId: string;
  worker: string | null;
  status: Extract<TRunStatus, 'failed' | 'incomplete'>;
  error: TRunError | { reason: string; message: string };
  usage?: TUsage;
}) {
  return db.rpc<TRunRow | null>('end_run_by_id', {
    p_run_id: runId,
    p_worker: worker,
    p_status: status,
    p_error: error,
    p_usage: usage ?? null,
  });
}

export function listOrphanedRuns({ db, limit }: { db: TDb; limit: number }) {
  return db.rpc<{ id: string; thread_id: string; owner: string; status: TRunStatus }[]>('list_orphaned_runs', { p_limit: limit });
}

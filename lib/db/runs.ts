import type { TDb } from './types';
import type { TMessageContent, TMessageRow, TPage, TRunError, TRunRow, TRunStatus, TToolCall, TToolOutput, TUsage } from './rows';
import { questionArgs, type TNewQuestion, type TNewRun } from './messages';
import { mapDbError } from './errors';
import type { TAllowance, TBucketSpec } from './limits';

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

/** The run, the conversation up to its question, and the answer an earlier attempt at this step persisted. */
export function getRunContextById({ db, runId }: { db: TDb; runId: string }) {
  return db.rpc<{ run: TRunRow; messages: TMessageRow[]; draft: TMessageRow | null }>('get_run_context_by_id', { p_run_id: runId });
}

/** A claim of a run's next step, with what the executor needs when it is claimed (the thread, a draft, the owner). */
export type TRunClaim =
  | { claimed: false; run: TRunRow | null }
  | { claimed: true; run: TRunRow; messages: TMessageRow[]; draft: TMessageRow | null; owner: string };

/** claimRunById, then (if claimed) getRunContextById, in one round trip. */
export function claimRunWithContextById({ db, runId, worker, leaseSeconds }: { db: TDb; runId: string; worker: string; leaseSeconds: number }) {
  return db.rpc<TRunClaim>('claim_run_with_context_by_id', { p_run_id: runId, p_worker: worker, p_lease_seconds: leaseSeconds });
}

/**
 * create_message_and_run, then claim_run_with_context_by_id for this worker, in one round trip (the question's
 * run executed here). `run` is the run as created (queued); `claim` the claim of its first step.
 */
export function createMessageAndClaimRun({ db, worker, leaseSeconds, ...question }: TNewQuestion & { worker: string; leaseSeconds: number }) {
  return db.rpc<{ message: TMessageRow; run: TRunRow; claim: TRunClaim }>('create_message_and_claim_run', {
    ...questionArgs(question),
    p_worker: worker,
    p_lease_seconds: leaseSeconds,
  });
}

/**
 * What a question's sender may spend, taken in the round trip that stores it (createMessageAndRunWithinLimits), as
 * take_rate_limits (`requestBuckets`, none: not taken) then take_model_allowance would take it; a refusal of a limit
 * named in `passable` lets the question through.
 */
/** The model allowance's part of `p_limits`, as pa_refused_model_allowance (30_runs.sql) reads it. */
function modelAllowanceArg(limits: Pick<TQuestionLimits, 'threadMessageCap' | 'dailyTokenCap' | 'modelBuckets' | 'passable'>) {
  return { thread_message_cap: limits.threadMessageCap, daily_token_cap: limits.dailyTokenCap, model_buckets: limits.modelBuckets, passable: limits.passable };
}

export type TQuestionLimits = {
  requestBuckets: TBucketSpec[];
  threadMessageCap: number;
  dailyTokenCap: number;
  modelBuckets: TBucketSpec[];
  passable: string[];
};

/**
 * The sender's limits taken, then the question stored with its run (create_message_and_run) and, given a `worker`,
 * the run's first step claimed for it (create_message_and_claim_run), in one round trip. `refusal`: a limit refused
 * the question, and nothing was stored. 404 and 409 as create_message_and_run (the burst tokens stay taken).
 */
export async function createMessageAndRunWithinLimits({
  db,
  limits,
  worker,
  leaseSeconds,
  ...question
}: TNewQuestion & { limits: TQuestionLimits; worker: string | null; leaseSeconds: number }): Promise<{ refusal: Extract<TAllowance, { allowed: false }> } | { message: TMessageRow; run: TRunRow; claim?: TRunClaim }> {
  const name = 'create_message_and_run_within_limits';
  const result = await db.rpc<
    | { refusal: Extract<TAllowance, { allowed: false }> }
    | { error: { code: string; message: string } }
    | { message: TMessageRow; run: TRunRow; claim?: TRunClaim }
  >(name, {
    p_limits: { request_buckets: limits.requestBuckets, ...modelAllowanceArg(limits) },
    ...questionArgs(question),
    p_worker: worker,
    p_lease_seconds: leaseSeconds,
  });
  // Returned rather than raised, so that the burst tokens taken before it stay taken.
  if ('error' in result) throw mapDbError(result.error, name);
  return result;
}

/**
 * A Retry or research re-run (createRunForMessageById) within the asker's model allowance, in one round trip: a re-run
 * the thread refuses (404, 409) is thrown and gives the allowance back; a refused allowance is returned, nothing
 * created. Request burst limits are not taken here: a re-run's route takes them before.
 */
export async function createRunForMessageWithinLimits({
  db,
  limits,
  owner,
  threadId,
  messageId,
  run,
}: {
  db: TDb;
  limits: Pick<TQuestionLimits, 'threadMessageCap' | 'dailyTokenCap' | 'modelBuckets' | 'passable'>;
  owner: string;
  threadId: string;
  messageId: string;
  run: TNewRun;
}): Promise<{ refusal: Extract<TAllowance, { allowed: false }> } | { message: TMessageRow; run: TRunRow }> {
  const name = 'create_run_for_message_within_limits';
  const result = await db.rpc<
    { refusal: Extract<TAllowance, { allowed: false }> } | { error: { code: string; message: string } } | { message: TMessageRow; run: TRunRow }
  >(name, {
    p_limits: modelAllowanceArg(limits),
    p_owner: owner,
    p_thread_id: threadId,
    p_message_id: messageId,
    p_run: run,
  });
  if ('error' in result) throw mapDbError(result.error, name);
  return result;
}

/** The run (owned by the caller, expiry applied) and its assistant message, if it has one yet. */
export function getRunStreamStateById({ db, owner, threadId, runId }: TOwned) {
  return db.rpc<{ run: TRunRow; message: TMessageRow | null }>('get_run_stream_state_by_id', {
    p_owner: owner,
    p_thread_id: threadId,
    p_run_id: runId,
  });
}

export type TAppendResult = {
  /** False once the run is no longer in progress under this worker: the executor should stop. */
  is_active: boolean;
  status: TRunStatus | null;
  message_id?: string | null;
  /** The stored text's length in code points. */
  length?: number;
  /** The offset was beyond the stored text: nothing was written. */
  is_gap?: boolean;
};

/**
 * Writes the answer so far as its executor: the stored text becomes its first `offset` code points followed
 * by `text`. The first write creates the run's in-progress assistant message with `messageId`.
 */
export function appendRunMessageById({
  db,
  runId,
  worker,
  messageId,
  offset,
  text,
}: {
  db: TDb;
  runId: string;
  worker: string;
  messageId: string;
  offset: number;
  text: string;
}) {
  return db.rpc<TAppendResult>('append_run_message_by_id', {
    p_run_id: runId,
    p_worker: worker,
    p_message_id: messageId,
    p_offset: offset,
    p_text: text,
  });
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

/**
 * The server's dispatch of tool round `round` (the run's number of tool rounds when the dispatcher read it): a
 * conflict (409) when the run has left that round (another dispatcher answered it, or the run moved on).
 */
export function submitRunToolRoundById({
  db,
  owner,
  runId,
  round,
  toolOutputs,
}: {
  db: TDb;
  owner: string;
  runId: string;
  round: number;
  toolOutputs: TToolOutput[];
}) {
  return db.rpc<TRunRow>('submit_run_tool_round_by_id', { p_owner: owner, p_run_id: runId, p_round: round, p_tool_outputs: toolOutputs });
}

/**
 * submitRunToolRoundById, then claimRunWithContextById for this worker, in one round trip and one transaction (the
 * round's next step executed here). `run`: the run as the submission left it (queued).
 */
export function submitRunToolRoundAndClaimById({
  db,
  owner,
  runId,
  round,
  toolOutputs,
  worker,
  leaseSeconds,
}: {
  db: TDb;
  owner: string;
  runId: string;
  round: number;
  toolOutputs: TToolOutput[];
  worker: string;
  leaseSeconds: number;
}) {
  return db.rpc<{ run: TRunRow; claim: TRunClaim }>('submit_run_tool_round_and_claim_by_id', {
    p_owner: owner,
    p_run_id: runId,
    p_round: round,
    p_tool_outputs: toolOutputs,
    p_worker: worker,
    p_lease_seconds: leaseSeconds,
  });
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

export type TRunStreamStateChange =
  | { id: string; is_missing: true }
  | { id: string; is_missing?: undefined; version: string; run: TRunRow; message: TMessageRow | null };

/**
 * The stream state of several runs in one query (expiry applied): only those whose version differs from the
 * one given, and those that are gone. Ownership is not checked here: each stream checked it when it opened.
 */
export function listRunStreamStatesByIds({ db, runs }: { db: TDb; runs: { id: string; version: string | null }[] }) {
  return db.rpc<TRunStreamStateChange[]>('get_run_stream_states', { p_runs: runs });
}

/** Leases runs nobody moves to this worker's sweeper (expiring the ones past expires_at first). */
export function claimRunsToSweep({
  db,
  worker,
  limit,
  graceSeconds,
  leaseSeconds,
}: {
  db: TDb;
  worker: string;
  limit: number;
  graceSeconds: number;
  leaseSeconds: number;
}) {
  return db.rpc<{ run: TRunRow; owner: string }[]>('claim_runs_to_sweep', {
    p_worker: worker,
    p_limit: limit,
    p_grace_seconds: graceSeconds,
    p_lease_seconds: leaseSeconds,
  });
}

/** Embedded store only (one process): ends the leases a previous process of this DATA_DIR held. */
export function releaseRunLeasesOfOtherWorkers({ db, worker }: { db: TDb; worker: string }) {
  return db.rpc<number>('release_run_leases_of_other_workers', { p_worker: worker });
}

/** A cursor page of the thread's runs (limit, order, after, before), expiry applied. */
export function listRunsPageByThread({
  db,
  owner,
  threadId,
  page,
}: {
  db: TDb;
  owner: string;
  threadId: string;
  page: { limit: number; order: 'asc' | 'desc'; after?: string; before?: string };
}) {
  return db.rpc<TPage<TRunRow>>('list_runs_page_by_thread', {
    p_owner: owner,
    p_thread_id: threadId,
    p_limit: page.limit,
    p_order: page.order,
    p_after: page.after ?? null,
    p_before: page.before ?? null,
  });
}

/** Merges `metadata` into the run's (a key set to null is removed); the run's state is untouched. */
export function updateRunMetadataById({ db, owner, threadId, runId, metadata }: TOwned & { metadata: Record<string, string | null> }) {
  return db.rpc<TRunRow>('update_run_metadata_by_id', { p_owner: owner, p_thread_id: threadId, p_run_id: runId, p_metadata: metadata });
}

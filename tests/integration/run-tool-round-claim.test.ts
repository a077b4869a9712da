import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRunRow } from '@/lib/db/rows';
import {
  claimRunWithContextById,
  createMessageAndClaimRun,
  requireRunActionById,
  submitRunToolRoundAndClaimById,
  submitRunToolRoundById,
  type TRunClaim,
} from '@/lib/db/runs';
import { createThread } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { createStoreDb, execSql, querySql, STORES } from '../helpers/stores';

// submit_run_tool_round_and_claim_by_id (supabase/schemas/30_runs.sql) answers a tool round and claims the run's next
// step in one lookup and one update of the run when the claim is sure to succeed. What holds, on both stores: it
// writes the run once (the two calls write it twice) and returns what submit_run_tool_round_by_id and then
// claim_run_with_context_by_id return, for the same run in the same
// state; and where the claim is not sure (the run expired, a wrong round, outputs for other calls), it keeps their
// outcomes: the run expired and not claimed, 409, 400.

const OWNER = 'owner-a';
const WORKER = 'worker-1';
const TOOL_CALLS = [
  { id: 'call_b', type: 'function' as const, function: { name: 'get_relevant_docs', arguments: '{"prompt":"toast"}' } },
  { id: 'call_a', type: 'function' as const, function: { name: 'get_relevant_docs', arguments: '{"prompt":"button"}' } },
];
const OUTPUTS = [
  { tool_call_id: 'call_a', output: '{"results":[{"title":"Button"}]}' },
  { tool_call_id: 'call_b', output: '{"results":[{"title":"Toast"}]}' },
];

/** A run of a new thread (one earlier exchange, then the question), waiting for its first tool round's outputs. */
async function runWaitingForTools(db: TDb, { expiresInSeconds = 600 }: { expiresInSeconds?: number } = {}): Promise<TRunRow> {
  const thread = await createThread({ db, owner: OWNER, metadata: {} });
  const question = (text: string) => [{ type: 'text' as const, text: { value: text, annotations: [] } }];
  const spec = { model: 'm', instructions: 'Answer from the docs.', tools: [], max_tool_rounds: 3, max_attempts: 3, expires_in_seconds: expiresInSeconds };
  const { run } = await createMessageAndClaimRun({ db, owner: OWNER, threadId: thread.id, content: question('How do I dismiss a toast?'), run: spec, worker: WORKER, leaseSeconds: 30 });
  return requireRunActionById({ db, runId: run.id, worker: WORKER, toolCalls: TOOL_CALLS, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
}

/** What may differ between two runs in the same state: their ids, the thread's, and the times they were stamped. */
function comparable(value: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => comparable(item, ids));
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && ids.has(value)) return ids.get(value);
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (/_at$/.test(key)) out[key] = item === null ? null : 'time';
    else out[key] = comparable(item, ids);
  }
  return out;
}

function idsOf(run: TRunRow, claim: TRunClaim, label: string): Map<string, string> {
  const ids = new Map<string, string>([
    [run.id, `${label}:run`],
    [run.thread_id, `${label}:thread`],
  ]);
  if (claim.claimed) claim.messages.forEach((message, index) => ids.set(message.id, `${label}:message${index}`));
  return ids;
}

describe.each(STORES)('answering a tool round and claiming the next step in one call, on %s', (store) => {
  let db: TDb;
  beforeAll(async () => {
    db = await createStoreDb(store);
  });
  afterAll(async () => {
    await db.close();
  });

  it('returns what the submission and then the claim return, for runs in the same state', async () => {
    const [one, two] = [await runWaitingForTools(db), await runWaitingForTools(db)];
    // Counts the run's row versions written (this test database only): the combined call writes one, not two.
    await execSql(db, `create table test_run_updates (run_id text);
      create function test_count_run_update() returns trigger language plpgsql as $$
      begin insert into test_run_updates values (new.id); return null; end; $$;
      create trigger test_count_run_update after update on assistant_run for each row execute function test_count_run_update();`);
    const updatesOf = async (runId: string) => (await querySql<{ n: number }>(db, 'select count(*)::int as n from test_run_updates where run_id = $1', [runId])).rows[0]!.n;
    const combined = await submitRunToolRoundAndClaimById({ db, owner: OWNER, runId: one.id, round: 1, toolOutputs: OUTPUTS, worker: WORKER, leaseSeconds: 30 });
    const submitted = await submitRunToolRoundById({ db, owner: OWNER, runId: two.id, round: 1, toolOutputs: OUTPUTS });
    const claim = await claimRunWithContextById({ db, runId: two.id, worker: WORKER, leaseSeconds: 30 });
    expect(await updatesOf(one.id)).toBe(1);
    expect(await updatesOf(two.id)).toBe(2);
    await execSql(db, 'drop trigger test_count_run_update on assistant_run; drop function test_count_run_update(); drop table test_run_updates;');

    expect(combined.claim.claimed).toBe(true);
    expect(combined.run.status).toBe('queued');
    expect(combined.run.tool_rounds[0]?.tool_outputs).toEqual(OUTPUTS);
    const left = comparable(combined, idsOf(combined.run, combined.claim, 'x'));
    const right = comparable({ run: submitted, claim }, idsOf(submitted, claim, 'x'));
    expect(left).toEqual(right);
    // What the store holds afterwards is the claimed run, as the claim says.
    const held = await claimRunWithContextById({ db, runId: one.id, worker: 'worker-2', leaseSeconds: 30 });
    expect(held.claimed).toBe(false);
    expect(held.run?.status).toBe('in_progress');
    expect(held.run?.attempts).toBe(1);
  });

  it('expires a run past its expiry instead of claiming it, as the claim does', async () => {
    const run = await runWaitingForTools(db, { expiresInSeconds: 600 });
    await execSql(db, `update assistant_run set expires_at = now() - interval '1 second' where id = '${run.id}'`);
    const { run: submitted, claim } = await submitRunToolRoundAndClaimById({ db, owner: OWNER, runId: run.id, round: 1, toolOutputs: OUTPUTS, worker: WORKER, leaseSeconds: 30 });
    expect(submitted.status).toBe('queued');
    expect(claim.claimed).toBe(false);
    expect(claim.run?.status).toBe('expired');
  });

  it('refuses a round the run has left (409) and outputs for other calls (400), changing nothing', async () => {
    const run = await runWaitingForTools(db);
    const submit = (round: number, toolOutputs: typeof OUTPUTS) =>
      submitRunToolRoundAndClaimById({ db, owner: OWNER, runId: run.id, round, toolOutputs, worker: WORKER, leaseSeconds: 30 });
    await expect(submit(2, OUTPUTS)).rejects.toMatchObject({ code: 'conflict' });
    await expect(submit(1, OUTPUTS.slice(0, 1))).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      submitRunToolRoundAndClaimById({ db, owner: 'someone-else', runId: run.id, round: 1, toolOutputs: OUTPUTS, worker: WORKER, leaseSeconds: 30 }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const { run: after, claim } = await submit(1, OUTPUTS);
    expect(after.status).toBe('queued');
    expect(claim.claimed).toBe(true);
  });
});

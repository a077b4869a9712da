import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { TDepthsRead } from './state';

// The metrics operators chart. Names follow OpenTelemetry's semantic conventions where one exists (the GenAI
// client's token usage and operation duration), else `pa.*`. Attributes are low-cardinality labels only: a door,
// a status, a model, a kind, a channel — never a reader's text, an id or an address.
//
// Contract: each recorder is a no-op while metrics are off (one global read), so call sites need no check.

export type TInstruments = {
  questions: Counter;
  runs: Counter;
  timeToFirstToken: Histogram;
  timeToComplete: Histogram;
  tokens: Counter;
  tokenUsage: Histogram;
  modelDuration: Histogram;
  searches: Counter;
  searchDuration: Histogram;
  deflections: Counter;
  handoffs: Counter;
  handoffsRefused: Counter;
  syncDuration: Histogram;
  syncFailures: Counter;
};

export function createInstruments(meter: Meter, readDepths: () => Promise<TDepthsRead> | null): TInstruments {
  const seconds = (name: string, description: string) => meter.createHistogram(name, { description, unit: 's' });
  const instruments: TInstruments = {
    questions: meter.createCounter('pa.questions', { description: 'Questions asked, by kind (answered, refused, client_run)', unit: '{question}' }),
    runs: meter.createCounter('pa.runs', { description: 'Runs that ended, by status', unit: '{run}' }),
    timeToFirstToken: seconds('pa.answer.time_to_first_token', "From a question's run queued to the answer's first text"),
    timeToComplete: seconds('pa.answer.duration', "From a question's run queued to its end, by status"),
    tokens: meter.createCounter('pa.model.tokens', { description: 'Tokens the model used, by model and type (input, output)', unit: '{token}' }),
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', { description: 'Tokens per model call', unit: '{token}' }),
    modelDuration: seconds('gen_ai.client.operation.duration', 'A model call, from request to response'),
    searches: meter.createCounter('pa.docs.searches', { description: 'Docs searches', unit: '{search}' }),
    searchDuration: seconds('pa.docs.search.duration', 'A docs search'),
    deflections: meter.createCounter('pa.deflections', { description: 'Questions the docs answered without the maintainers (deflected), by outcome', unit: '{question}' }),
    handoffs: meter.createCounter('pa.handoffs', { description: 'Conversations handed to the maintainers, by channel', unit: '{handoff}' }),
    handoffsRefused: meter.createCounter('pa.handoffs.refused', { description: 'Hand-offs their hourly limits refused, by limit (handoff_reader, handoff_address, handoff_site)', unit: '{handoff}' }),
    syncDuration: seconds('pa.sync.duration', "A docs source's sync, by kind and outcome"),
    syncFailures: meter.createCounter('pa.sync.failures', { description: "Docs sources' syncs that failed, by kind", unit: '{sync}' }),
  };
  const gauge = (name: string, description: string) => meter.createObservableGauge(name, { description, unit: '{item}' });
  const runsQueued = gauge('pa.runs.queued', 'Runs waiting to be executed');
  const runsActive = gauge('pa.runs.active', 'Runs queued, in progress or waiting for tools');
  const inbox = gauge('pa.chat_inbox.depth', "Chat doors' questions waiting to be answered");
  const outbox = gauge('pa.outbox.depth', 'Slack posts waiting to be delivered');
  // One read of the database per collection for the four gauges.
  meter.addBatchObservableCallback(async (result) => {
    const read = readDepths();
    if (!read) return;
    try {
      const depths = await read;
      result.observe(runsQueued, depths.runsQueued);
      result.observe(runsActive, depths.runsActive);
      result.observe(inbox, depths.inboxPending);
      result.observe(outbox, depths.outboxPending);
    } catch {
      // A database that does not answer now has no depth to report; the next collection tries again.
    }
  }, [runsQueued, runsActive, inbox, outbox]);
  return instruments;
}

function instruments(): TInstruments | null {
  return (globalThis as { __pasteTelemetry?: { instruments: TInstruments | null } }).__pasteTelemetry?.instruments ?? null;
}

export const metrics = {
  /** A question was stored with its run: `outcome` answered (by the model), refused (moderation), client_run (/v1's own tools). */
  question(outcome: string): void {
    instruments()?.questions.add(1, { 'pa.question.kind': outcome });
  },
  /** A run ended with `status`, `seconds` after it was queued with its question. */
  runEnded(status: string, seconds: number): void {
    const set = instruments();
    if (!set) return;
    set.runs.add(1, { 'pa.run.status': status });
    set.timeToComplete.record(seconds, { 'pa.run.status': status });
  },
  /** A run's answer showed its first text `seconds` after the run was queued. */
  firstToken(seconds: number): void {
    instruments()?.timeToFirstToken.record(seconds);
  },
  modelCall({ model, operation, seconds, inputTokens, outputTokens, errorType }: { model: string; operation: string; seconds: number; inputTokens?: number; outputTokens?: number; errorType?: string }): void {
    const set = instruments();
    if (!set) return;
    const attributes: Attributes = { 'gen_ai.operation.name': operation, 'gen_ai.request.model': model, ...(errorType ? { 'error.type': errorType } : {}) };
    set.modelDuration.record(seconds, attributes);
    if (inputTokens !== undefined) {
      set.tokens.add(inputTokens, { 'gen_ai.request.model': model, 'gen_ai.token.type': 'input' });
      set.tokenUsage.record(inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
    }
    if (outputTokens !== undefined) {
      set.tokens.add(outputTokens, { 'gen_ai.request.model': model, 'gen_ai.token.type': 'output' });
      set.tokenUsage.record(outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
    }
  },
  search({ seconds, topKind, isEmpty }: { seconds: number; topKind?: string; isEmpty: boolean }): void {
    const set = instruments();
    if (!set) return;
    const attributes = { 'pa.search.top_kind': topKind ?? 'none', 'pa.search.is_empty': isEmpty };
    set.searches.add(1, attributes);
    set.searchDuration.record(seconds, attributes);
  },
  deflection(outcome: string): void {
    instruments()?.deflections.add(1, { 'pa.deflection.outcome': outcome });
  },
  sync({ kind, seconds, isFailed }: { kind: string; seconds: number; isFailed: boolean }): void {
    const set = instruments();
    if (!set) return;
    set.syncDuration.record(seconds, { 'pa.source.kind': kind, 'pa.sync.outcome': isFailed ? 'failed' : 'ok' });
    if (isFailed) set.syncFailures.add(1, { 'pa.source.kind': kind });
  },
};

/**
 * A conversation was handed to the maintainers through `channel` (github, slack, email…): the hand-off counter.
 * The hook for the hand-off feature to call; a no-op while metrics are off.
 */
export function recordHandoff(channel: string): void {
  instruments()?.handoffs.add(1, { 'pa.handoff.channel': channel });
}

/** A hand-off refused by one of its hourly limits (`limit`: handoff_reader, handoff_address, handoff_site). */
export function recordHandoffRefused(limit: string): void {
  instruments()?.handoffsRefused.add(1, { 'pa.limit': limit });
}

export type TDepths = TDepthsRead;

/** Where the depth gauges read the queues from (the app, once it has a database); a no-op while metrics are off. */
export function observeDepths(read: () => Promise<TDepthsRead>): void {
  const state = (globalThis as { __pasteTelemetry?: { depths: (() => Promise<TDepthsRead>) | null } }).__pasteTelemetry;
  if (state) state.depths = read;
}

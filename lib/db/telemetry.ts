import type { TDb } from './types';

// supabase/schemas/90_telemetry.sql: what the telemetry's gauges read.

export type TWorkDepths = { runs_queued: number; runs_active: number; inbox_pending: number; outbox_pending: number };

/** The depth of the run queue, the chat doors' inbox and Slack's outbox, counted now. */
export function getWorkDepths({ db }: { db: TDb }) {
  return db.rpc<TWorkDepths>('get_work_depths');
}

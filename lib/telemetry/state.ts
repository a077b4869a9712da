import type { TInstruments } from './metrics';

// The process's telemetry, once ./start.ts started it: kept on globalThis (see ./index.ts), absent while off.

export type TTelemetryState = {
  /** Spans are recorded and exported (an endpoint for traces is set). */
  isTracing: boolean;
  /** OTEL_RECORD_CONTENT=on. */
  isContentRecorded: boolean;
  /** Masks text as stored text is (lib/privacy/mask.ts), for content recorded on spans. */
  mask(text: string): string;
  /** The metrics' instruments; null when metrics are not exported. */
  instruments: TInstruments | null;
  /** Where the depth gauges read the queues from (the app registers it: lib/app.ts); null until then. */
  depths: (() => Promise<TDepthsRead>) | null;
  /** Exports what is buffered, then stops the providers. */
  shutdown(): Promise<void>;
};

export type TDepthsRead = { runsQueued: number; runsActive: number; inboxPending: number; outboxPending: number };

export function setTelemetryState(state: TTelemetryState | undefined): void {
  (globalThis as { __pasteTelemetry?: TTelemetryState }).__pasteTelemetry = state;
}

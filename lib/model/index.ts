import type { TConfig } from '../config';
import { createChatModel } from './chat';
import { createOfflineModel } from './offline';
import { createResponsesModel } from './responses';
import { traceModel } from './telemetry';
import type { TModelClient } from './types';

/** The model the config asks for: offline by default, else the Responses API or a Chat Completions server. */
export function createModelClient(config: TConfig): TModelClient {
  if (config.model.mode === 'offline') {
    // A not-covered answer points to the maintainers only when a reader can reach them (HANDOFF_TO, lib/handoff).
    const isHandoffOn = (config.handoff?.channels.length ?? 0) > 0;
    return traceModel(createOfflineModel({ delayMs: config.testing.offlineModelDelayMs, pieceMs: config.testing.offlineModelPieceMs, isHandoffOn }));
  }
  const options = { config: config.model, siteUrl: config.siteUrl };
  // Every call traced (lib/model/telemetry.ts): a check of one global while telemetry is off.
  return traceModel(config.model.style === 'responses' ? createResponsesModel(options) : createChatModel(options));
}

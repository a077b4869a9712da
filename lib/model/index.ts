import type { TModelSettings } from './settings';
import { createChatModel } from './chat';
import { createOfflineModel } from './offline';
import { createResponsesModel } from './responses';
import { traceModel } from './telemetry';
import type { TModelClient } from './types';

/** The model the config asks for: offline by default, else the Responses API or a Chat Completions server. */
export function createModelClient(config: Pick<TModelSettings, 'model' | 'testing'> & { siteUrl: string }): TModelClient {
  if (config.model.mode === 'offline') {
    // Whether a not-covered answer points to "Ask the maintainers" comes with each request (the run's door).
    return traceModel(createOfflineModel({ delayMs: config.testing.offlineModelDelayMs, pieceMs: config.testing.offlineModelPieceMs }));
  }
  const options = { config: config.model, siteUrl: config.siteUrl };
  // Every call traced (lib/model/telemetry.ts): a check of one global while telemetry is off.
  return traceModel(config.model.style === 'responses' ? createResponsesModel(options) : createChatModel(options));
}

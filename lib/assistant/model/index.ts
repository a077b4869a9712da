import type { TConfig } from '../../config';
import { createOfflineModel } from './offline';
import type { TModelClient } from './types';

export function createModelClient(config: TConfig): TModelClient {
  if (config.model.mode === 'offline') return createOfflineModel();
  throw new Error('OpenAI-compatible models are not wired yet');
}

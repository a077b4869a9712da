import { z } from 'zod';
import { defineSettings, intInRange, type TSettingsContext } from '../../settings';

// With a model configured: the assistant's docs search asks it to reorder the top 20 results (and to rewrite a weak
// query) in one short call (./model-rerank.ts). Off by default: it adds a model call per search.
export const searchRerankSettings = defineSettings(
  {
    DOCS_SEARCH_RERANK: z.enum(['off', 'model']).default('off').or(z.literal('').transform(() => 'off' as const)),
    DOCS_SEARCH_RERANK_TIMEOUT_MS: intInRange(4000, 100, 60_000),
  },
  (env, { hasModel }: TSettingsContext & { hasModel: boolean }) => ({
    docsSearchRerank: { isOn: env.DOCS_SEARCH_RERANK === 'model' && hasModel, timeoutMs: env.DOCS_SEARCH_RERANK_TIMEOUT_MS },
  }),
);

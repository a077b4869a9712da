import { defineSettings, intInRange, optionalString } from '../settings';
import { envApiKeyId, hashApiKey } from './key-hash';

// The OpenAI-compatible /v1 API (assistants, threads, runs). API_KEYS: keys, comma separated, for bootstrapping and
// tests; `npm run api-key -- create <name>` makes keys kept (hashed) in the database. Each key: 20+ characters, no
// spaces or commas. Per API key: requests per minute, and runs started per hour.

/** /v1: the keys from API_KEYS (as hashes, with the id their objects are owned by) and the per-key limits. */
export type TApiConfig = {
  envKeys: { id: string; hash: string }[];
  requestsPerMinute: number;
  runsPerHour: number;
};

export const apiSettings = defineSettings(
  {
    API_KEYS: optionalString.refine(
      (value) => value === undefined || value.split(',').every((key) => /^[\x21-\x2b\x2d-\x7e]{20,200}$/.test(key.trim())),
      { message: 'API_KEYS must be keys of 20 to 200 visible characters, separated by commas' },
    ),
    RATE_LIMIT_API_KEY_REQUESTS_PER_MINUTE: intInRange(600, 1, 1_000_000),
    RATE_LIMIT_API_KEY_RUNS_PER_HOUR: intInRange(1000, 1, 1_000_000),
  },
  (env): { api: TApiConfig } => ({
    api: {
      envKeys: (env.API_KEYS ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '')
        .map((key) => {
          const hash = hashApiKey(key);
          return { id: envApiKeyId(hash), hash };
        }),
      requestsPerMinute: env.RATE_LIMIT_API_KEY_REQUESTS_PER_MINUTE,
      runsPerHour: env.RATE_LIMIT_API_KEY_RUNS_PER_HOUR,
    },
  }),
);

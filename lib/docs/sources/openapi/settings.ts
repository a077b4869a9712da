import path from 'node:path';
import { ConfigError, defineSettings, intInRange, isHttpUrl, optionalString } from '../../../settings';

// The OpenAPI kind's settings. DOCS_OPENAPI: OpenAPI 3.0/3.1 or Swagger 2.0 specs, JSON or YAML, as paths or http(s)
// URLs separated by commas. DOCS_OPENAPI_BASE_URL: where the team publishes its own reference (links go there
// instead of /docs/reference/<spec>; `{spec}` in it stands for the spec's name). A spec is fetched within the
// crawler's timeout (DOCS_CRAWL_TIMEOUT_SECONDS).

export type TOpenapiConfig = {
  /** Each spec: an absolute file path or an http(s) URL. */
  specs: string[];
  /** Where the team publishes its reference (`{spec}`: the spec's name); null: this site's /docs/reference/<spec>. */
  baseUrl: string | null;
  intervalMinutes: number;
  /** A spec larger than this is refused (its previous operations are kept). */
  maxBytes: number;
  timeoutMs: number;
};

/** API references from OpenAPI specs (DOCS_OPENAPI); null (or absent) when none is set. */
export type TOpenapiSettings = { openapi?: TOpenapiConfig | null };

export const openapiSettings = defineSettings(
  {
    DOCS_OPENAPI: optionalString,
    DOCS_OPENAPI_BASE_URL: optionalString.refine((value) => value === undefined || isHttpUrl(value.replace('{spec}', 'spec')), {
      message: 'DOCS_OPENAPI_BASE_URL must be an http(s) URL',
    }),
    DOCS_OPENAPI_INTERVAL_MINUTES: intInRange(60, 1, 10_080),
    DOCS_OPENAPI_MAX_BYTES: intInRange(20_000_000, 10_000, 200_000_000),
    DOCS_CRAWL_TIMEOUT_SECONDS: intInRange(15, 1, 300),
  },
  (env, { cwd }): TOpenapiSettings => {
    const specs = (env.DOCS_OPENAPI ?? '').split(',').map((spec) => spec.trim()).filter((spec) => spec !== '');
    if (specs.length === 0) {
      if (env.DOCS_OPENAPI_BASE_URL !== undefined) throw new ConfigError('DOCS_OPENAPI_BASE_URL is set but DOCS_OPENAPI is missing: name the specs (paths or URLs, separated by commas)');
      return { openapi: null };
    }
    for (const spec of specs) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec) && !isHttpUrl(spec)) throw new ConfigError(`DOCS_OPENAPI: ${spec} is neither a file path nor an http(s) URL`);
    }
    return {
      openapi: {
        specs: [...new Set(specs.map((spec) => (isHttpUrl(spec) ? spec : path.resolve(cwd, spec))))],
        baseUrl: env.DOCS_OPENAPI_BASE_URL?.replace(/\/+$/, '') ?? null,
        intervalMinutes: env.DOCS_OPENAPI_INTERVAL_MINUTES,
        maxBytes: env.DOCS_OPENAPI_MAX_BYTES,
        timeoutMs: env.DOCS_CRAWL_TIMEOUT_SECONDS * 1000,
      },
    };
  },
);

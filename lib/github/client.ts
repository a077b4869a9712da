import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { addSpanEvent, markFailed, withSpan } from '../telemetry';
import type { TLogger } from '../log';

// The GitHub client of this kind: Octokit (REST and GraphQL) with GitHub's own plugins for both rate limits and
// for retries. Primary limit (403/429 with x-ratelimit-remaining 0): wait until x-ratelimit-reset; secondary limit
// (403/429 "secondary rate limit", retry-after): wait retry-after; each at most MAX_LIMIT_WAITS times per request,
// then the sync fails and the index keeps what it had. 5xx and network errors: retried with a growing backoff.
// Conditional requests: the ETag of every GET it made is sent again as If-None-Match, and a 304 (which GitHub does
// not count against the limit) answers with the body kept from the 200. Kept in memory, and in `store` when given
// (the database's docs_source_cache, so that a restarted or another instance asks conditionally too).
// The token goes to Octokit only: never to a log line (Octokit redacts it from its errors too).

/** How many times one request waits out a rate limit before the sync gives up. */
const MAX_LIMIT_WAITS = 3;
/** ETags (with their bodies) kept at most, the oldest dropped first: a large repository's comments, not unbounded. */
const MAX_CACHED = 20_000;

export type TGithubClientOptions = {
  apiUrl: string;
  token: string | null;
  log: TLogger;
  /** The unit of retry-after and of the retries' backoff (1000: seconds, as GitHub means them). Tests shorten it. */
  retryAfterBaseMs?: number;
  /** Retries of a 5xx or a network error. */
  retries?: number;
  /** Where ETags and their bodies outlive the process; a failure of it is logged, never fails a request. */
  store?: TGithubCacheStore;
};

/** A cached answer: the ETag of a 200 of one URL, its body, and its Link header. */
export type TCachedAnswer = { etag: string; data: unknown; link: string | undefined };

export type TGithubCacheStore = {
  read(key: string): Promise<TCachedAnswer | null>;
  write(key: string, entry: TCachedAnswer): Promise<void>;
};

/** What a sync's requests met, for its report. */
export type TGithubRequestStats = { requests: number; notModified: number; rateLimited: number; secondaryRateLimited: number; retried: number };

export type TGithubGetResult<T> = { status: 'ok'; data: T; headers: Record<string, string | number | undefined> } | { status: 'not-modified'; data: T };

export type TProbeResult = 'exists' | 'deleted' | 'transferred' | 'not-found';

type TCached = TCachedAnswer;

export type TGithubClient = ReturnType<typeof createGithubClient>;

const ThrottledOctokit = Octokit.plugin(throttling, retry);

export function createGithubClient({ apiUrl, token, log, retryAfterBaseMs = 1000, retries = 3, store }: TGithubClientOptions) {
  const stats: TGithubRequestStats = { requests: 0, notModified: 0, rateLimited: 0, secondaryRateLimited: 0, retried: 0 };
  const cache = new Map<string, TCached>();
  const apiOrigin = new URL(apiUrl).origin;
  let attempts = 0;
  const octokit = new ThrottledOctokit({
    auth: token ?? undefined,
    baseUrl: apiUrl,
    userAgent: 'paste-assistant-github-source',
    // Every attempt goes through fetch, a retry's too, while the `request` hook sees each call once (the retry and
    // throttling plugins wrap inside it): the attempts beyond the calls are the retries. Counted when an attempt
    // starts, when every call begun before it has made its first attempt, so the last attempt's count is exact.
    request: {
      fetch: (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
        attempts += 1;
        stats.retried = Math.max(stats.retried, attempts - stats.requests);
        return fetch(input, init);
      },
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => log.warn({ source: 'github' }, `github client: ${message}`),
      error: (message: string) => log[githubFailureLevel(message)]({ source: 'github' }, `github client: ${message}`),
    },
    throttle: {
      retryAfterBaseValue: retryAfterBaseMs,
      onRateLimit: (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
        stats.rateLimited += 1;
        addSpanEvent('github rate limit wait', { 'pa.github.retry_after_s': retryAfter, 'pa.github.limit': 'primary', 'pa.github.retry_count': retryCount });
        log.warn({ retryAfter, url: options.url, retryCount }, 'github: primary rate limit reached; waiting for its reset');
        return retryCount < MAX_LIMIT_WAITS;
      },
      onSecondaryRateLimit: (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number) => {
        stats.secondaryRateLimited += 1;
        addSpanEvent('github rate limit wait', { 'pa.github.retry_after_s': retryAfter, 'pa.github.limit': 'secondary', 'pa.github.retry_count': retryCount });
        log.warn({ retryAfter, url: options.url, retryCount }, 'github: secondary rate limit reached; waiting retry-after');
        return retryCount < MAX_LIMIT_WAITS;
      },
    },
    retry: { retries, retryAfterBaseValue: retryAfterBaseMs },
  });
  octokit.hook.before('request', () => {
    stats.requests += 1;
  });
  // Each call a span, its retries and rate-limit waits inside it (the plugins' hooks run within this one), named by
  // the route's template (`GET /repos/{owner}/{repo}/issues`): no query, no token.
  // A 304 (unchanged) and a 404 (gone) are answers a sync expects, not failed spans.
  octokit.hook.wrap('request', async (request, options) => {
    const outcome = await withSpan(
      `github ${options.method} ${options.url}`,
      { 'http.request.method': options.method, 'url.template': options.url, 'server.address': new URL(apiUrl).host },
      async (span) => {
        try {
          const response = await request(options);
          span.setAttribute('http.response.status_code', response.status);
          return { response };
        } catch (error) {
          const status = statusOf(error);
          if (status !== null) span.setAttribute('http.response.status_code', status);
          if (status !== 304 && status !== 404) markFailed(span, error);
          return { error };
        }
      },
      { kind: 'client' },
    );
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  });

  /** A GET by route or by full URL (a Link's next page), conditional on the ETag of the last 200 of that URL. */
  async function get<T>(route: string, params: Record<string, unknown> = {}): Promise<TGithubGetResult<T> & { link?: string }> {
    const endpoint = octokit.request.endpoint(route, params);
    const key = endpoint.url;
    // A listing `since` a time is never asked for again with the same URL: its ETag would only take room.
    const isCacheable = !new URL(key).searchParams.has('since');
    const cached = cache.get(key) ?? (isCacheable ? await readStored(key) : null);
    try {
      const response = await octokit.request(route, { ...params, headers: cached ? { 'if-none-match': cached.etag } : {} });
      const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
      const link = typeof response.headers.link === 'string' ? response.headers.link : undefined;
      if (etag && isCacheable) {
        const entry = { etag, data: response.data, link };
        remember(key, entry);
        if (store) await store.write(key, entry).catch((error: unknown) => log.warn({ err: errorMessage(error) }, 'github: could not keep an ETag in the database'));
      }
      return { status: 'ok', data: response.data as T, headers: response.headers as Record<string, string | number | undefined>, link };
    } catch (error) {
      if (cached && statusOf(error) === 304) {
        stats.notModified += 1;
        return { status: 'not-modified', data: cached.data as T, link: cached.link };
      }
      throw error;
    }
  }

  function remember(key: string, entry: TCached) {
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  }

  async function readStored(key: string): Promise<TCached | null> {
    if (!store) return null;
    try {
      const entry = await store.read(key);
      if (entry) remember(key, entry);
      return entry;
    } catch (error) {
      log.warn({ err: errorMessage(error) }, 'github: could not read a kept ETag from the database');
      return null;
    }
  }

  /**
   * Every page of a list, following the Link header's rel="next" (each page conditional on its ETag); at most
   * `maxPages` pages when given (a newest-first list whose old pages do not matter).
   */
  async function list<T>(route: string, params: Record<string, unknown>, { maxPages }: { maxPages?: number } = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | null = null;
    let page = await get<T[]>(route, params);
    for (let pages = 1; ; pages += 1) {
      items.push(...page.data);
      next = nextLink(page.link);
      if (!next || (maxPages !== undefined && pages >= maxPages)) return items;
      // The token goes with every request: a Link to another host is never followed.
      if (new URL(next).origin !== apiOrigin) throw new Error(`github: a Link header points outside ${apiOrigin}; not followed`);
      page = await get<T[]>(`GET ${next}`);
    }
  }

  /** Whether a thread still exists in the repository: a 404/410 is deleted, a 301 moved to another repository. */
  async function probe({ owner, repo, number }: { owner: string; repo: string; number: number }): Promise<TProbeResult> {
    try {
      const response = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: number, request: { redirect: 'manual' } });
      // Octokit types only the 200; with redirects not followed, a moved thread answers 301.
      const status: number = response.status;
      return status >= 300 && status < 400 ? 'transferred' : 'exists';
    } catch (error) {
      const status = statusOf(error);
      if (status === 410) return 'deleted';
      if (status === 404) return 'not-found';
      throw error;
    }
  }

  return {
    stats,
    get,
    list,
    probe,
    graphql: <T>(query: string, variables: Record<string, unknown>) => octokit.graphql<T>(query, variables),
    /** Any request, uncached (the drafted docs fixes' writes: lib/maintainers/gaps/github.ts), under the same limits and retries. */
    request: octokit.request,
    /** The counters start again (each sync reports its own). The ETags are kept: that is what they are for. */
    resetStats: () => {
      attempts = 0;
      Object.assign(stats, { requests: 0, notModified: 0, rateLimited: 0, secondaryRateLimited: 0, retried: 0 });
    },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** The rel="next" URL of a Link header (RFC 8288, as GitHub writes it), or null on the last page. */
export function nextLink(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match?.[2]?.split(/\s+/).includes('next')) return match[1] ?? null;
  }
  return null;
}

/**
 * The level of Octokit's line for a request that did not answer 2xx ("GET /repos/… - 304 with id … in 12ms"). A 304
 * is a conditional request's "unchanged" and a 404 a repository without releases or a thread deleted since: each
 * sync meets them and handles them (content/docs/guides/github.mdx calls them normal), so they are debug lines. Any other status is an error.
 */
export function githubFailureLevel(message: string): 'debug' | 'error' {
  const status = /^\S+ \S+ - (\d{3}) with id /.exec(message)?.[1];
  return status === '304' || status === '404' ? 'debug' : 'error';
}

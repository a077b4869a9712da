import { defineSettings, intInRange, isHttpUrl, optionalString } from '../../../settings';

// The crawl kind's settings: published docs sites to crawl (DOCS_CRAWL_URL: a root or a sitemap, several
// separated by commas), how often, and the crawler's bounds.

export type TCrawlSettings = {
  crawl: {
    urls: string[];
    intervalMinutes: number;
    contentSelector: string | null;
    maxPages: number;
    concurrency: number;
    timeoutMs: number;
    maxPageBytes: number;
  } | null;
};

export const crawlSettings = defineSettings(
  {
    DOCS_CRAWL_URL: optionalString.refine((value) => value === undefined || value.split(',').every((url) => url.trim() === '' || isHttpUrl(url.trim())), {
      message: 'DOCS_CRAWL_URL must be http(s) URLs separated by commas',
    }),
    DOCS_CRAWL_INTERVAL_MINUTES: intInRange(60, 1, 10_080),
    // A CSS selector of the main content, when readability's guess is not the page's content.
    DOCS_CRAWL_CONTENT_SELECTOR: optionalString,
    DOCS_CRAWL_MAX_PAGES: intInRange(5000, 1, 100_000),
    DOCS_CRAWL_CONCURRENCY: intInRange(4, 1, 16),
    DOCS_CRAWL_TIMEOUT_SECONDS: intInRange(15, 1, 300),
    DOCS_CRAWL_MAX_PAGE_BYTES: intInRange(5_000_000, 10_000, 100_000_000),
  },
  (env): TCrawlSettings => {
    const urls = (env.DOCS_CRAWL_URL ?? '').split(',').map((url) => url.trim()).filter((url) => url !== '');
    return {
      crawl:
        urls.length === 0
          ? null
          : {
              urls,
              intervalMinutes: env.DOCS_CRAWL_INTERVAL_MINUTES,
              contentSelector: env.DOCS_CRAWL_CONTENT_SELECTOR ?? null,
              maxPages: env.DOCS_CRAWL_MAX_PAGES,
              concurrency: env.DOCS_CRAWL_CONCURRENCY,
              timeoutMs: env.DOCS_CRAWL_TIMEOUT_SECONDS * 1000,
              maxPageBytes: env.DOCS_CRAWL_MAX_PAGE_BYTES,
            },
    };
  },
);

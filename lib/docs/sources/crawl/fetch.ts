// One request of the crawler: only to the configured origins (redirects followed by hand, each checked, at
// most MAX_REDIRECTS, loops refused), with a timeout, a size cap read as the body streams in, the product's
// user agent, and conditional headers (ETag / Last-Modified) so that an unchanged page costs a 304.

export const CRAWLER_USER_AGENT = 'PasteAssistant-crawler/1.0 (+docs assistant indexing this site)';
const MAX_REDIRECTS = 5;

export type TCrawlFailureKind = 'down' | 'http' | 'timeout' | 'too-large' | 'not-html' | 'redirect-loop' | 'off-origin' | 'invalid-sitemap';

export class CrawlFetchError extends Error {
  override name = 'CrawlFetchError';
  constructor(
    readonly kind: TCrawlFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type TFetchOptions = {
  allowedOrigins: ReadonlySet<string>;
  timeoutMs: number;
  maxBytes: number;
  /** Content types accepted (by prefix): `text/html` for pages, XML for sitemaps, text for robots.txt. */
  accept: string[];
  etag?: string | null;
  lastModified?: string | null;
};

export type TFetched =
  | { status: 'ok'; url: string; body: string; etag: string | null; lastModified: string | null }
  | { status: 'not-modified'; url: string }
  | { status: 'gone'; url: string; httpStatus: number };

export async function crawlFetch(url: string, options: TFetchOptions): Promise<TFetched> {
  let current = url;
  const seen = new Set<string>();
  for (let hop = 0; ; hop += 1) {
    const target = new URL(current);
    if (!options.allowedOrigins.has(target.origin)) throw new CrawlFetchError('off-origin', `${current} is outside the crawled origins`);
    if (seen.has(target.href)) throw new CrawlFetchError('redirect-loop', `redirect loop at ${current}`);
    if (hop > MAX_REDIRECTS) throw new CrawlFetchError('redirect-loop', `more than ${MAX_REDIRECTS} redirects from ${url}`);
    seen.add(target.href);
    const headers: Record<string, string> = { 'user-agent': CRAWLER_USER_AGENT, accept: options.accept.join(', ') };
    if (hop === 0 && options.etag) headers['if-none-match'] = options.etag;
    if (hop === 0 && options.lastModified) headers['if-modified-since'] = options.lastModified;
    let response: Response;
    try {
      response = await fetch(target, { redirect: 'manual', headers, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') throw new CrawlFetchError('timeout', `no answer from ${current} within ${options.timeoutMs} ms`);
      throw new CrawlFetchError('down', `${current} could not be reached: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
    }
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new CrawlFetchError('http', `${current} answered ${response.status} without a location`, response.status);
      current = new URL(location, target).href;
      continue;
    }
    if (response.status === 304) return { status: 'not-modified', url: target.href };
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return { status: 'gone', url: target.href, httpStatus: response.status };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new CrawlFetchError('http', `${current} answered ${response.status}`, response.status);
    }
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (!options.accept.some((accepted) => type.startsWith(accepted))) {
      await response.body?.cancel();
      throw new CrawlFetchError('not-html', `${current} is ${type || 'of no content type'}, not ${options.accept.join(' or ')}`);
    }
    const body = await readCapped(response, options.maxBytes, current, options.timeoutMs);
    return { status: 'ok', url: target.href, body, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
  }
}

async function readCapped(response: Response, maxBytes: number, url: string, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new CrawlFetchError('too-large', `${url} is ${declared} bytes, over the ${maxBytes}-byte cap`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new CrawlFetchError('too-large', `${url} is over the ${maxBytes}-byte cap`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof CrawlFetchError) throw error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new CrawlFetchError('timeout', `${url} did not finish within ${timeoutMs} ms`);
    throw new CrawlFetchError('down', `${url} broke off: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

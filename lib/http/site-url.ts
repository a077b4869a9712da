import type { IncomingMessage } from 'node:http';
import type { TRateLimitConfig } from '../limits/settings';

// Where links the server builds point. SITE_URL when it is set. Otherwise a request's links use the address the
// request was sent to: its Host, or behind a trusted proxy (TRUSTED_PROXY_HEADER, the same trust the rate limits
// give it) the proxy's X-Forwarded-Host and X-Forwarded-Proto, or its Forwarded header's host= and proto=. Work
// done outside a request (Slack delivery and answers, the digest, scripts) uses the address the server listens on
// (config.listenUrl). A request's address is never remembered for later work: any client can send any Host.

type TSiteUrlConfig = { siteUrl: string; isSiteUrlSet: boolean; rateLimits: Pick<TRateLimitConfig, 'trustedProxyHeader'> };

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The site's address for the links of this request's response. */
export function requestSiteUrl({ req, config }: { req: Pick<IncomingMessage, 'headers' | 'socket'>; config: TSiteUrlConfig }): string {
  if (config.isSiteUrlSet) return config.siteUrl;
  const isProxied = config.rateLimits.trustedProxyHeader !== undefined;
  const forwarded = isProxied ? forwardedParts(req.headers) : {};
  const host = forwarded.host ?? req.headers.host;
  if (host === undefined || !HOST.test(host)) return config.siteUrl;
  const isTls = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = forwarded.proto ?? (isTls ? 'https' : 'http');
  return `${proto}://${host.toLowerCase()}`;
}

/** The config a request's work sees: `siteUrl` is the request's address when SITE_URL is not set. */
export function configForRequest<TC extends TSiteUrlConfig>({ req, config }: { req: Pick<IncomingMessage, 'headers' | 'socket'>; config: TC }): TC {
  if (config.isSiteUrlSet) return config;
  const siteUrl = requestSiteUrl({ req, config });
  return siteUrl === config.siteUrl ? config : { ...config, siteUrl };
}

/** `app` as a request's work sees it: its config's `siteUrl` is the request's address when SITE_URL is not set. */
export function appForRequest<TA extends { config: TSiteUrlConfig }>({ req, app }: { req: Pick<IncomingMessage, 'headers' | 'socket'>; app: TA }): TA {
  const config = configForRequest({ req, config: app.config });
  return config === app.config ? app : { ...app, config };
}

// The proxy nearest this server wrote (or passed on) the last entry of each header.
function forwardedParts(headers: IncomingMessage['headers']): { host?: string; proto?: 'http' | 'https' } {
  const last = (value: string | string[] | undefined) => {
    const joined = Array.isArray(value) ? value.join(',') : value;
    const entries = (joined ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    return entries.at(-1);
  };
  const standard = last(headers.forwarded);
  const fromStandard = (name: string) => standard?.split(';').map((pair) => pair.trim().split('=')).find(([key]) => key?.toLowerCase() === name)?.[1]?.replace(/^"|"$/g, '');
  const host = last(headers['x-forwarded-host']) ?? fromStandard('host');
  const rawProto = (last(headers['x-forwarded-proto']) ?? fromStandard('proto'))?.toLowerCase();
  return { host, proto: rawProto === 'https' || rawProto === 'http' ? rawProto : undefined };
}

/**
 * One line for the start-up log when SITE_URL names this machine (localhost, a loopback address, or HOST) at
 * another port or scheme than the server listens on — a copied `.env`'s http://localhost:3000 on a server
 * started on 3001 — else null. A SITE_URL on another host is a proxy's or a domain's: nothing to compare.
 */
export function describeSiteUrlMismatch(config: { siteUrl: string; isSiteUrlSet: boolean; listenUrl: string }): string | null {
  if (!config.isSiteUrlSet) return null;
  const site = new URL(config.siteUrl);
  const listen = new URL(config.listenUrl);
  const isThisMachine = isLoopback(site.hostname) || site.hostname === listen.hostname;
  if (!isThisMachine) return null;
  const port = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');
  if (site.protocol === listen.protocol && port(site) === port(listen)) return null;
  return `SITE_URL is ${site.origin} but the server listens on ${listen.origin}: links the server builds (Slack, transcripts, the dashboard, npm run report) point at SITE_URL. Unset SITE_URL to use where the server is reached, or set it to that address.`;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
}

import { isIP, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TRateLimitConfig } from './settings';

// The address a request comes from, as the key of its per-address limits. Behind a proxy the socket address is
// the proxy's, so the client's comes from the header the proxy sets — and only when the operator says a proxy
// is there (TRUSTED_PROXY_HEADER); otherwise anyone could pick their own address with a header.

/** The client's address, normalised into a rate-limit key: IPv4 as is, IPv6 by its /64 (one subscriber's block). */
export function resolveClientIp(req: IncomingMessage, config: Pick<TRateLimitConfig, 'trustedProxyHeader' | 'trustedProxyHops'>): string {
  const socketAddress = req.socket?.remoteAddress ?? 'unknown';
  if (config.trustedProxyHeader) {
    const fromHeader = addressFromHeader(req.headers[config.trustedProxyHeader], config.trustedProxyHeader, config.trustedProxyHops);
    // A request without a usable header did not come through the proxy (or the proxy is misconfigured): it is
    // counted under the socket address, which shares its bucket with every such request — the cautious side.
    if (fromHeader) return toLimitKey(fromHeader);
  }
  return toLimitKey(socketAddress);
}

function addressFromHeader(value: string | string[] | undefined, header: string, hops: number): string | undefined {
  if (value === undefined) return undefined;
  const joined = Array.isArray(value) ? value.join(',') : value;
  const entries = joined
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // Proxies append: the entry `hops` from the right is the one the outermost trusted proxy wrote.
  const entry = entries[entries.length - hops];
  if (entry === undefined) return undefined;
  const candidate = header === 'forwarded' ? forwardedFor(entry) : entry;
  return candidate === undefined ? undefined : cleanAddress(candidate);
}

// RFC 7239: `for=192.0.2.60;proto=http`, `for="[2001:db8::1]:4711"`.
function forwardedFor(entry: string): string | undefined {
  for (const pair of entry.split(';')) {
    const [name, raw] = pair.split('=', 2);
    if (name?.trim().toLowerCase() === 'for' && raw !== undefined) return raw.trim().replace(/^"|"$/g, '');
  }
  return undefined;
}

function cleanAddress(raw: string): string | undefined {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1] as string;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  value = value.replace(/%.*$/, '');
  return isIP(value) ? value : undefined;
}

export function toLimitKey(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(plain);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(plain)) return plain;
  return `${expandIPv6(plain).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::', 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array.from({ length: missing }, () => '0'), ...tailGroups].map((group) => group.replace(/^0+(?=.)/, ''));
}

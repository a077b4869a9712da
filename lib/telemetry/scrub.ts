import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-node';

// The last step before a span leaves the process (./start.ts wraps the exporter with it), for every span: this
// server's own and Next.js's, whose request spans carry the URL as it was asked (`http.target`, `http.url`, and a
// name such as `GET /shared/<id>` when routing named none). Every string a span holds — its name, its attributes,
// its events' and links' attributes, its status message — has each URL and path in it rewritten:
//   - the query string goes, always (with OTEL_RECORD_CONTENT on too): it carries signatures (`?exp=…&sig=…`: the
//     maintainers' signed dashboard, transcript and report links, the drafts' downloads), tokens, OpenID Connect's
//     `?code=…&state=…`, and readers' words (`?q=…`);
//   - a path segment that is a secret becomes its route's parameter (SECRET_ROUTES: a share link's id, so
//     `/shared/[id]`, inside Next's `/_next/data/<build>/shared/<id>.json` too);
//   - whatever the route, a segment that looks like a random token (below) becomes `[secret]`: a secret on a
//     route added later is kept out before anyone lists it.
// tests/unit/telemetry-scrub.test.ts reads every dynamic route of pages/ and fails on one that is neither in
// SECRET_ROUTES nor listed there as carrying no secret.

/** The routes whose parameters are secrets (whoever has one can read what it opens), as pages/ names them. */
export const SECRET_ROUTES: readonly string[] = ['/shared/[id]'];

/** Attributes that hold only a URL's query or fragment. */
const QUERY_KEYS = new Set(['url.query', 'url.fragment']);

/**
 * What may be a URL or a path: a run of characters holding a `/`, up to a space, quote or bracket (`/shared/…`,
 * `https://host/…`, `localhost:3000/…`). Text that merely has a slash (`and/or`, `text/event-stream`) comes out the same.
 */
const URL_OR_PATH = /[^\s"'`<>()[\]{}]*\/[^\s"'`<>()[\]{}]*/g;
const SCHEME_AND_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

type TRouteRule = { segments: readonly string[] };
const RULES: TRouteRule[] = SECRET_ROUTES.map((route) => ({ segments: route.split('/').filter(Boolean) }));

const isParam = (segment: string) => segment.startsWith('[') && segment.endsWith(']');

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A random token, as a path segment: 24 or more characters of base64url (dots allowed: a JWT) mixing upper- and
 * lower-case letters (192 random bits in base64url lack one case once in 10^7), or 32 or more hexadecimal digits.
 * Readable segments (docs slugs, route names, `thread_<hex>` ids) are neither.
 */
export function isTokenLike(segment: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(segment) && /\d/.test(segment)) return true;
  return segment.length >= 24 && /^[A-Za-z0-9_.~=-]+$/.test(segment) && /[a-z]/.test(segment) && /[A-Z]/.test(segment);
}

function scrubPath(path: string): string {
  const segments = path.split('/');
  const plain = segments.map(decoded);
  for (const rule of RULES) {
    for (let at = 0; at + rule.segments.length <= segments.length; at += 1) {
      const isMatch = rule.segments.every((segment, offset) => (isParam(segment) ? plain[at + offset] !== '' : plain[at + offset] === segment));
      if (!isMatch) continue;
      rule.segments.forEach((segment, offset) => {
        if (isParam(segment)) segments[at + offset] = plain[at + offset] = segment;
      });
    }
  }
  return segments.map((segment, index) => (isTokenLike(plain[index]!) ? '[secret]' : segment)).join('/');
}

/**
 * One URL or path: without its query (and the fragment after it: a `?` after a `/` or a URL's host), its secret
 * segments replaced.
 */
function scrubUrl(url: string): string {
  const scheme = SCHEME_AND_HOST.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.indexOf('?');
  const hasQuery = at >= 0 && (scheme !== '' || rest.lastIndexOf('/', at) >= 0);
  return scheme + scrubPath(hasQuery ? rest.slice(0, at) : rest);
}

/** `text` with each URL and path in it scrubbed (above); the same string when there is nothing to change. */
export function scrubText(text: string): string {
  if (!text.includes('/')) return text;
  return text.replace(URL_OR_PATH, scrubUrl);
}

function scrubValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) {
    const values = value as readonly unknown[];
    return values.some((item) => typeof item === 'string' && scrubText(item) !== item)
      ? (values.map((item) => (typeof item === 'string' ? scrubText(item) : item)) as AttributeValue)
      : value;
  }
  return value;
}

/** The attributes with their URLs and paths scrubbed; the same object when nothing changed. */
export function scrubAttributes(attributes: Attributes): Attributes {
  let scrubbed: Attributes | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    const clean = QUERY_KEYS.has(key) ? undefined : scrubValue(value);
    if (clean === value) continue;
    scrubbed ??= { ...attributes };
    if (clean === undefined) delete scrubbed[key];
    else scrubbed[key] = clean;
  }
  return scrubbed ?? attributes;
}

/** The span as it is exported: the same span, every string in it scrubbed. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const name = scrubText(span.name);
  const attributes = scrubAttributes(span.attributes);
  const events = scrubList(span.events, (event: TimedEvent) => {
    const eventAttributes = event.attributes && scrubAttributes(event.attributes);
    const eventName = scrubText(event.name);
    return eventAttributes === event.attributes && eventName === event.name ? event : { ...event, name: eventName, attributes: eventAttributes };
  });
  const links = scrubList(span.links, (link: Link) => {
    const linkAttributes = link.attributes && scrubAttributes(link.attributes);
    return linkAttributes === link.attributes ? link : { ...link, attributes: linkAttributes };
  });
  const message = span.status.message === undefined ? undefined : scrubText(span.status.message);
  const status = message === span.status.message ? span.status : { ...span.status, message };
  if (name === span.name && attributes === span.attributes && events === span.events && links === span.links && status === span.status) return span;
  // The exporter reads fields and calls spanContext(): an object whose prototype is the span keeps both.
  return Object.create(span, {
    name: { value: name },
    attributes: { value: attributes },
    events: { value: events },
    links: { value: links },
    status: { value: status },
  }) as ReadableSpan;
}

/** `items` mapped, or the same array when no item changed. */
function scrubList<T>(items: T[], scrub: (item: T) => T): T[] {
  const mapped = items.map(scrub);
  return mapped.some((item, index) => item !== items[index]) ? mapped : items;
}

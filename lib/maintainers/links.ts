import { signValue, verifySignature } from '../session';
import { AppError } from '../errors';

// Maintainer links: `?exp=<unix seconds>&sig=<HMAC-SHA256(SESSION_SECRET, "pa-maintainer:v1:<scope>:<exp>")>`.
// The scope names what the link opens (one thread's transcript, or the report), so a signature for one thread
// opens nothing else, and the prefix keeps these signatures apart from session cookies signed with the same key.

// The report scope opens the JSON report and the dashboard (/maintainers): the same figures, for the same people.
// A `session` signature is the dashboard's sign-in cookie, bound to (a hash of) the MAINTAINER_TOKEN it was made
// with, so that changing the token signs everyone out.
export type TMaintainerScope =
  | { type: 'transcript'; threadId: string }
  | { type: 'report' }
  | { type: 'session'; tokenHash: string };

const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EXPIRY = /^\d{1,12}$/;

function scopeKey(scope: TMaintainerScope): string {
  if (scope.type === 'transcript') return `thread:${scope.threadId}`;
  if (scope.type === 'session') return `session:${scope.tokenHash}`;
  return 'report';
}

function payload(scope: TMaintainerScope, exp: number): string {
  return `pa-maintainer:v1:${scopeKey(scope)}:${exp}`;
}

export function signMaintainerScope({
  secret,
  scope,
  ttlSeconds,
  nowMs = Date.now(),
}: {
  secret: string;
  scope: TMaintainerScope;
  ttlSeconds: number;
  nowMs?: number;
}): { exp: number; sig: string } {
  const exp = Math.floor(nowMs / 1000) + ttlSeconds;
  return { exp, sig: signValue(secret, payload(scope, exp)) };
}

/** True only for an unexpired link signed for exactly this scope. Malformed input is simply false. */
export function isMaintainerLinkValid({
  secret,
  scope,
  exp,
  sig,
  nowMs = Date.now(),
}: {
  secret: string;
  scope: TMaintainerScope;
  exp: unknown;
  sig: unknown;
  nowMs?: number;
}): boolean {
  if (typeof exp !== 'string' || typeof sig !== 'string' || !EXPIRY.test(exp) || !SIGNATURE.test(sig)) return false;
  const expiry = Number(exp);
  if (expiry * 1000 <= nowMs) return false;
  return verifySignature(secret, payload(scope, expiry), sig);
}

export function buildTranscriptUrl({
  siteUrl,
  secret,
  threadId,
  ttlSeconds,
  nowMs,
}: {
  siteUrl: string;
  secret: string;
  threadId: string;
  ttlSeconds: number;
  nowMs?: number;
}): { url: string; expiresAt: Date } {
  const { exp, sig } = signMaintainerScope({ secret, scope: { type: 'transcript', threadId }, ttlSeconds, nowMs });
  const url = `${siteUrl}/maintainers/threads/${encodeURIComponent(threadId)}?exp=${exp}&sig=${sig}`;
  return { url, expiresAt: new Date(exp * 1000) };
}

export function buildReportUrl({
  siteUrl,
  secret,
  ttlSeconds,
  nowMs,
  days,
}: {
  siteUrl: string;
  secret: string;
  ttlSeconds: number;
  nowMs?: number;
  days?: number;
}): { url: string; expiresAt: Date } {
  const { exp, sig } = signMaintainerScope({ secret, scope: { type: 'report' }, ttlSeconds, nowMs });
  const window = days === undefined ? '' : `&days=${days}`;
  return { url: `${siteUrl}/api/maintainers/report?exp=${exp}&sig=${sig}${window}`, expiresAt: new Date(exp * 1000) };
}

/** The dashboard, signed with the report's scope: `npm run report -- --link` and the weekly digest carry it. */
export function buildDashboardUrl({
  siteUrl,
  secret,
  ttlSeconds,
  nowMs,
  days,
}: {
  siteUrl: string;
  secret: string;
  ttlSeconds: number;
  nowMs?: number;
  days?: number;
}): { url: string; expiresAt: Date } {
  const { exp, sig } = signMaintainerScope({ secret, scope: { type: 'report' }, ttlSeconds, nowMs });
  const window = days === undefined ? '' : `&days=${days}`;
  return { url: `${siteUrl}/maintainers?exp=${exp}&sig=${sig}${window}`, expiresAt: new Date(exp * 1000) };
}

/**
 * For routes and pages behind a maintainer link: a missing, expired or wrong signature is a plain 404, the
 * same answer as for a page that does not exist, so the route does not reveal itself.
 */
export function assertMaintainerLink({
  secret,
  scope,
  query,
}: {
  secret: string;
  scope: TMaintainerScope;
  query: Record<string, string | string[] | undefined>;
}): void {
  if (!isMaintainerLinkValid({ secret, scope, exp: query.exp, sig: query.sig })) {
    throw new AppError('not_found', 'Not found.');
  }
}

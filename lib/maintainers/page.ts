import type { IncomingHttpHeaders } from 'node:http';
import type { TDb } from '../db/types';
import type { TDashboardView } from '../shared/maintainers-dashboard';
import { authorizeMaintainer, type TMaintainerAccessDeps } from './access';
import { getDashboardForMaintainers, resolveDashboardWindow, ZDashboardQuery, type TDashboardDeps } from './dashboard';
import { ZThreadId } from '../assistant/schemas';
import { isAppError } from '../errors';
import { isMaintainerLinkValid } from './links';
import { getTranscriptForMaintainer, type TTranscriptView } from './transcript';

export type TTranscriptPageResult = { notFound: true } | { props: { transcript: TTranscriptView } };

/** The transcript page's data: 404 for a malformed id, a missing/expired/wrong signature, or no such thread. */
export async function loadTranscriptPage({
  deps,
  threadId,
  query,
}: {
  deps: { db: TDb; sessionSecret: string };
  threadId: unknown;
  query: Record<string, string | string[] | undefined>;
}): Promise<TTranscriptPageResult> {
  const parsed = ZThreadId.safeParse(threadId);
  if (!parsed.success) return { notFound: true };
  const scope = { type: 'transcript' as const, threadId: parsed.data };
  if (!isMaintainerLinkValid({ secret: deps.sessionSecret, scope, exp: query.exp, sig: query.sig })) return { notFound: true };
  try {
    return { props: { transcript: await getTranscriptForMaintainer({ db: deps.db, threadId: parsed.data }) } };
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') return { notFound: true };
    throw error;
  }
}

export type TDashboardPageResult =
  | { status: 401; props: { kind: 'sign-in'; canUseToken: boolean } }
  | { status: 400; props: { kind: 'bad-period'; message: string; link: { exp: string; sig: string } | null } }
  | { status: 200; props: { kind: 'dashboard'; view: TDashboardView; link: { exp: string; sig: string } | null } };

/**
 * The dashboard page's data: 401 (with how to get in) without a signed link, the maintainer token or its cookie;
 * 400 for a period that is not one; else the figures. A link's signature is carried on to the period form.
 */
export async function loadDashboardPage({
  deps,
  headers,
  query,
}: {
  deps: TDashboardDeps & TMaintainerAccessDeps;
  headers: IncomingHttpHeaders;
  query: Record<string, string | string[] | undefined>;
}): Promise<TDashboardPageResult> {
  const access = authorizeMaintainer({ deps, headers, query });
  if (!access) return { status: 401, props: { kind: 'sign-in', canUseToken: deps.config.maintainers.token !== undefined } };
  const link = access.via === 'link' ? { exp: access.exp, sig: access.sig } : null;
  const parsed = ZDashboardQuery.safeParse({ days: query.days || undefined, from: query.from, to: query.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = issue ? `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'Invalid period';
    return { status: 400, props: { kind: 'bad-period', message, link } };
  }
  try {
    const window = resolveDashboardWindow(parsed.data);
    return { status: 200, props: { kind: 'dashboard', view: await getDashboardForMaintainers({ deps, window }), link } };
  } catch (error) {
    if (isAppError(error) && error.code === 'bad_request') return { status: 400, props: { kind: 'bad-period', message: error.message, link } };
    throw error;
  }
}

import { chatDoorModes } from './chat-doors/doors';
import type { TConfig } from './config';
import { getDocsIndexStats } from './db/docs-index';
import { getDocsCrawlStatus } from './db/docs-crawl';
import { listDocsSourcesStatus, type TDocsSourceStatus } from './db/docs-sources';
import { getHandoffRefusals } from './db/handoffs';
import type { TDb } from './db/types';
import type { TEmbedder } from './docs/index/embeddings';
import { publicSourceKind } from './docs/search/kinds';
import { docsSearchMode } from './docs/search/search';
import { createDocsSources, type TIndexReport } from './docs/sources';
import { getSiteWarmth } from './docs/site/warm';
import { getDocsVersions } from './docs/search/versions';
import { PUBLIC_ACCESS } from './audiences';
import type { TModelClient } from './model/types';

export type THealthDeps = {
  db: TDb;
  config: Pick<TConfig, 'store' | 'reviewChannel' | 'session'> & Partial<Pick<TConfig, 'docsSources' | 'docsDir' | 'chatDoors' | 'readers' | 'identity' | 'handoff' | 'rateLimits'>>;
  /** The configured sources as the app built them (lib/app.ts); without them, built from `config.docsSources`. */
  docsSources?: { sources: readonly { kind: string }[] };
  model: Pick<TModelClient, 'mode' | 'name'>;
  embedder: TEmbedder | null;
  docsIndex: { lastReport: TIndexReport | null };
};

/** Which mode each concern runs in, and the size of the docs index. No secrets, no URLs with credentials. */
export async function getHealth(deps: THealthDeps) {
  const { config } = deps;
  const stats = await getDocsIndexStats({ db: deps.db });
  // Only when a site is crawled (DOCS_CRAWL_URL): its pages, the pages whose last fetch failed, last and next run,
  // and what the last crawl said it did otherwise than asked (a sitemap naming another site: links followed).
  const crawl = config.docsSources?.crawl ? await getDocsCrawlStatus({ db: deps.db }) : null;
  const sources = await sourcesHealth(deps);
  const versions = await versionsHealth(deps);
  return {
    status: 'ok' as const,
    modes: {
      store: config.store.mode,
      model: deps.model.mode,
      docsSearch: docsSearchMode(deps.embedder),
      slack: config.reviewChannel.mode,
      session: config.session.mode,
      // Whether each chat door is on (`slackAnswers`: Slack, its signing secret and SLACK_ANSWERS not `off`;
      // `discord`: its three variables), so that a deployment can tell from here why a door stays silent.
      ...chatDoorModes(config),
    },
    model: deps.model.name,
    docs: {
      pages: stats.pages,
      sections: stats.sections,
      failed: deps.docsIndex.lastReport?.failed.length ?? 0,
      ...(crawl
        ? { crawl: { pages: crawl.pages, failed: crawl.failed, lastRun: crawl.lastRun, nextRun: crawl.nextRun, notices: readCrawlNotices(crawl.lastReport) } }
        : {}),
      sources,
      ...(versions ? { versions } : {}),
    },
    // Whether the site's pages were warmed after start-up (lib/docs/site/warm.ts): `warm` once a page of each kind
    // was rendered, so that no reader's first request loads a route's code; the docs' navigation read once.
    site: getSiteWarmth(),
    identity: identityModes(config),
    // Where readers' hand-offs go (HANDOFF_TO, lib/handoff): the channels, none when hand-offs are off.
    handoff: await handoffHealth(deps),
  };
}

/**
 * health.handoff: where hand-offs go and, when they are on, their hourly limits (per reader, per address, for the
 * site) and how many hand-offs those refused in the last 24 hours, by limit, with the hour the last refusal fell in, so
 * that an operator sees when readers, or a script, met them. Counts only.
 */
async function handoffHealth(deps: THealthDeps) {
  const { config } = deps;
  const channels = config.handoff?.channels ?? [];
  if (channels.length === 0) return { channels };
  const refusals = await getHandoffRefusals({ db: deps.db, since: new Date(Date.now() - 24 * 3600_000) });
  const limits = config.rateLimits;
  return {
    channels,
    ...(limits ? { limitsPerHour: { reader: limits.handoffsPerHour, address: limits.ipHandoffsPerHour, site: limits.siteHandoffsPerHour } } : {}),
    refusedLastDay: {
      reader: refusals.by_limit.handoff_reader ?? 0,
      address: refusals.by_limit.handoff_address ?? 0,
      site: refusals.by_limit.handoff_site ?? 0,
    },
    lastRefusedHour: refusals.last_hour,
  };
}

/**
 * Which ways a reader can have an identity (lib/audiences), never a secret nor a key: reader tokens from the host site
 * (`hs256`: READER_TOKEN_SECRET; `jwks`: READER_JWKS_URL, RS256/ES256; `off`), whether their `iss` and `aud` are
 * checked, how many DOCS_AUDIENCES rules give pages audiences by path, and whether readers sign in on the site with
 * OpenID Connect (`oidc`: OIDC_ISSUER; lib/identity).
 */
function identityModes(config: THealthDeps['config']) {
  const token = config.readers?.token ?? null;
  return {
    readerToken: token === null ? ('off' as const) : token.secret ? ('hs256' as const) : ('jwks' as const),
    ...(token ? { readerTokenChecks: { issuer: token.issuer !== null, audience: token.audience !== null } } : {}),
    audienceRules: config.docsSources?.audiences?.length ?? 0,
    signIn: config.identity?.oidc ? ('oidc' as const) : ('off' as const),
  };
}

/**
 * docs.versions, only when the docs have versions or their folder has a problem with them: the versions the index
 * holds (newest first), the current one (what a search with no version asks), and one line per problem (a version
 * folder without pages; lib/docs/folder/versions.ts).
 */
async function versionsHealth(deps: THealthDeps): Promise<{ known: string[]; current: string | null; problems: string[] } | null> {
  const { versions, current } = await getDocsVersions({ db: deps.db, config: deps.config.docsSources?.versions, access: PUBLIC_ACCESS });
  const problems = deps.docsIndex.lastReport?.versions?.problems ?? [];
  return versions.length > 0 || problems.length > 0 ? { known: versions, current, problems } : null;
}

export type TSourceHealth = TDocsSourceStatus & {
  /** The kind its results carry, as readers see it (lib/docs/search/kinds.ts): docs, page, thread, answer, api. */
  resultKind: string;
  /** False for a kind whose pages are indexed though it is not configured (they leave at the next start). */
  isConfigured: boolean;
};

/**
 * docs.sources: every configured kind of source, always (a kind that never synced shows zeros and null times),
 * with its pages, sections, failed pages, last and next sync and why its last sync failed; then any kind whose
 * pages the index still holds though it is not configured.
 */
async function sourcesHealth(deps: THealthDeps): Promise<TSourceHealth[]> {
  const { config } = deps;
  const configured =
    deps.docsSources?.sources.map((source) => source.kind) ??
    (config.docsSources ? createDocsSources({ docsDir: config.docsDir ?? '', docsSources: config.docsSources }).map((source) => source.kind) : []);
  const stored = new Map((await listDocsSourcesStatus({ db: deps.db })).map((status) => [status.kind, status]));
  const empty = (kind: string): TDocsSourceStatus => ({ kind, pages: 0, sections: 0, failed: 0, lastRun: null, nextRun: null, lastError: null });
  // A kind no longer configured may keep its state row after its pages left: shown only while it has pages.
  const leftovers = [...stored.values()].filter((status) => !configured.includes(status.kind) && status.pages > 0).map((status) => status.kind);
  const kinds = [...new Set([...configured, ...leftovers])];
  return kinds.map((kind) => ({ ...(stored.get(kind) ?? empty(kind)), resultKind: publicSourceKind(kind), isConfigured: configured.includes(kind) }));
}

/** The notices of the last crawl's report (none before the first crawl, or from a report written before notices). */
function readCrawlNotices(report: Record<string, unknown> | null): { message: string; example: string | null }[] {
  const notices = report?.notices;
  if (!Array.isArray(notices)) return [];
  return notices.flatMap((notice: unknown) => {
    const { message, example } = (notice ?? {}) as { message?: unknown; example?: unknown };
    return typeof message === 'string' ? [{ message, example: typeof example === 'string' ? example : null }] : [];
  });
}

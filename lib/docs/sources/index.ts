import type { TLeasedJob } from '../../jobs';
import type { TSettings, TSettingsContext } from '../../settings';
import { answerKind } from './answers';
import { codeKind } from './code';
import { crawlKind } from './crawl';
import { folderKind } from './folder';
import { githubKind } from './github';
import { openapiKind } from './openapi';
import { sharedSourcesSettings, type TSharedSourcesSettings } from './settings';
import { toDocsSource } from './source';
import { createSourceSyncJob } from './sync';
import type { TDocsSource, TReferenceLayout, TSourceDeps, TSourceKind } from './types';

// The sources seam: where the docs come from. Every kind sits behind one small interface (./types.ts: its documents —
// load everything, poll what changed since a time, list the ids that still exist), lives in its own folder, and is
// listed once below. A kind only yields documents: the registry makes the configured ones sources (./source.ts) whose
// every run goes through the one write pipeline (lib/docs/index/pipeline.ts), with DOCS_AUDIENCES' rules from the
// configuration; each kind with a background sync gets its own sync job (./sync.ts) with its own lease row. Each kind
// reads its own environment (its folder's settings.ts); lib/config.ts composes them through this registry
// (readSourcesSettings). Adding a kind: its folder (a TSourceKind with its settings and its documents), then one line
// here.

export type { TDocsSource, TKindConfig, TKindDocuments, TReferenceLayout, TSourceDeps, TSourceKind } from './types';
export type { TIndexReport } from './folder';
export { createSourceSyncJob } from './sync';
export type { TGithubConfig } from './github/settings';
export type { TOpenapiConfig } from './openapi/settings';
export type { TCodeConfig, TCodeSettings } from './code/settings';
export { hasCodeSource } from './code/settings';

/** The registry: every kind there is, in the order they load at start. */
export const SOURCE_KINDS = [folderKind, crawlKind, githubKind, openapiKind, answerKind, codeKind] as const;

/** The kind whose pages are API references, and how it lays them out (the reference pages ask this). */
export function referenceKind(): (TReferenceLayout & { kind: string }) | null {
  for (const kind of SOURCE_KINDS) if ('reference' in kind && kind.reference) return { kind: kind.kind, ...kind.reference };
  return null;
}

type TSettingsOfKind<TKind> = TKind extends { settings: TSettings<infer TOut> } ? TOut : never;
type TIntersectionOf<TUnion> = (TUnion extends unknown ? (value: TUnion) => void : never) extends (value: infer TAll) => void ? TAll : never;

/** The configuration's `docsSources`: what the sources share, and what each kind's settings read. */
export type TDocsSourcesConfig = TSharedSourcesSettings & TIntersectionOf<TSettingsOfKind<(typeof SOURCE_KINDS)[number]>>;

/** The sources' settings modules: what they share, then each kind's (lib/config.ts lists their variables in ZEnv). */
export const SOURCES_SETTINGS: readonly TSettings<unknown>[] = [sharedSourcesSettings, ...SOURCE_KINDS.map((kind) => kind.settings)];

/** The sources' settings: what they share, then each kind's, validated in turn (a problem: one error naming the variable). */
export function readSourcesSettings(context: TSettingsContext): TDocsSourcesConfig {
  const shared = sharedSourcesSettings.parse(context.source, context);
  const kinds = SOURCE_KINDS.map((kind) => kind.settings.parse(context.source, context) as object);
  return Object.assign({}, ...kinds, shared) as TDocsSourcesConfig;
}

/** What the sources are made from: the docs folder and the configuration's `docsSources` (every kind's settings). */
export type TSourcesConfig = { docsDir: string; docsSources: TDocsSourcesConfig };

export type TConfiguredSource = TDocsSource;

/**
 * The sources the configuration names, one per configured kind, each written through the pipeline with the audience
 * rules. `kinds`: the registry's (a test passes a kind of its own).
 */
export function createDocsSources(config: TSourcesConfig, kinds: readonly TSourceKind[] = SOURCE_KINDS): TConfiguredSource[] {
  return kinds.flatMap((kind): TConfiguredSource[] => {
    const documents = kind.fromConfig(config);
    return documents ? [toDocsSource(documents, { audienceRules: config.docsSources.audiences })] : [];
  });
}

/**
 * Syncs a kind now, in this process and without its lease, after a change the app made itself to what the kind
 * reads (a maintainer's decision on an answer): the index follows it when this returns. Embeddings are the caller's.
 */
export async function syncKindNow({ kind, deps, config }: { kind: string; deps: TSourceDeps; config: TSourcesConfig }): Promise<void> {
  const source = createDocsSources(config).find((entry) => entry.kind === kind);
  if (source) await source.load({ ...deps, embedder: null });
}

/** One sync job per configured source with a background sync, by kind. */
export function createSourceSyncJobs({ sources, deps, workerId }: { sources: readonly TDocsSource[]; deps: TSourceDeps; workerId: string }): Map<string, TLeasedJob<unknown>> {
  const jobs = new Map<string, TLeasedJob<unknown>>();
  for (const source of sources) {
    const { sync } = source;
    if (sync) jobs.set(source.kind, createSourceSyncJob({ source: { ...source, sync }, deps, workerId }));
  }
  return jobs;
}

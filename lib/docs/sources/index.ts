import type { TLeasedJob } from '../../jobs';
import { answerKind } from './answers';
import { crawlKind } from './crawl';
import { folderKind } from './folder';
import { githubKind } from './github';
import { openapiKind } from './openapi';
import { createSourceSyncJob } from './sync';
import type { TDocsSource, TReferenceLayout, TSourceDeps, TSourcesConfig } from './types';

// The sources seam: where the docs come from. Every kind sits behind one small interface (./types.ts: load
// everything, poll what changed since a time, list the ids that still exist), lives in its own folder, and is
// listed once below. The registry builds the configured ones from the configuration; each kind with a
// background sync gets its own sync job (./sync.ts) with its own lease row. Adding a kind: its folder (a
// TSourceKind and its source) and its configuration entry (lib/config.ts, docsSources), then one line here.

export type { TDocsSource, TReferenceLayout, TSourceDeps, TSourceKind, TSourcesConfig } from './types';
export { createSourceSyncJob } from './sync';

/** The registry: every kind there is, in the order they load at start. */
export const SOURCE_KINDS = [folderKind, crawlKind, githubKind, openapiKind, answerKind] as const;

/** The kind whose pages are API references, and how it lays them out (the reference pages ask this). */
export function referenceKind(): (TReferenceLayout & { kind: string }) | null {
  for (const kind of SOURCE_KINDS) if ('reference' in kind && kind.reference) return { kind: kind.kind, ...kind.reference };
  return null;
}

export type TConfiguredSource = NonNullable<ReturnType<(typeof SOURCE_KINDS)[number]['fromConfig']>>;

/** The sources the configuration names, one per configured kind. */
export function createDocsSources(config: TSourcesConfig): TConfiguredSource[] {
  return SOURCE_KINDS.flatMap((kind): TConfiguredSource[] => {
    const source = kind.fromConfig(config);
    return source ? [source] : [];
  });
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

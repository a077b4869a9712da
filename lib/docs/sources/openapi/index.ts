import path from 'node:path';
import type { TOpenapiConfig } from './settings';
import { listDocsPageChecksumsByKind } from '../../../db/docs-sources';
import type { TDocumentsContext, TDocumentStream, TKindDocuments, TSourceKind } from '../types';
import { buildSpecPages, isPageOfSpec, OPENAPI_KIND, operationAnchor, specNames, specPageChecksum, specPagePath, specPageSlug } from './page';
import { readSpec, SpecReadError } from './read';
import { openapiSettings, type TOpenapiSettings } from './settings';

export { OPENAPI_KIND };

// The OpenAPI kind: the specs of DOCS_OPENAPI (files or URLs), a page per spec and per tag, one section per
// operation (./page.ts), re-read every DOCS_OPENAPI_INTERVAL_MINUTES by the instance that holds the kind's lease, and
// at once by `POST /api/docs/reindex`. A spec whose pages are all indexed with its text's checksum costs a read and
// nothing more. A spec that cannot be read (unreachable, too large, not JSON or YAML, not OpenAPI, a $ref loop) is
// reported — in the log, and in /api/health as the source's lastError — and keeps the operations it had (its page
// yielded failed); the other specs are indexed as usual. A load is complete: a spec no longer configured, or a tag
// a spec no longer has, leaves with its pages.

const CHECK_SECONDS = 60;

export type TOpenapiReport = {
  specs: number;
  /** Specs whose pages this sync built (their overview pages' paths); unchanged specs not counted. */
  indexed: string[];
  /** Specs read unchanged. */
  unchanged: number;
  /** Pages that left the index: of specs no longer configured, and tags a spec no longer has. */
  removed: string[];
  /** Operations of the specs this sync built. */
  operations: number;
  failed: { spec: string; reason: string }[];
  /** Schemas shown as recursive, by spec: worth knowing, not a failure. */
  notices: { spec: string; message: string }[];
  ms: number;
};

/** What a read of the specs found besides their pages. */
type TSpecsRead = Pick<TOpenapiReport, 'specs' | 'indexed' | 'unchanged' | 'operations' | 'failed' | 'notices'>;

export const openapiKind: TSourceKind<TOpenapiReport, TOpenapiSettings> = {
  kind: OPENAPI_KIND,
  settings: openapiSettings,
  fromConfig: ({ docsSources }) => (docsSources.openapi ? createOpenapiDocuments(docsSources.openapi) : null),
  reference: { specPagePath, operationAnchor },
  // Specs no longer in DOCS_OPENAPI leave (all of them when it is unset: ../prune.ts); a configured spec with nothing
  // indexed yet is read at once.
  async pruneUnconfigured({ db, config }) {
    const configured = [...specNames(config.docsSources.openapi?.specs ?? []).values()];
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: OPENAPI_KIND }));
    const stale = paths.filter((path) => !configured.some((name) => isPageOfSpec(path, name)));
    return { stale, isChanged: configured.some((name) => !paths.includes(specPagePath(name))) };
  },
};

export function createOpenapiDocuments(config: TOpenapiConfig): TKindDocuments<TSpecsRead, TOpenapiReport> {
  const everySeconds = config.intervalMinutes * 60;
  const names = specNames(config.specs);
  return {
    kind: OPENAPI_KIND,
    load: (context) => specDocuments(context, config, names),
    // The pages indexed for the configured specs (a spec's overview and its tags' pages).
    async listIds({ db }) {
      const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: OPENAPI_KIND }));
      return paths.filter((path) => [...names.values()].some((name) => isPageOfSpec(path, name)));
    },
    report: ({ result, written }) => ({ ...result, removed: written.removed.map((entry) => entry.path), ms: written.ms }),
    summarise(outcome) {
      if (!('result' in outcome)) return { error: `the specs were not read: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}` };
      const report = outcome.result;
      return {
        specs: report.specs,
        operations: report.operations,
        indexed: report.indexed.length,
        unchanged: report.unchanged,
        removed: report.removed.length,
        failed: report.failed,
        notices: report.notices,
        ms: report.ms,
        // /api/health's lastError: a spec that could not be read is named, with why (the others were indexed).
        ...(report.failed.length > 0 ? { error: report.failed.map((failure) => failure.reason).join('; ') } : {}),
      };
    },
    sync: {
      everySeconds,
      checkSeconds: Math.min(CHECK_SECONDS, everySeconds),
      leaseSeconds: 600,
    },
  };
}

/** Every configured spec's pages: built when one of them is not indexed as the spec's text now makes it, else unchanged. */
async function* specDocuments(context: TDocumentsContext, config: TOpenapiConfig, names: Map<string, string>): TDocumentStream<TSpecsRead> {
  const { log } = context;
  const read: TSpecsRead = { specs: config.specs.length, indexed: [], unchanged: 0, operations: 0, failed: [], notices: [] };
  for (const [location, name] of names) {
    const pagePath = specPagePath(name);
    const indexed = context.indexedPaths.filter((path) => isPageOfSpec(path, name));
    let spec;
    try {
      spec = await readSpec(location, { maxBytes: config.maxBytes, timeoutMs: config.timeoutMs });
    } catch (error) {
      const reason = redacted(error instanceof SpecReadError ? error.message : `${location}: ${error instanceof Error ? error.message : String(error)}`, location);
      read.failed.push({ spec: name, reason });
      // Its page, when it has one, keeps its operations and records why this read failed; its tags' pages stay.
      yield { path: pagePath, status: 'failed', reason };
      for (const path of indexed) if (path !== pagePath) yield { path, status: 'kept' };
      log.warn({ spec: name, reason }, 'openapi spec could not be read; its previous operations are kept');
      continue;
    }
    const slug = specPageSlug(name, config.baseUrl, names.size === 1);
    for (const schema of spec.recursive) read.notices.push({ spec: name, message: `schema ${schema} refers to itself: shown as recursive` });
    // Every page of a spec carries the same checksum (its text's, and where it links).
    const checksum = specPageChecksum(spec.checksum, slug);
    if (indexed.includes(pagePath) && indexed.every((path) => context.isIndexed(path, checksum))) {
      read.unchanged += 1;
      for (const path of indexed) yield { path, status: 'unchanged' };
      continue;
    }
    const built = buildSpecPages({ document: spec.document, origin: spec.origin, name, slug, checksum: spec.checksum });
    read.operations += built.operations;
    yield* built.pages;
    read.indexed.push(pagePath);
    log.info({ spec: name, format: spec.format, operations: built.operations, pages: built.pages.length }, 'openapi spec indexed');
  }
  return read;
}

/**
 * What health and the log say of a failed read: a spec file by its file name rather than its whole path, and URLs
 * without their query or fragment (where a token could ride).
 */
export function redacted(message: string, location: string): string {
  const text = /^https?:\/\//i.test(location) ? message : message.split(`${path.dirname(location)}${path.sep}`).join('');
  return text.replace(/(https?:\/\/[^\s?#]+)[?#][^\s]*/g, '$1');
}

import path from 'node:path';
import type { TAudienceRule } from '../../../audiences';
import type { TOpenapiConfig } from '../../../config';
import { audienceRulesStamp, checksumWithAudiences, withPageAudiences } from '../audiences';
import { deleteDocsPagesByPaths, markDocsPageFailedByPath, upsertDocsPagesByPath } from '../../../db/docs-index';
import { listDocsPageChecksumsByKind } from '../../../db/docs-sources';
import { embedMissingSections } from '../../index/indexer';
import type { TDocsSource, TSourceDeps, TSourceKind } from '../types';
import { buildSpecPages, isPageOfSpec, OPENAPI_KIND, operationAnchor, specNames, specPageChecksum, specPagePath, specPageSlug } from './page';
import { readSpec, SpecReadError } from './read';
import { openapiSettings, type TOpenapiSettings } from './settings';

export { OPENAPI_KIND };

// The OpenAPI kind: the specs of DOCS_OPENAPI (files or URLs), one page per spec and one section per operation
// (./page.ts), re-read every DOCS_OPENAPI_INTERVAL_MINUTES by the instance that holds the kind's lease, and at once
// by `POST /api/docs/reindex`. A spec whose text did not change costs a read and nothing more. A spec that cannot
// be read (unreachable, too large, not JSON or YAML, not OpenAPI, a $ref loop) is reported — in the log, and in
// /api/health as the source's lastError — and keeps the operations it had; the other specs are indexed as usual.

const CHECK_SECONDS = 60;

export type TOpenapiReport = {
  specs: number;
  indexed: string[];
  unchanged: number;
  removed: string[];
  /** Specs indexed by this sync (their overview pages' paths), and their operations (unchanged specs not counted). */
  operations: number;
  failed: { spec: string; reason: string }[];
  /** Schemas shown as recursive, by spec: worth knowing, not a failure. */
  notices: { spec: string; message: string }[];
  ms: number;
};

export const openapiKind: TSourceKind<TOpenapiReport, TOpenapiSettings> = {
  kind: OPENAPI_KIND,
  settings: openapiSettings,
  fromConfig: ({ docsSources }) => (docsSources.openapi ? createOpenapiSource(docsSources.openapi, docsSources.audiences) : null),
  reference: { specPagePath, operationAnchor },
  // Specs no longer in DOCS_OPENAPI leave (all of them when it is unset: ../prune.ts); a configured spec with nothing
  // indexed yet is read at once.
  async pruneUnconfigured({ db, config }) {
    const configured = [...specNames(config.docsSources.openapi?.specs ?? []).values()];
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: OPENAPI_KIND }));
    const stale = paths.filter((path) => !configured.some((name) => isPageOfSpec(path, name)));
    if (stale.length > 0) await deleteDocsPagesByPaths({ db, paths: stale });
    return { removed: stale.length, isChanged: configured.some((name) => !paths.includes(specPagePath(name))) };
  },
};

export type TOpenapiSource = TDocsSource<TOpenapiReport> & { sync: NonNullable<TDocsSource['sync']> };

/**
 * `audienceRules`: DOCS_AUDIENCES, which gives a spec's pages audiences by their index paths (`openapi/<spec>`,
 * `openapi/<spec>/<tag>`: ../audiences.ts). A spec's pages are rebuilt together, so their checksums carry the rules.
 */
export function createOpenapiSource(config: TOpenapiConfig, audienceRules?: readonly TAudienceRule[]): TOpenapiSource {
  const everySeconds = config.intervalMinutes * 60;
  const rulesStamp = audienceRulesStamp(audienceRules);
  const names = specNames(config.specs);
  // Pages marked failed by this process: indexed again when their spec reads, even unchanged, to clear the mark.
  const markedFailed = new Set<string>();
  const run = async (deps: TSourceDeps): Promise<TOpenapiReport> => {
    const started = performance.now();
    const { db, log } = deps;
    const report: TOpenapiReport = { specs: config.specs.length, indexed: [], unchanged: 0, removed: [], operations: 0, failed: [], notices: [], ms: 0 };
    const known = await listDocsPageChecksumsByKind({ db, kind: OPENAPI_KIND });
    for (const [location, name] of names) {
      const pagePath = specPagePath(name);
      try {
        const spec = await readSpec(location, { maxBytes: config.maxBytes, timeoutMs: config.timeoutMs });
        const slug = specPageSlug(name, config.baseUrl, names.size === 1);
        for (const schema of spec.recursive) report.notices.push({ spec: name, message: `schema ${schema} refers to itself: shown as recursive` });
        if (known[pagePath] === checksumWithAudiences(specPageChecksum(spec.checksum, slug), rulesStamp) && !markedFailed.has(pagePath)) {
          report.unchanged += 1;
          continue;
        }
        const built = buildSpecPages({ document: spec.document, origin: spec.origin, name, slug, checksum: spec.checksum });
        built.pages = built.pages.map((page) => withPageAudiences({ page, rules: audienceRules, stamp: rulesStamp }));
        report.operations += built.operations;
        await upsertDocsPagesByPath({ db, pages: built.pages });
        // Tags the spec no longer has leave with their pages.
        const kept = new Set(built.pages.map((page) => page.path));
        const dropped = Object.keys(known).filter((path) => isPageOfSpec(path, name) && !kept.has(path));
        if (dropped.length > 0) await deleteDocsPagesByPaths({ db, paths: dropped });
        report.indexed.push(pagePath);
        markedFailed.delete(pagePath);
        log.info({ spec: name, format: spec.format, operations: built.operations, pages: built.pages.length }, 'openapi spec indexed');
      } catch (error) {
        const reason = redacted(error instanceof SpecReadError ? error.message : `${location}: ${error instanceof Error ? error.message : String(error)}`, location);
        report.failed.push({ spec: name, reason });
        // Its page, when it has one, keeps its operations and records why this read failed.
        if (pagePath in known && (await markDocsPageFailedByPath({ db, path: pagePath, error: reason }))) markedFailed.add(pagePath);
        log.warn({ spec: name, reason }, 'openapi spec could not be read; its previous operations are kept');
      }
    }
    const gone = Object.keys(known).filter((path) => ![...names.values()].some((name) => isPageOfSpec(path, name)));
    if (gone.length > 0) await deleteDocsPagesByPaths({ db, paths: gone });
    report.removed = gone;
    if (deps.embedder && report.indexed.length > 0) {
      await embedMissingSections({ db, embedder: deps.embedder }).catch((error: unknown) =>
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings of the API operations failed; full-text search for them'),
      );
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  };
  return {
    kind: OPENAPI_KIND,
    load: run,
    poll: (deps) => run(deps),
    // The pages indexed for the configured specs (a spec's overview and its tags' pages).
    async listIds({ db }) {
      const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: OPENAPI_KIND }));
      return paths.filter((path) => [...names.values()].some((name) => isPageOfSpec(path, name)));
    },
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

/**
 * What health and the log say of a failed read: a spec file by its file name rather than its whole path, and URLs
 * without their query or fragment (where a token could ride).
 */
export function redacted(message: string, location: string): string {
  const text = /^https?:\/\//i.test(location) ? message : message.split(`${path.dirname(location)}${path.sep}`).join('');
  return text.replace(/(https?:\/\/[^\s?#]+)[?#][^\s]*/g, '$1');
}

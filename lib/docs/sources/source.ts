import type { TAudienceRule } from '../../audiences';
import { writeDocuments } from '../index/pipeline';
import type { TDocsSource, TKindDocuments, TSourceDeps } from './types';

// A kind's documents made a source the app runs: every run goes through the one write pipeline
// (lib/docs/index/pipeline.ts) under the kind's label, with DOCS_AUDIENCES' rules, which the registry (./index.ts)
// hands over from the configuration: no kind reads them. A load is a complete run (unless the kind says its loads
// are not: TKindDocuments.isLoadComplete); a poll yields what changed, and becomes a load when there is no poll, no
// last sync, or when a rule changed the audiences of pages the kind indexed before (a poll would not yield them).

export function toDocsSource<TResult, TReport>(
  documents: TKindDocuments<TResult, TReport>,
  { audienceRules }: { audienceRules?: readonly TAudienceRule[] } = {},
): TDocsSource<TReport> {
  const run = async (deps: TSourceDeps, since: Date | null): Promise<TReport> => {
    const { result, written } = await writeDocuments({
      deps,
      kind: documents.kind,
      audienceRules,
      ...(documents.aliasesOf ? { aliasesOf: (path: string) => documents.aliasesOf!(path) } : {}),
      open(context) {
        if (since !== null && documents.poll) {
          if (!context.haveAudiencesChanged()) return { documents: documents.poll(context, since), isComplete: false };
          deps.log.info({ kind: documents.kind }, `docs source ${documents.kind}: the audience rules changed for pages it indexed; loading everything`);
        }
        return { documents: documents.load(context), isComplete: documents.isLoadComplete !== false };
      },
    });
    const report = documents.report({ result, written });
    documents.logRun?.(report, deps.log);
    return report;
  };
  return {
    kind: documents.kind,
    load: (deps) => run(deps, null),
    poll: run,
    listIds: ({ db, log }) => documents.listIds({ db, log }),
    summarise: (outcome) => documents.summarise(outcome),
    sync: documents.sync,
    isLoadedAtStart: documents.isLoadedAtStart === true,
  };
}

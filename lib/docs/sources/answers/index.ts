import { listApprovedMaintainerAnswerPaths, syncMaintainerAnswerPages } from '../../../db/maintainer-answers';
import { embedMissingSections } from '../../index/indexer';
import { defineSettings } from '../../../settings';
import type { TDocsSource, TSourceKind } from '../types';

// The maintainers' answers (issue 37, item 3): replies maintainers wrote in Slack to readers' questions, once
// approved on the dashboard (lib/maintainers/answers.ts). They live in our own database, so the kind is always
// configured. A decision indexes or removes its answer's page in its own transaction
// (supabase/schemas/62_maintainer_answers.sql, decide_maintainer_answer_by_id): search has it, or not, at once,
// and the ranking of every instance follows the stored version (lib/db/docs-changes.ts). This source's sync only
// makes sure the index holds exactly the approved answers' pages as they are now: after a change of the page's
// shape, an answer deleted by hand, or an index emptied by a re-deploy. Each page is `answer:<id>`, read at
// /docs/answers/<id> (lib/shared/maintainer-answers.ts), its meta the dates it was answered and approved.

export const ANSWER_KIND = 'answer';

export type TAnswersSyncReport = { approved: number; indexed: number; removed: number };

/** A safety net, not the path of a decision: decisions index at once. */
const SYNC_EVERY_SECONDS = 15 * 60;
const CHECK_SECONDS = 60;

export type TAnswersSource = TDocsSource<TAnswersSyncReport> & { sync: NonNullable<TDocsSource['sync']> };

export function createAnswersSource(): TAnswersSource {
  const run: TAnswersSource['load'] = async (deps) => {
    const report = await syncMaintainerAnswerPages({ db: deps.db });
    if (report.indexed + report.removed > 0) deps.log.info(report, 'maintainers’ answers synced into the index');
    if (deps.embedder && report.indexed > 0) {
      await embedMissingSections({ db: deps.db, embedder: deps.embedder }).catch((error: unknown) =>
        deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'docs embeddings of the maintainers’ answers failed; full-text search for them'),
      );
    }
    return report;
  };
  return {
    kind: ANSWER_KIND,
    load: run,
    poll: (deps) => run(deps),
    listIds: (deps) => listApprovedMaintainerAnswerPaths({ db: deps.db }),
    summarise(outcome) {
      if (!('result' in outcome)) return { error: 'the maintainers’ answers could not be synced' };
      return { ...outcome.result };
    },
    sync: { everySeconds: SYNC_EVERY_SECONDS, checkSeconds: CHECK_SECONDS, leaseSeconds: 120 },
  };
}

export const answerKind: TSourceKind<TAnswersSyncReport, Record<never, never>> = {
  kind: ANSWER_KIND,
  // In our own database: nothing to configure.
  settings: defineSettings({}, () => ({})),
  fromConfig: () => createAnswersSource(),
};

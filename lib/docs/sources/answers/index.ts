import { listApprovedMaintainerAnswerPaths, listApprovedMaintainerAnswers } from '../../../db/maintainer-answers';
import { defineSettings } from '../../../settings';
import type { TKindDocuments, TSourceKind } from '../types';
import { ANSWER_KIND, answerPage } from './page';

export { ANSWER_KIND };

// The maintainers' answers (issue 37, item 3): replies maintainers wrote in Slack to readers' questions, once
// approved on the dashboard (lib/maintainers/answers.ts). They live in our own database, so the kind is always
// configured. A load yields every approved answer's page (./page.ts); the write pipeline writes the ones whose
// checksum changed and removes the pages of answers no longer approved. A decision syncs the kind at once
// (syncKindNow, ../index.ts): search has the answer, or not, when the decision returns, and the ranking of every
// instance follows the stored version (lib/db/docs-changes.ts). The background sync is a safety net: after a change
// of the page's shape, an answer deleted by hand, or an index emptied by a re-deploy, the index holds exactly the
// approved answers' pages again.

export type TAnswersSyncReport = { approved: number; indexed: number; removed: number };

/** A safety net, not the path of a decision: decisions index at once. */
const SYNC_EVERY_SECONDS = 15 * 60;
const CHECK_SECONDS = 60;

export function createAnswerDocuments(): TKindDocuments<{ approved: number }, TAnswersSyncReport> {
  return {
    kind: ANSWER_KIND,
    async *load({ db }) {
      const answers = await listApprovedMaintainerAnswers({ db });
      for (const answer of answers) yield answerPage(answer);
      return { approved: answers.length };
    },
    listIds: ({ db }) => listApprovedMaintainerAnswerPaths({ db }),
    report: ({ result, written }) => ({ approved: result.approved, indexed: written.indexed.length, removed: written.removed.length }),
    logRun(report, log) {
      if (report.indexed + report.removed > 0) log.info(report, 'maintainers’ answers synced into the index');
    },
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
  fromConfig: () => createAnswerDocuments(),
};

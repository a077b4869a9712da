import type { TAudienceRule } from '../../../audiences';
import { deleteDocsPagesByPaths, upsertDocsPagesByPath } from '../../../db/docs-index';
import { listDocsPageChecksumsByKind } from '../../../db/docs-sources';
import type { TDb } from '../../../db/types';
import { listApprovedMaintainerAnswerPaths, listApprovedMaintainerAnswers } from '../../../db/maintainer-answers';
import { embedMissingSections } from '../../index/indexer';
import { defineSettings } from '../../../settings';
import { withPageAudiences } from '../audiences';
import type { TDocsSource, TSourceKind } from '../types';
import { ANSWER_KIND, answerPage } from './page';

export { ANSWER_KIND };

// The maintainers' answers (issue 37, item 3): replies maintainers wrote in Slack to readers' questions, once
// approved on the dashboard (lib/maintainers/answers.ts). They live in our own database, so the kind is always
// configured. Its pages are built here (./page.ts) and indexed as every kind's are (upsert_docs_pages_by_path,
// only the pages whose checksum changed). A decision syncs the kind at once (syncKindNow, ../index.ts): search has
// the answer, or not, when the decision returns, and the ranking of every instance follows the stored version
// (lib/db/docs-changes.ts). The background sync is a safety net: after a change of the page's shape, an answer
// deleted by hand, or an index emptied by a re-deploy, the index holds exactly the approved answers' pages again.

export type TAnswersSyncReport = { approved: number; indexed: number; removed: number };

/** A safety net, not the path of a decision: decisions index at once. */
const SYNC_EVERY_SECONDS = 15 * 60;
const CHECK_SECONDS = 60;

export type TAnswersSource = TDocsSource<TAnswersSyncReport> & { sync: NonNullable<TDocsSource['sync']> };

/** `audienceRules`: DOCS_AUDIENCES (an answer's audiences by its index path, `answer:<id>`: ../audiences.ts). */
export function createAnswersSource(audienceRules?: readonly TAudienceRule[]): TAnswersSource {
  const run: TAnswersSource['load'] = async (deps) => {
    const report = await syncAnswerPages(deps.db, audienceRules);
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
  fromConfig: ({ docsSources }) => createAnswersSource(docsSources.audiences),
};

/** The index holds exactly the approved answers' pages, as they are now: changed pages are (re)indexed, others' leave. */
async function syncAnswerPages(db: TDb, audienceRules: readonly TAudienceRule[] | undefined): Promise<TAnswersSyncReport> {
  const [answers, stored] = await Promise.all([listApprovedMaintainerAnswers({ db }), listDocsPageChecksumsByKind({ db, kind: ANSWER_KIND })]);
  const pages = answers.map((answer) => withPageAudiences({ page: answerPage(answer), rules: audienceRules }));
  const changed = pages.filter((page) => stored[page.path] !== page.checksum);
  if (changed.length > 0) await upsertDocsPagesByPath({ db, pages: changed });
  const kept = new Set(pages.map((page) => page.path));
  const gone = Object.keys(stored).filter((path) => !kept.has(path));
  const removed = gone.length > 0 ? await deleteDocsPagesByPaths({ db, paths: gone }) : 0;
  return { approved: answers.length, indexed: changed.length, removed };
}

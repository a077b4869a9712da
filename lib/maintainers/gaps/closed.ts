import { countDocsChanges } from '../../db/docs-changes';
import { closeGapDraftById, listGapDraftsToRecheck } from '../../db/docs-gaps';
import { PUBLIC_ACCESS } from '../../audiences';
import { searchDocsRanked, type TDocsSearchDeps } from '../../docs/search/search';
import type { TGapDraft } from '../../shared/docs-gaps';

// Closing gaps: once the page a draft changes (or, for an issue, the page it named) is re-indexed after the draft was
// made (a deploy's re-index, lib/docs/sources/reindex-hook.ts, or a source's sync), the topic's questions are
// searched again. A question is answered when its search has strong evidence (not "the docs do not cover this")
// and finds a section of that page among its first results; when at least half of them are, the draft's topic is
// closed with the date and that count ("N questions now answered" on the dashboard).
// Checked when the gaps are read, only after the docs changed in this process (lib/db/docs-changes.ts counts the
// changes; the first read of a process checks once), so a dashboard visit costs nothing when nothing changed.

const RESULTS_LOOKED_AT = 5;

const checkedAt = new WeakMap<object, number>();

/** How many of the draft's questions now find a section of its page with strong evidence. */
export async function countAnswered({ deps, draft }: { deps: TDocsSearchDeps; draft: TGapDraft }): Promise<number> {
  let answered = 0;
  for (const question of draft.questions) {
    // Answered for every reader who asked: by the public pages (a private page answers only its audience).
    const outcome = await searchDocsRanked({ deps, prompt: question.text.slice(0, 500), limit: RESULTS_LOOKED_AT, source: 'site', isRecorded: false, access: PUBLIC_ACCESS });
    if (!outcome.isWeak && outcome.results.some((result) => result.path === draft.pagePath)) answered += 1;
  }
  return answered;
}

/** Searches the re-indexed drafts' questions again and closes the answered ones. Returns those closed now. */
export async function closeAnsweredGaps({ deps }: { deps: TDocsSearchDeps }): Promise<TGapDraft[]> {
  const closed: TGapDraft[] = [];
  for (const draft of await listGapDraftsToRecheck({ db: deps.db })) {
    if (draft.questions.length === 0) continue;
    const answered = await countAnswered({ deps, draft });
    if (answered * 2 < draft.questions.length) continue;
    const done = await closeGapDraftById({ db: deps.db, id: draft.id, answered });
    if (done) {
      closed.push(done);
      deps.log.info({ draft: draft.id, topic: draft.topicId, answered }, 'gaps: a drafted topic is now answered by the docs');
    }
  }
  return closed;
}

/** `closeAnsweredGaps` when the docs changed since the last check of this database handle (or never checked). */
export async function closeAnsweredGapsIfDocsChanged({ deps }: { deps: TDocsSearchDeps }): Promise<void> {
  const changes = countDocsChanges(deps.db);
  if (checkedAt.get(deps.db) === changes) return;
  checkedAt.set(deps.db, changes);
  try {
    await closeAnsweredGaps({ deps });
  } catch (error) {
    checkedAt.delete(deps.db);
    deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'gaps: checking the drafted topics again failed');
  }
}

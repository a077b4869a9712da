import { applyPatch } from 'diff';
import { z } from 'zod';
import type { TDocsRepoConfig } from './settings';
import { addGapDraft, getGapDraftById, listGapDrafts, recordGapDraftAttemptById } from '../../db/docs-gaps';
import type { TGithubClient } from '../../github/client';
import { PUBLIC_ACCESS } from '../../audiences';
import { searchDocsRanked } from '../../docs/search/search';
import { AppError, isAppError } from '../../errors';
import type { TModelClient } from '../../model/types';
import type { TGapDraft, TGapNearestSection } from '../../shared/docs-gaps';
import { githubFailure, openIssue, openPullRequest } from './github';
import { draftBody, draftTitle } from './markdown';
import { choosePage, draftPatch } from './patch';
import { draftOf, loadGapTopics, type TGapsDeps, type TTopicCore } from './topics';
import { draftDownloadUrl } from './view';

// A topic's drafted fix (POST /api/maintainers/gaps/{id}/draft {target}): with a model, a pull request whose diff
// adds the answer to the page that should hold it (./patch.ts); offline, an issue listing the questions, what readers
// said was missing and the nearest sections (./markdown.ts). Kept in the database before GitHub is asked, so that a
// GitHub failure loses nothing: the draft is 'failed' with GitHub's reason, the dashboard shows it, and a retry
// (POST /api/maintainers/gaps/drafts/{id}) opens it. A pull request applies the diff to the page as it is in
// DOCS_REPO at DOCS_REPO_BRANCH (./github.ts), not to the local DOCS_DIR copy: when it no longer applies there, the
// draft is 'failed' saying so (409; a retry cannot help, a new draft of the topic can) and no pull request is opened. target 'patch' opens nothing: its URL downloads the diff (or,
// offline, the issue's markdown). A topic has one issue on GitHub: drafting it again updates the issue an earlier
// draft opened (its number is kept with the draft), rather than opening another.

export const ZDraftRequest = z.object({ target: z.enum(['github', 'patch']), days: z.number().int().min(1).max(366).optional() }).strict();
export type TDraftRequest = z.infer<typeof ZDraftRequest>;

const NEAREST_FOR_DRAFT = 4;

export type TDraftDeps = TGapsDeps & {
  model: TModelClient;
  config: TGapsDeps['config'] & { docsDir: string; siteUrl: string; docsRepo?: TDocsRepoConfig | null };
  docsRepoGithub: TGithubClient | null;
};

/** The sections nearest the topic, with their text (the model grounds the change in them). */
async function nearestWithContent(deps: TGapsDeps, topic: TTopicCore): Promise<(TGapNearestSection & { content: string })[]> {
  // A draft goes to GitHub, whose readers we do not know: grounded in public pages only.
  const outcome = await searchDocsRanked({ deps, prompt: topic.topic.slice(0, 500), limit: NEAREST_FOR_DRAFT * 2, source: 'site', isRecorded: false, access: PUBLIC_ACCESS });
  const pages = new Set<string>();
  return outcome.results
    .filter((result) => !pages.has(result.path) && Boolean(pages.add(result.path)))
    .slice(0, NEAREST_FOR_DRAFT)
    .map((result) => ({ title: result.title, heading: result.heading, url: result.url, path: result.path, kind: String(result.kind), content: result.content.slice(0, 1500) }));
}

/**
 * Makes, keeps and (target github) opens the topic's draft. Target 'patch' keeps the draft's download address as
 * built from the site's URL (no one's signed link: the draft outlives it) and answers `downloadUrl(id)`, the
 * address as this caller downloads it.
 */
export async function draftGapFix({
  deps,
  topicId,
  request,
  downloadUrl,
}: {
  deps: TDraftDeps;
  topicId: string;
  request: TDraftRequest;
  downloadUrl: (draftId: number) => string;
}): Promise<{ url: string; draft: TGapDraft }> {
  if (request.target === 'github' && (!deps.config.docsRepo || !deps.docsRepoGithub)) {
    throw new AppError('bad_request', 'Drafts go to GitHub only with DOCS_REPO set: ask for target "patch", or set DOCS_REPO.');
  }
  const days = request.days ?? 30;
  const { topics } = await loadGapTopics({ deps, days });
  const topic = topics.find((entry) => entry.id === topicId);
  if (!topic) throw new AppError('not_found', `No topic ${topicId} in the last ${days} days.`);
  const nearest = await nearestWithContent(deps, topic);
  let draft: TGapDraft;
  const made = deps.model.mode === 'offline' ? null : await draftPatchOrNull(deps, topic, nearest);
  if (made) {
    draft = await addGapDraft({
      db: deps.db,
      draft: {
        topicId: topic.id,
        topic: topic.topic,
        target: request.target,
        kind: 'pull',
        title: draftTitle(topic, 'pull'),
        body: draftBody({ topic, nearest, siteUrl: deps.config.siteUrl, days, pagePath: made.pagePath, kind: 'pull' }),
        diff: made.diff,
        pagePath: made.pagePath,
        questions: questionsOf(topic),
      },
    });
  } else {
    const page = choosePage(deps.config.docsDir, topic.topic, nearest);
    const pagePath = page.isNewPage ? (nearest[0]?.path ?? null) : page.pagePath;
    draft = await addGapDraft({
      db: deps.db,
      draft: {
        topicId: topic.id,
        topic: topic.topic,
        target: request.target,
        kind: 'issue',
        title: draftTitle(topic, 'issue'),
        body: draftBody({ topic, nearest, siteUrl: deps.config.siteUrl, days, pagePath, kind: 'issue' }),
        diff: null,
        pagePath,
        questions: questionsOf(topic),
      },
    });
  }
  if (request.target === 'patch') {
    const kept = draftDownloadUrl({ siteUrl: deps.config.siteUrl, draftId: draft.id, link: null });
    const opened = await recordGapDraftAttemptById({ db: deps.db, id: draft.id, status: 'opened', url: kept, error: null });
    return { url: downloadUrl(draft.id), draft: opened ?? draft };
  }
  return publishDraft({ deps, draft });
}

async function draftPatchOrNull(deps: TDraftDeps, topic: TTopicCore, nearest: (TGapNearestSection & { content: string })[]) {
  try {
    return await draftPatch({ deps, topic, nearest });
  } catch (error) {
    // The model down, or a change that does not apply: the topic still gets its draft, as an issue.
    deps.log.warn({ err: error instanceof Error ? error.message : String(error), topic: topic.id }, 'gaps: drafting a docs change failed; drafting an issue instead');
    return null;
  }
}

function questionsOf(topic: TTopicCore): TGapDraft['questions'] {
  return topic.questions.map((question) => ({ text: question.text, messageId: question.messageId, kind: question.kind, reason: question.reason }));
}

/** Opens a kept draft on GitHub; a failure is recorded on the draft (and answered 503 saying it is kept). */
export async function publishDraft({ deps, draft }: { deps: TDraftDeps; draft: TGapDraft }): Promise<{ url: string; draft: TGapDraft }> {
  const repo = deps.config.docsRepo;
  const github = deps.docsRepoGithub;
  if (!repo || !github) throw new AppError('bad_request', 'Drafts go to GitHub only with DOCS_REPO set.');
  let url: string;
  let issueNumber: number | null = null;
  try {
    if (draft.kind === 'pull' && draft.diff && draft.pagePath) {
      const diff = draft.diff;
      const outcome = await openPullRequest({
        deps: { github, repo },
        draftId: draft.id,
        pagePath: draft.pagePath,
        change: (before) => changedPage(before, diff),
        title: draft.title,
        body: draft.body,
      });
      if (outcome.status === 'stale') {
        await recordGapDraftAttemptById({ db: deps.db, id: draft.id, status: 'failed', url: null, error: outcome.reason });
        deps.log.warn({ draft: draft.id, reason: outcome.reason }, 'gaps: the drafted diff no longer applies on GitHub; no pull request opened');
        throw new AppError('conflict', `${outcome.reason}. No pull request was opened: draft the topic again.`);
      }
      url = outcome.url;
    } else {
      const issue = await openIssue({ deps: { github, repo }, title: draft.title, body: draft.body, number: await topicIssueNumber(deps, draft) });
      url = issue.url;
      issueNumber = issue.number;
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = githubFailure(error);
    await recordGapDraftAttemptById({ db: deps.db, id: draft.id, status: 'failed', url: null, error: reason });
    deps.log.warn({ draft: draft.id, reason }, 'gaps: opening a draft on GitHub failed; the draft is kept');
    throw new AppError('unavailable', `${reason}. The draft is kept (id ${draft.id}): retry it from the dashboard.`);
  }
  const opened = await recordGapDraftAttemptById({ db: deps.db, id: draft.id, status: 'opened', url, error: null, issueNumber });
  return { url, draft: opened ?? draft };
}

/** The issue an earlier draft of the draft's topic opened on GitHub (found as the dashboard finds a topic's draft), if any. */
async function topicIssueNumber(deps: TDraftDeps, draft: TGapDraft): Promise<number | null> {
  if (draft.issueNumber !== null) return draft.issueNumber;
  const drafts = await listGapDrafts({ db: deps.db, limit: 500 });
  const issues = drafts.filter((other) => other.id !== draft.id && other.kind === 'issue' && other.target === 'github' && other.issueNumber !== null);
  return draftOf({ id: draft.topicId, questions: draft.questions }, issues)?.issueNumber ?? null;
}

/**
 * The page with the drafted diff applied, from the page as the docs repository has it (null: not there); null when
 * the diff does not apply: a new page that exists by now, a changed page that is gone or whose lines moved on.
 */
export function changedPage(before: string | null, diff: string): string | null {
  const isNewPage = /^--- \/dev\/null/m.test(diff);
  if (isNewPage !== (before === null)) return null;
  const after = applyPatch(before ?? '', diff);
  return after === false ? null : after;
}

/** A retry of a kept draft (target github): opened again, or refused with why. */
export async function retryGapDraft({ deps, id }: { deps: TDraftDeps; id: number }): Promise<{ url: string; draft: TGapDraft }> {
  const draft = await getGapDraftById({ db: deps.db, id });
  if (!draft) throw new AppError('not_found', `No draft ${id}.`);
  if (draft.status === 'opened' && draft.url) return { url: draft.url, draft };
  return publishDraft({ deps, draft });
}

/** A draft to download: its diff (a pull), else its markdown (an issue). */
export async function readGapDraftFile({ deps, id }: { deps: { db: TGapsDeps['db'] }; id: number }): Promise<{ text: string; contentType: string; fileName: string }> {
  const draft = await getGapDraftById({ db: deps.db, id });
  if (!draft) throw new AppError('not_found', `No draft ${id}.`);
  if (draft.kind === 'pull' && draft.diff) return { text: draft.diff, contentType: 'text/x-diff; charset=utf-8', fileName: `docs-gap-${id}.patch` };
  return { text: `# ${draft.title}\n\n${draft.body}\n`, contentType: 'text/markdown; charset=utf-8', fileName: `docs-gap-${id}.md` };
}

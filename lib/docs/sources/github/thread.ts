import { createHash } from 'node:crypto';
import type { TPageInput, TSectionInput } from '../../../db/docs-index';
import type { TPrivacy } from '../../../privacy/mask';
import { INDEX_VERSION } from '../../index/documents';
import { linksDigest, linksText, type TThreadLinks } from './links';
import { maskMentions } from '../../../github/mentions';
import { escapeRegExp } from '../../../shared/text';

// A GitHub thread (an issue, a pull request or a discussion) as one docs page: the question (title and body),
// then the answer in the order a reader needs it: the maintainers' comments (author_association MEMBER, OWNER or
// COLLABORATOR), a discussion's accepted answer, then the other comments. Bots' comments, "+1"s and comments that
// are only reactions are left out. A thread closed as a duplicate says which thread it duplicates, with its link.
// Everything GitHub sends is data: it becomes section text, masked as readers' messages are (lib/privacy/mask.ts),
// never markup or instructions; no author's login is indexed (a comment says only its author's role), and
// @mentions in the text are masked too (maskMentions). The question section ends with the thread's links
// (./links.ts): the pull request or commit that fixed it, what a pull request fixes, the release it shipped in.
// A private repository's threads carry `isPrivate` in their meta: search never shows them to a reader who is not
// signed in (lib/docs/search/search.ts). Pure: no I/O.

/** What builds the pages: bumped when the page's shape changes, so that every thread is rebuilt once. */
export const GITHUB_PAGE_VERSION = 'github-v3';

export type TGithubUser = { login?: string | null; type?: string | null; __typename?: string | null } | null;

/** The fields of an issue or pull request (`GET /repos/{owner}/{repo}/issues`) this kind reads. */
export type TGithubIssue = {
  number: number;
  title: string;
  body?: string | null;
  state: 'open' | 'closed' | string;
  state_reason?: string | null;
  labels?: ({ name?: string | null } | string)[];
  user?: TGithubUser;
  author_association?: string | null;
  created_at?: string | null;
  updated_at: string;
  closed_at?: string | null;
  comments?: number;
  html_url: string;
  pull_request?: { html_url?: string | null; merged_at?: string | null; merged?: boolean } | null;
};

/** A comment (`GET /repos/{owner}/{repo}/issues/{n}/comments`, or a discussion's from GraphQL). */
export type TGithubComment = {
  id: number | string;
  body?: string | null;
  user?: TGithubUser;
  author_association?: string | null;
  created_at?: string | null;
  html_url?: string | null;
};

/** A discussion as this kind's GraphQL query returns it (./discussions.ts). */
export type TGithubDiscussion = {
  number: number;
  title: string;
  body?: string | null;
  url: string;
  updatedAt: string;
  closed?: boolean;
  category?: { name?: string | null } | null;
  answer?: TGithubComment | null;
  comments: TGithubComment[];
};

export type TThreadState = 'open' | 'closed' | 'merged';

/**
 * What a thread's page carries besides its text (the `meta` of lib/db/docs-index.ts's TPageInput): its number and
 * state, which search results show; `isPrivate` for a private repository's thread; its links, in words (`fixedBy`:
 * "#12" or "commit abc1234"; `releasedIn`: a release's tag) and, for a merged pull request, what it closes
 * (`fixes`: index paths) and when it was merged, which a later sync reads back (./sync.ts); `related`: the index
 * paths of the threads that answer it (a duplicate's original, the fixing pull request).
 */
export type TThreadMeta = {
  number: number;
  state: TThreadState;
  updatedAt: string;
  isPrivate?: true;
  fixedBy?: string;
  releasedIn?: string;
  fixes?: string[];
  mergedAt?: string;
  related?: string[];
};

export type TGithubPage = TPageInput & { meta: TThreadMeta };

export type TRepoRef = { owner: string; name: string };

const MAINTAINER_ROLES = new Set(['MEMBER', 'OWNER', 'COLLABORATOR']);
/** Per comment and per question: a thread's whole log pasted in one comment is not an answer. */
const MAX_TEXT = 6000;
const MAX_OTHER_COMMENTS = 20;

/** The page's index path: `github:owner/name#123`. Issues, pull requests and discussions share a repo's numbers. */
export function threadPath(repo: TRepoRef, number: number): string {
  return `github:${repo.owner}/${repo.name}#${number}`.toLowerCase();
}

/** The repository a path belongs to (`owner/name`, lower case), or null for another kind's path. */
export function repoOfPath(path: string): string | null {
  const match = /^github:([^#]+)#\d+$/.exec(path);
  return match?.[1] ?? null;
}

export function isBot(user: TGithubUser | undefined): boolean {
  if (!user) return false;
  return user.type === 'Bot' || user.__typename === 'Bot' || /\[bot\]$/i.test(user.login ?? '');
}

const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f/gu;
const SHORTCODE = /:[a-z0-9_+-]+:/gi;
const PLUS_ONE = /^(?:\+1|-1|me too|same here|same|same issue|same problem|any updates?\??|bump)$/i;

/** A comment that adds nothing to read: empty, "+1" (or "me too", "bump"), or only emoji and reactions. */
export function isNoiseComment(body: string | null | undefined): boolean {
  const text = (body ?? '').replace(/<!--[\s\S]*?-->/g, '').trim();
  if (text === '') return true;
  const words = text.replace(EMOJI, ' ').replace(SHORTCODE, ' ').replace(/[\s!.,]+/g, ' ').trim();
  if (words === '') return true;
  return PLUS_ONE.test(words);
}

export function isMaintainer(comment: { author_association?: string | null }): boolean {
  return MAINTAINER_ROLES.has((comment.author_association ?? '').toUpperCase());
}

export function threadState(issue: Pick<TGithubIssue, 'state' | 'pull_request'>): TThreadState {
  if (issue.pull_request && (issue.pull_request.merged === true || Boolean(issue.pull_request.merged_at))) return 'merged';
  return issue.state === 'open' ? 'open' : 'closed';
}

/**
 * The thread a duplicate points to: "Duplicate of #123" (GitHub's own phrase), or a link to another thread of the
 * same repository in a maintainer's comment. Only when the thread is closed as a duplicate (its state_reason, or a
 * "duplicate" label).
 */
export function duplicateOf(issue: TGithubIssue, comments: TGithubComment[], repo: TRepoRef): number | null {
  const labels = (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : (label.name ?? '')).toLowerCase());
  const isDuplicate = issue.state_reason === 'duplicate' || labels.some((label) => /duplicate/.test(label));
  if (!isDuplicate || issue.state === 'open') return null;
  const texts = [...comments.filter(isMaintainer), ...comments, { body: issue.body }].map((comment) => comment.body ?? '');
  const sameRepo = new RegExp(`github\\.com/${escapeRegExp(repo.owner)}/${escapeRegExp(repo.name)}/(?:issues|pull|discussions)/(\\d+)`, 'i');
  for (const text of texts) {
    const match = /duplicate of\s+#(\d+)/i.exec(text) ?? /duplicate of\s+\S*?\/(?:issues|pull|discussions)\/(\d+)/i.exec(text) ?? sameRepo.exec(text);
    const number = Number(match?.[1]);
    if (match && number !== issue.number) return number;
  }
  return null;
}

/** At most this many pointed-to threads are kept per thread. */
const MAX_POINTERS = 2;

/**
 * The threads of the same repository a maintainer's comment, or the thread's own author in its body, points to
 * ("see #123", a link to another issue or pull request): where the people who know sent the reader. Maintainers'
 * pointers first; the thread itself never.
 */
export function pointedThreads(issue: Pick<TGithubIssue, 'number' | 'body'>, comments: TGithubComment[], repo: TRepoRef): number[] {
  const link = new RegExp(`github\\.com/${escapeRegExp(repo.owner)}/${escapeRegExp(repo.name)}/(?:issues|pull|discussions)/(\\d+)`, 'gi');
  const found: number[] = [];
  for (const text of [...comments.filter(isMaintainer).map((comment) => comment.body ?? ''), issue.body ?? '']) {
    const numbers = [...text.matchAll(/(?:^|[\s(\[,;:])#(\d{1,7})\b/g)].map((match) => match[1]).concat([...text.matchAll(link)].map((match) => match[1]));
    for (const value of numbers) {
      const number = Number(value);
      if (number > 0 && number !== issue.number && !found.includes(number)) found.push(number);
      if (found.length >= MAX_POINTERS) return found;
    }
  }
  return found;
}


/** An http(s) URL GitHub sent, else the one built from the repository and number: a page's link is never script. */
export function safeUrl(url: string | null | undefined, fallback: string): string {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : fallback;
  } catch {
    return fallback;
  }
}

/** GitHub's text as it is indexed: personal data masked (lib/privacy/mask.ts), then @mentions; as is when masking is off. */
export function maskThreadText(privacy: TPrivacy, text: string): string {
  return privacy.isMasking ? maskMentions(privacy.mask(text).text) : text;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

/** The checksum a thread's page carries: unchanged while the thread is, so an unchanged thread costs nothing. */
/** `links`: the digest of its links (./links.ts), so that a fix or a release found later rebuilds the page. */
export function threadChecksum(parts: { updatedAt: string; comments: number; state: string; isMasking: boolean; isPrivate?: boolean; links?: string }): string {
  return createHash('sha256')
    .update(
      [
        INDEX_VERSION,
        GITHUB_PAGE_VERSION,
        parts.updatedAt,
        String(parts.comments),
        parts.state,
        parts.isMasking ? 'masked' : 'plain',
        parts.isPrivate ? 'private' : 'public',
        parts.links ?? '',
      ].join('\0'),
    )
    .digest('hex');
}

type TBuild = {
  repo: TRepoRef;
  privacy: TPrivacy;
  number: number;
  kindLabel: 'Issue' | 'Pull request' | 'Discussion';
  title: string;
  body: string | null | undefined;
  url: string;
  state: TThreadState;
  updatedAt: string;
  labels: string[];
  comments: TGithubComment[];
  acceptedAnswer: TGithubComment | null;
  duplicate: number | null;
  /** Threads a maintainer or the author points to (pointedThreads). */
  pointers: number[];
  checksum: string;
  links: TThreadLinks;
  isPrivate: boolean;
  /** A merged pull request: what it closes (index paths) and when it was merged, kept in its meta. */
  closes?: { paths: string[]; mergedAt: string };
};

function buildPage(input: TBuild): TGithubPage {
  const { repo, privacy, number, title, url } = input;
  const mask = (text: string) => maskThreadText(privacy, text);
  const repoName = `${repo.owner}/${repo.name}`;
  const stateText = input.state === 'open' ? 'open (not fixed yet)' : input.state;
  const heading = mask(title).trim() || `#${number}`;
  const question: string[] = [];
  const body = (input.body ?? '').trim();
  if (body) question.push(mask(clip(body)));
  if (input.labels.length > 0) question.push(`Labels: ${input.labels.join(', ')}.`);
  if (input.duplicate !== null) {
    // The other thread's address on the same host as this one's (GitHub's own html_url: GitHub Enterprise, or a fake).
    const sibling = /\/(?:issues|pull|discussions)\/\d+$/.test(url) ? url.replace(/\/(?:issues|pull|discussions)\/\d+$/, `/issues/${input.duplicate}`) : null;
    question.push(`Closed as a duplicate of #${input.duplicate}${sibling ? `: ${sibling}` : ''}`);
  }
  const links = linksText(input.links, day);
  if (links.length > 0) question.push(links.join('\n'));
  const sections: TSectionInput[] = [{ heading, heading_path: [heading], anchor: '', content: question.join('\n\n') || heading }];

  const readable = input.comments.filter((comment) => !isBot(comment.user) && !isNoiseComment(comment.body));
  const acceptedId = input.acceptedAnswer ? String(input.acceptedAnswer.id) : null;
  const maintainers = readable.filter((comment) => isMaintainer(comment) && String(comment.id) !== acceptedId);
  const others = readable.filter((comment) => !isMaintainer(comment) && String(comment.id) !== acceptedId).slice(0, MAX_OTHER_COMMENTS);
  const accepted = input.acceptedAnswer && !isBot(input.acceptedAnswer.user) && !isNoiseComment(input.acceptedAnswer.body) ? input.acceptedAnswer : null;
  const add = (comment: TGithubComment, label: string) => {
    const when = day(comment.created_at);
    const name = `${label}${when ? ` (${when})` : ''}`;
    sections.push({ heading: name, heading_path: [heading, name], anchor: commentAnchor(comment), content: mask(clip((comment.body ?? '').trim())) });
  };
  for (const comment of maintainers) add(comment, "Maintainers' answer");
  if (accepted) add(accepted, isMaintainer(accepted) ? "Accepted answer, by the maintainers" : 'Accepted answer');
  for (const comment of others) add(comment, 'Comment');

  const description = `${input.kindLabel} #${number} in ${repoName}, ${stateText}, updated ${day(input.updatedAt)}`;
  return {
    path: threadPath(repo, number),
    kind: 'github',
    slug: url,
    title: heading,
    description,
    checksum: input.checksum,
    warnings: [],
    sections,
    meta: threadMeta(input),
  };
}

function threadMeta(input: TBuild): TThreadMeta {
  const { links } = input;
  const meta: TThreadMeta = { number: input.number, state: input.state, updatedAt: input.updatedAt };
  if (input.isPrivate) meta.isPrivate = true;
  if (links.fixedBy) meta.fixedBy = links.fixedBy.ref;
  else if (links.fixedByCommit) meta.fixedBy = `commit ${links.fixedByCommit.sha}`;
  if (links.releasedIn) meta.releasedIn = links.releasedIn;
  if (input.closes && input.closes.paths.length > 0) Object.assign(meta, { fixes: input.closes.paths, mergedAt: input.closes.mergedAt });
  // The threads that answer this one: the original of a duplicate, the pull request that fixed it, the threads a
  // maintainer (or its author) pointed to. Search shows them
  // right after this thread (lib/docs/search/related.ts): a reader who finds the duplicate finds the answer.
  const related = new Set([
    ...(input.duplicate !== null ? [threadPath(input.repo, input.duplicate)] : []),
    ...(links.fixedBy ? [links.fixedBy.path] : []),
    ...input.pointers.map((number) => threadPath(input.repo, number)),
  ]);
  if (related.size > 0) meta.related = [...related];
  return meta;
}

/** The anchor of a comment on its thread's page (GitHub's own, `issuecomment-123`), '' when it has none. */
function commentAnchor(comment: TGithubComment): string {
  const hash = /#([\w-]+)$/.exec(comment.html_url ?? '')?.[1];
  return hash ?? '';
}

/** What a page knows beyond its thread: its repository's visibility and its links (./links.ts). Default: public, none. */
export type TPageContext = { isPrivate?: boolean; links?: TThreadLinks; closes?: { paths: string[]; mergedAt: string } };

export function issuePage({
  repo,
  issue,
  comments,
  privacy,
  context = {},
}: {
  repo: TRepoRef;
  issue: TGithubIssue;
  comments: TGithubComment[];
  privacy: TPrivacy;
  context?: TPageContext;
}): TGithubPage {
  const state = threadState(issue);
  const fallback = `https://github.com/${repo.owner}/${repo.name}/${issue.pull_request ? 'pull' : 'issues'}/${issue.number}`;
  return buildPage({
    repo,
    privacy,
    number: issue.number,
    kindLabel: issue.pull_request ? 'Pull request' : 'Issue',
    title: issue.title,
    body: issue.body,
    url: safeUrl(issue.html_url, fallback),
    state,
    updatedAt: issue.updated_at,
    labels: (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((label) => label !== ''),
    comments,
    acceptedAnswer: null,
    duplicate: duplicateOf(issue, comments, repo),
    pointers: pointedThreads(issue, comments, repo),
    checksum: issueChecksum(issue, privacy, context),
    links: context.links ?? {},
    isPrivate: context.isPrivate === true,
    ...(context.closes ? { closes: context.closes } : {}),
  });
}

/** Unchanged while the thread, its visibility and its links are: an unchanged thread costs no request more. */
export function issueChecksum(issue: TGithubIssue, privacy: TPrivacy, context: TPageContext = {}): string {
  return threadChecksum({
    updatedAt: issue.updated_at,
    comments: issue.comments ?? 0,
    state: threadState(issue),
    isMasking: privacy.isMasking,
    isPrivate: context.isPrivate === true,
    links: linksDigest(context.links ?? {}),
  });
}

export function discussionPage({
  repo,
  discussion,
  privacy,
  context = {},
}: {
  repo: TRepoRef;
  discussion: TGithubDiscussion;
  privacy: TPrivacy;
  context?: Pick<TPageContext, 'isPrivate'>;
}): TGithubPage {
  const state: TThreadState = discussion.closed ? 'closed' : 'open';
  return buildPage({
    repo,
    privacy,
    number: discussion.number,
    kindLabel: 'Discussion',
    title: discussion.title,
    body: discussion.body,
    url: safeUrl(discussion.url, `https://github.com/${repo.owner}/${repo.name}/discussions/${discussion.number}`),
    // A discussion with an accepted answer is answered, whether or not it was closed.
    state: discussion.answer ? 'closed' : state,
    updatedAt: discussion.updatedAt,
    labels: discussion.category?.name ? [discussion.category.name] : [],
    comments: discussion.comments,
    acceptedAnswer: discussion.answer ?? null,
    duplicate: null,
    pointers: [],
    checksum: discussionChecksum(discussion, privacy, context),
    links: {},
    isPrivate: context.isPrivate === true,
  });
}

export function discussionChecksum(discussion: TGithubDiscussion, privacy: TPrivacy, context: Pick<TPageContext, 'isPrivate'> = {}): string {
  return threadChecksum({
    updatedAt: discussion.updatedAt,
    comments: discussion.comments.length + (discussion.answer ? 1000 : 0),
    state: discussion.closed ? 'closed' : 'open',
    isMasking: privacy.isMasking,
    isPrivate: context.isPrivate === true,
  });
}

import type { TGithubClient } from '../github/client';
import { inertQuote, inertTitle } from '../github/markdown';
import type { THandoffConfig } from './settings';
import { MAX_QUOTE_CHARS } from '../shared/quote';

export { githubFailure } from '../maintainers/gaps/github';

// A hand-off on GitHub: an issue in HANDOFF_GITHUB_REPO, or a discussion in its HANDOFF_GITHUB_CATEGORY, opened with
// the GitHub client the source and the drafted docs fixes use (lib/github/client.ts: retries, rate limits). It is
// posted under the maintainers' token, so the reader's words, in its title too, are quoted inertly
// (lib/github/markdown.ts, as drafts quote them: no live mention, image, link or issue reference) and were masked before (lib/privacy/mask.ts). The reader's e-mail
// address is never in it. Its external id is `owner/name#number`, lower-cased, as webhooks and the sync name it.

export type THandoffPost = {
  question: string;
  isNotCovered: boolean;
  sources: { url: string; title: string }[];
  /** How many cited pages the repository's readers may not read were left out (HANDOFF_GITHUB_AUDIENCES). */
  withheldSources?: number;
  note: string | null;
  /** The passage the question asked about ("Ask about this"), masked again and bounded, with its page's title. */
  quote?: { text: string; title?: string } | null;
};
export type THandoffRepo = NonNullable<THandoffConfig['github']>;

const MAX_QUESTION_CHARS = 2000;
const MAX_NOTE_CHARS = 2000;
const MAX_TITLE_CHARS = 90;
const MAX_SOURCES = 8;

/** `owner/name#number`, as a hand-off row keeps it and a webhook's repository and number make it. */
export function githubExternalId(fullName: string, number: number): string {
  return `${fullName.toLowerCase()}#${number}`;
}

export function handoffTitle(post: THandoffPost): string {
  return `Reader question: ${inertTitle(post.question, MAX_TITLE_CHARS)}`;
}

export function handoffBody(post: THandoffPost, siteUrl: string): string {
  const withheld = post.withheldSources ?? 0;
  const cited = post.sources.length > 0 ? 'cited:' : withheld > 0 ? 'cited only private pages, not named here.' : 'cited no source.';
  const lines = [
    'A reader of the docs asked the maintainers for help: the assistant could not settle it.',
    '',
    '**Question**',
    '',
    `> ${inertQuote(post.question, MAX_QUESTION_CHARS)}`,
    '',
    ...(post.quote
      ? [`**The passage they asked about**${post.quote.title ? ` (on “${inertQuote(post.quote.title, 200)}”)` : ''}`, '', `> ${inertQuote(post.quote.text, MAX_QUOTE_CHARS)}`, '']
      : []),
    `**The assistant's answer** ${post.isNotCovered ? 'said the docs do not cover it.' : cited}`,
  ];
  if (post.sources.length > 0) {
    lines.push('');
    for (const source of post.sources.slice(0, MAX_SOURCES)) lines.push(`- ${sourceLink(source, siteUrl)}`);
    if (withheld > 0) lines.push('', `It also cited ${withheld === 1 ? 'a private page' : `${withheld} private pages`}, not named here.`);
  }
  if (post.note) lines.push('', "**The reader's note**", '', `> ${inertQuote(post.note, MAX_NOTE_CHARS)}`);
  lines.push('', '---', 'A comment here from a member, owner or collaborator of the repository is shown to the reader in their conversation as the maintainers’ reply.');
  return lines.join('\n');
}

/** A cited source as a link: the server made these URLs from its own search results; titles are quoted inertly. */
function sourceLink(source: { url: string; title: string }, siteUrl: string): string {
  let href: string;
  try {
    href = new URL(source.url, siteUrl).href;
  } catch {
    return inertQuote(source.title, 200);
  }
  if (!/^https?:/.test(href)) return inertQuote(source.title, 200);
  return `[${inertQuote(source.title || href, 200)}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
}

export async function openHandoffOnGithub({
  github,
  repo,
  post,
  siteUrl,
}: {
  github: TGithubClient;
  repo: THandoffRepo;
  post: THandoffPost;
  siteUrl: string;
}): Promise<{ externalId: string; url: string }> {
  const title = handoffTitle(post);
  const body = handoffBody(post, siteUrl);
  if (repo.category !== null) return openDiscussion({ github, repo, title, body });
  const issue = (await github.request('POST /repos/{owner}/{repo}/issues', { owner: repo.owner, repo: repo.name, title, body })).data as { number: number; html_url: string };
  return { externalId: githubExternalId(`${repo.owner}/${repo.name}`, issue.number), url: issue.html_url };
}

type TRepositoryIds = { repository: { id: string; discussionCategories: { nodes: { id: string; name: string; slug: string }[] } } | null };

async function openDiscussion({ github, repo, title, body }: { github: TGithubClient; repo: THandoffRepo; title: string; body: string }) {
  const found = await github.graphql<TRepositoryIds>(
    'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id discussionCategories(first: 100) { nodes { id name slug } } } }',
    { owner: repo.owner, name: repo.name },
  );
  const wanted = (repo.category ?? '').toLowerCase();
  const category = found.repository?.discussionCategories.nodes.find((node) => node.name.toLowerCase() === wanted || node.slug.toLowerCase() === wanted);
  if (!found.repository || !category) throw new Error(`no discussion category ${repo.category} in ${repo.owner}/${repo.name}`);
  const created = await github.graphql<{ createDiscussion: { discussion: { number: number; url: string } } }>(
    'mutation($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) { createDiscussion(input: {repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body}) { discussion { number url } } }',
    { repositoryId: found.repository.id, categoryId: category.id, title, body },
  );
  const discussion = created.createDiscussion.discussion;
  return { externalId: githubExternalId(`${repo.owner}/${repo.name}`, discussion.number), url: discussion.url };
}

/** A comment on a hand-off's issue or discussion, as the webhook and the sync both read it. */
export type THandoffComment = { id: string; body: string; login: string; authorAssociation: string; isBot: boolean };

/** Who may answer as the maintainers: the repository's members, owners and collaborators, never a bot. */
const MAINTAINER_ASSOCIATIONS = new Set(['MEMBER', 'OWNER', 'COLLABORATOR']);

export function isMaintainerComment(comment: Pick<THandoffComment, 'authorAssociation' | 'isBot'>): boolean {
  return MAINTAINER_ASSOCIATIONS.has(comment.authorAssociation.toUpperCase()) && !comment.isBot;
}

/** The comments of a hand-off's issue (`since` its last sync) or discussion, oldest first. */
export async function listHandoffComments({
  github,
  externalId,
  isDiscussion,
  since,
}: {
  github: TGithubClient;
  externalId: string;
  isDiscussion: boolean;
  since: string | null;
}): Promise<THandoffComment[]> {
  const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(externalId);
  if (!match) return [];
  const [, owner, repo, number] = match as unknown as [string, string, string, string];
  if (isDiscussion) {
    const found = await github.graphql<{ repository: { discussion: { comments: { nodes: { id: string; body: string; authorAssociation: string; author: { login: string; __typename: string } | null }[] } } | null } | null }>(
      'query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { discussion(number: $number) { comments(last: 50) { nodes { id body authorAssociation author { login __typename } } } } } }',
      { owner, name: repo, number: Number(number) },
    );
    return (found.repository?.discussion?.comments.nodes ?? []).map((node) => ({
      id: node.id,
      body: node.body,
      login: node.author?.login ?? '',
      authorAssociation: node.authorAssociation,
      isBot: node.author?.__typename === 'Bot',
    }));
  }
  const comments = await github.list<{ id: number; body: string | null; author_association: string; user: { login: string; type?: string } | null }>(
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { owner, repo, issue_number: Number(number), per_page: 100, ...(since ? { since } : {}) },
  );
  return comments.map((comment) => ({
    id: String(comment.id),
    body: comment.body ?? '',
    login: comment.user?.login ?? '',
    authorAssociation: comment.author_association,
    isBot: comment.user?.type === 'Bot',
  }));
}

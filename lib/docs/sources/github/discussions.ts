import type { TGithubClient } from '../../../github/client';
import type { TGithubComment, TGithubDiscussion, TRepoRef } from './thread';

// A repository's discussions through GraphQL (REST has none), newest activity first, with their accepted answer
// and first comments. `since`: pages stop at the first discussion not updated since then (the order is by update).

const PAGE_SIZE = 50;
const COMMENTS_PER_DISCUSSION = 50;

export const DISCUSSIONS_QUERY = `query($owner: String!, $name: String!, $after: String, $first: Int!, $comments: Int!) {
  repository(owner: $owner, name: $name) {
    hasDiscussionsEnabled
    discussions(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number title body url updatedAt closed
        category { name }
        answer { id body url createdAt authorAssociation author { login __typename } }
        comments(first: $comments) { nodes { id body url createdAt authorAssociation author { login __typename } } }
      }
    }
  }
}`;

type TGraphqlComment = {
  id: string;
  body: string | null;
  url: string | null;
  createdAt: string | null;
  authorAssociation: string | null;
  author: { login: string; __typename: string } | null;
};

type TGraphqlDiscussion = Omit<TGithubDiscussion, 'answer' | 'comments'> & { answer: TGraphqlComment | null; comments: { nodes: TGraphqlComment[] } };

type TDiscussionsPage = {
  repository: {
    hasDiscussionsEnabled: boolean;
    discussions: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: TGraphqlDiscussion[] };
  } | null;
};

function comment(node: TGraphqlComment): TGithubComment {
  return { id: node.id, body: node.body, html_url: node.url, created_at: node.createdAt, author_association: node.authorAssociation, user: node.author };
}

/** The repository's discussions updated since `since` (all of them when null); [] when discussions are off. */
export async function listDiscussions({ client, repo, since }: { client: TGithubClient; repo: TRepoRef; since: Date | null }): Promise<TGithubDiscussion[]> {
  const found: TGithubDiscussion[] = [];
  let after: string | null = null;
  for (;;) {
    const page: TDiscussionsPage = await client.graphql<TDiscussionsPage>(DISCUSSIONS_QUERY, {
      owner: repo.owner,
      name: repo.name,
      after,
      first: PAGE_SIZE,
      comments: COMMENTS_PER_DISCUSSION,
    });
    const repository = page.repository;
    if (!repository?.hasDiscussionsEnabled) return found;
    for (const node of repository.discussions.nodes) {
      if (since && new Date(node.updatedAt) < since) return found;
      found.push({ ...node, answer: node.answer ? comment(node.answer) : null, comments: node.comments.nodes.map(comment) });
    }
    const { hasNextPage, endCursor } = repository.discussions.pageInfo;
    if (!hasNextPage || !endCursor) return found;
    after = endCursor;
  }
}

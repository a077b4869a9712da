import { describe, expect, it } from 'vitest';
import type { TGithubComment, TGithubIssue } from '@/lib/docs/sources/github/thread';
import { threadLinks, threadQuestions, threadReferences, type TGithubCorpus } from '../../scripts/lib/search-thread-set';

// The thread-answer question set is read off the threads' own links (scripts/lib/search-thread-set.ts): who asks,
// which thread answers, and whose words the question is.

const repo = { owner: 'acme', name: 'widgets' };
const url = (kind: 'issues' | 'pull' | 'discussions', number: number) => `https://github.com/acme/widgets/${kind}/${number}`;

function issue(number: number, title: string, body: string, extra: Partial<TGithubIssue> = {}): TGithubIssue {
  return { number, title, body, state: 'closed', updated_at: '2024-01-01T00:00:00Z', html_url: url('issues', number), user: { login: `author${number}` }, ...extra };
}
const pull = (number: number, title: string, body: string) => issue(number, title, body, { html_url: url('pull', number), pull_request: { merged_at: '2024-01-02T00:00:00Z' } });
const comment = (id: number, body: string, login: string, association: string): TGithubComment => ({ id, body, user: { login }, author_association: association });

const corpus: TGithubCorpus = {
  repo,
  issues: [
    issue(10, 'Tooltip stays open after click', 'The tooltip does not close.'),
    pull(11, 'fix(tooltip): close on click', `Fixes ${url('issues', 10)}\n\nAlso see #999 and &#12; and ${url('issues', 12)}.`),
    issue(12, 'Tooltip never closes', 'Same as before?', { state_reason: 'duplicate' }),
    issue(20, 'Modal focus', 'Focus is lost.'),
    issue(21, 'Modal focus again', 'Focus is lost again.'),
    pull(30, 'fix(toast): dismiss all', `Resolves ${url('issues', 77)}`),
    issue(40, 'Menu keyboard', 'Enter does not close it.'),
  ],
  comments: {
    '12': [comment(1201, 'Duplicate of #10', 'maintainer', 'MEMBER')],
    // A reader (not the author, not a maintainer) pointing elsewhere is not a maintainers' link.
    '21': [comment(2101, 'Maybe related to #20?', 'someone', 'NONE'), comment(2102, 'Looks like #40 to me', 'labeler[bot]', 'MEMBER')],
    '20': [comment(2001, 'Also reported in #21, fixed by the same change.', 'maintainer', 'OWNER')],
  },
};

describe('threadReferences', () => {
  it('finds #N and links to the same repository\'s threads, not entities, anchors or other repositories', () => {
    const text = `See #5, ${url('pull', 6)}, &#7; x#8 https://github.com/other/repo/issues/9 and ${url('discussions', 10)}`;
    expect(threadReferences(text, repo).map(({ number, isPullRequest }) => [number, isPullRequest])).toEqual([
      [5, null],
      [6, true],
      [10, false],
    ]);
  });
});

describe('threadLinks', () => {
  it('reads closing keywords, duplicates and maintainers\' pointers, skipping other readers and bots', () => {
    const links = threadLinks(corpus).map(({ from, to, kind }) => `${from}→${to} ${kind}`);
    expect(links).toEqual(['11→10 closes', '11→999 points', '11→12 points', '12→10 duplicate', '20→21 points', '30→77 closes']);
  });
});

describe('threadQuestions', () => {
  it('asks with the asking thread\'s title (or a reader\'s words for a thread not in the corpus) for the thread that answers', () => {
    const readers = [
      { id: 'widgets#77', question: 'Toasts do not all go away when several are shown', source: url('issues', 77) },
      // In the corpus: its title is used, not this.
      { id: 'widgets#20', question: 'reader words for 20', source: url('issues', 20) },
    ];
    const questions = threadQuestions(corpus, readers).map(({ id, q, targets, isAskerIndexed, kinds }) => ({ id, q, targets, isAskerIndexed, kinds }));
    expect(questions).toEqual([
      // The issue a pull request fixes asks; the pull request answers.
      { id: 'github:10', q: 'Tooltip stays open after click', targets: [11], isAskerIndexed: true, kinds: ['closes'] },
      // A duplicate asks; what it duplicates answers; a pull request pointing at an issue addresses it.
      { id: 'github:12', q: 'Tooltip never closes', targets: [10, 11], isAskerIndexed: true, kinds: ['duplicate', 'points'] },
      // Between two issues the later asks.
      { id: 'github:21', q: 'Modal focus again', targets: [20], isAskerIndexed: true, kinds: ['points'] },
      // Not in the corpus: a reader's words, and nothing to hold out.
      { id: 'widgets#77', q: 'Toasts do not all go away when several are shown', targets: [30], isAskerIndexed: false, kinds: ['closes'] },
    ]);
  });

  it('asks nothing for a thread with no words here, nor for a target that is not in the corpus', () => {
    const questions = threadQuestions(corpus, []);
    expect(questions.map((question) => question.asker)).toEqual([10, 12, 21]);
    expect(questions.flatMap((question) => question.targets)).not.toContain(999);
    expect(questions.find((question) => question.asker === 10)?.pages).toEqual(['github:acme/widgets#11']);
  });
});

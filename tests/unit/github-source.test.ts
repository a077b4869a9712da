import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { nextLink } from '@/lib/github/client';
import { closingReferences, linksText, releasesByPullRequest, threadRef } from '@/lib/docs/sources/github/links';
import { duplicateOf, isBot, isNoiseComment, pointedThreads, repoOfPath, safeUrl, threadPath, threadState, type TGithubIssue } from '@/lib/docs/sources/github/thread';
import { maskMentions } from '@/lib/github/mentions';

// The GitHub source's configuration (one clear start-up error for each misconfiguration) and the pure rules of what
// a thread's page keeps: which comments are noise, who is a bot, what a duplicate points to, a Link's next page.

const REPO = { owner: 'acme', name: 'widgets' };
const issue = (change: Partial<TGithubIssue>): TGithubIssue => ({
  number: 10,
  title: 'A bug',
  state: 'closed',
  updated_at: '2024-01-01T00:00:00Z',
  html_url: 'https://github.com/acme/widgets/issues/10',
  ...change,
});

describe('GitHub in the config', () => {
  it('reads GITHUB_REPOS, the token, GitHub Enterprise, the interval and private repositories', () => {
    expect(parseConfig({}).docsSources.github).toBeNull();
    const github = parseConfig({ GITHUB_REPOS: 'twilio-labs/paste, acme/widgets.js,twilio-labs/paste', GITHUB_TOKEN: 'ghp_abc' }).docsSources.github;
    expect(github).toMatchObject({
      repos: [
        { owner: 'twilio-labs', name: 'paste' },
        { owner: 'acme', name: 'widgets.js' },
      ],
      token: 'ghp_abc',
      apiUrl: 'https://api.github.com',
      intervalMinutes: 30,
      isPrivateIncluded: false,
      privacy: { isMasking: true },
    });
    const enterprise = parseConfig({
      GITHUB_REPOS: 'team/app',
      GITHUB_TOKEN: 't',
      GITHUB_API_URL: 'https://github.example.com/api/v3/',
      GITHUB_SYNC_INTERVAL_MINUTES: '5',
      GITHUB_INCLUDE_PRIVATE: 'on',
      PII_MASKING: 'off',
    }).docsSources.github;
    expect(enterprise).toMatchObject({ apiUrl: 'https://github.example.com/api/v3', intervalMinutes: 5, isPrivateIncluded: true, privacy: { isMasking: false } });
  });

  it('refuses each misconfiguration at start, saying which variable and why', () => {
    const message = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(message({ GITHUB_REPOS: 'paste' })).toBe('GITHUB_REPOS: GITHUB_REPOS must be owner/name pairs separated by commas');
    expect(message({ GITHUB_REPOS: 'https://github.com/a/b' })).toMatch(/^GITHUB_REPOS: /);
    expect(message({ GITHUB_TOKEN: 'ghp_abc' })).toMatch(/^GITHUB_TOKEN is set but GITHUB_REPOS is missing/);
    expect(message({ GITHUB_REPOS: 'a/b', GITHUB_API_URL: 'github.example.com' })).toBe('GITHUB_API_URL: GITHUB_API_URL must be an http(s) URL');
    expect(message({ GITHUB_REPOS: 'a/b', GITHUB_INCLUDE_PRIVATE: 'on' })).toMatch(/^GITHUB_INCLUDE_PRIVATE is on but GITHUB_TOKEN is missing/);
    expect(message({ GITHUB_REPOS: 'a/b', GITHUB_INCLUDE_PRIVATE: 'yes' })).toMatch(/^GITHUB_INCLUDE_PRIVATE: /);
    expect(message({ GITHUB_REPOS: 'a/b', GITHUB_SYNC_INTERVAL_MINUTES: '0' })).toMatch(/^GITHUB_SYNC_INTERVAL_MINUTES: /);
  });
});

describe("what a thread's page keeps", () => {
  it('leaves out "+1"s, reactions and empty comments, not short answers', () => {
    for (const body of ['+1', ' +1 ', '👍', '👍🏽 🎉', ':+1: :tada:', 'me too!', 'Same here.', 'bump', '', '<!-- -->']) expect(isNoiseComment(body), body).toBe(true);
    for (const body of ['+1, it also happens on Firefox', 'Use the `size` prop.', 'No.', 'Fixed in 2.3.1']) expect(isNoiseComment(body), body).toBe(false);
  });

  it('knows bots by their type or their [bot] login', () => {
    expect(isBot({ login: 'dependabot[bot]', type: 'User' })).toBe(true);
    expect(isBot({ login: 'renovate', type: 'Bot' })).toBe(true);
    expect(isBot({ login: 'labeler', __typename: 'Bot' })).toBe(true);
    expect(isBot({ login: 'robot-fan', type: 'User' })).toBe(false);
    expect(isBot(null)).toBe(false);
  });

  it('points a thread closed as a duplicate to its original, and only then', () => {
    const comments = [{ id: 1, body: 'Duplicate of #4', author_association: 'MEMBER' }];
    expect(duplicateOf(issue({ state_reason: 'duplicate' }), comments, REPO)).toBe(4);
    expect(duplicateOf(issue({ labels: [{ name: 'Resolution: Duplicate' }] }), [{ id: 2, body: 'Same as https://github.com/acme/widgets/issues/7' }], REPO)).toBe(7);
    expect(duplicateOf(issue({ state_reason: 'completed' }), comments, REPO)).toBeNull();
    expect(duplicateOf(issue({ state: 'open', state_reason: 'duplicate' }), comments, REPO)).toBeNull();
  });

  it('tells merged pull requests from closed ones, and keeps links http(s)', () => {
    expect(threadState({ state: 'closed', pull_request: { merged_at: '2024-01-01T00:00:00Z' } })).toBe('merged');
    expect(threadState({ state: 'closed', pull_request: { merged_at: null, merged: true } })).toBe('merged');
    expect(threadState({ state: 'closed', pull_request: { merged_at: null } })).toBe('closed');
    expect(threadState({ state: 'open' })).toBe('open');
    expect(safeUrl('javascript:alert(1)', 'https://github.com/a/b/issues/1')).toBe('https://github.com/a/b/issues/1');
    expect(safeUrl('https://github.com/a/b/pull/2', 'x')).toBe('https://github.com/a/b/pull/2');
  });

  it("names a page by its repository and number, and reads the repository back; follows a Link's next page", () => {
    expect(threadPath({ owner: 'Twilio-Labs', name: 'Paste' }, 12)).toBe('github:twilio-labs/paste#12');
    expect(repoOfPath('github:twilio-labs/paste#12')).toBe('twilio-labs/paste');
    expect(repoOfPath('https://docs.example.com/a')).toBeNull();
    const link = '<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last"';
    expect(nextLink(link)).toBe('https://api.github.com/repositories/1/issues?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(undefined)).toBeNull();
  });
});

describe("a thread's @mentions", () => {
  it('masks logins, and leaves package scopes, e-mails, masks, code and CSS at-rules alone', () => {
    expect(maskMentions('Thanks @jane-doe, and cc @Bob99: see @twilio-paste/core@21.5.0.')).toBe('Thanks @[user], and cc @[user]: see @twilio-paste/core@21.5.0.');
    expect(maskMentions('Write to jane@example.com or [email removed]; @media (min-width: 10px) and @import.')).toBe(
      'Write to jane@example.com or [email removed]; @media (min-width: 10px) and @import.',
    );
    expect(maskMentions('Use `@Input() name` and\n```ts\n@Component({})\nclass A {} // @someone\n```\nthen ask @someone.')).toBe(
      'Use `@Input() name` and\n```ts\n@Component({})\nclass A {} // @someone\n```\nthen ask @[user].',
    );
    expect(maskMentions('@org/team and @scope/pkg stay; @a-b- is no login; @lead at the start goes.')).toBe('@org/team and @scope/pkg stay; @a-b- is no login; @[user] at the start goes.');
  });
});

describe('links between threads', () => {
  it("reads GitHub's closing keywords, in this repository and another, by number or URL", () => {
    expect(closingReferences('Fixes #12. Also closes acme/other#3, and resolved https://github.com/acme/widgets/issues/4', REPO)).toEqual([
      'github:acme/widgets#12',
      'github:acme/other#3',
      'github:acme/widgets#4',
    ]);
    expect(closingReferences('FIXED: #5; Close #6', REPO)).toEqual(['github:acme/widgets#5', 'github:acme/widgets#6']);
    // Not closing keywords, or no reference right after one.
    expect(closingReferences('Related to #7, see #8; this fixes the tooltip (#9); prefix#10 and #11fixes', REPO)).toEqual([]);
    expect(threadRef('github:acme/widgets#12', REPO)).toBe('#12');
    expect(threadRef('github:acme/other#3', REPO)).toBe('acme/other#3');
  });

  it('finds the first published release whose notes mention a pull request', () => {
    const releases = releasesByPullRequest([
      { tag_name: 'v3.0.0', body: 'Includes #12 again', published_at: '2024-03-01T00:00:00Z' },
      { tag_name: 'v2.1.0', body: '- [#12](https://github.com/acme/widgets/pull/12) fix\n- https://github.com/acme/widgets/pull/14', published_at: '2024-02-01T00:00:00Z' },
      { tag_name: 'v2.0.9', body: '#13', published_at: '2024-01-01T00:00:00Z', draft: true },
      { tag_name: 'v2.0.8', body: 'colour &#13; entity', published_at: '2023-12-01T00:00:00Z' },
    ]);
    expect(Object.fromEntries(releases)).toEqual({ 12: 'v2.1.0', 14: 'v2.1.0' });
  });

  it('says how a thread was fixed, what a pull request fixes, and where it shipped', () => {
    const day = (iso: string) => iso.slice(0, 10);
    expect(linksText({ fixedBy: { ref: '#2', path: 'github:acme/widgets#2', title: 'Parse dates locally', mergedAt: '2024-01-14T10:00:00Z' }, releasedIn: 'v2.3.1' }, day)).toEqual([
      'Fixed by #2: Parse dates locally (merged 2024-01-14).',
      'Released in v2.3.1.',
    ]);
    expect(linksText({ fixedByCommit: { sha: 'abc1234', closedAt: '2024-02-01T00:00:00Z' } }, day)).toEqual(['Fixed by commit abc1234 (closed 2024-02-01).']);
    expect(linksText({ fixes: [{ ref: '#1', title: 'A bug' }, { ref: 'acme/other#3', title: null }] }, day)).toEqual(['Fixes #1: A bug.', 'Fixes acme/other#3.']);
    expect(linksText({}, day)).toEqual([]);
  });
});

describe('the threads a thread points to', () => {
  const repo = { owner: 'acme', name: 'widgets' };
  const comment = (body: string, association: string) => ({ id: 1, body, author_association: association, user: { login: 'someone' } });

  it("keeps a maintainer's pointers first, then its author's, never itself, two at most, and only this repository's", () => {
    const issue = { number: 10, body: 'Same as #10 and #7; upstream https://github.com/other/repo/issues/3.' };
    const comments = [comment('Fixed in #12, see https://github.com/acme/widgets/pull/15', 'MEMBER'), comment('Also #99', 'NONE')];
    expect(pointedThreads(issue, comments, repo)).toEqual([12, 15]);
    expect(pointedThreads(issue, [comment('Also #99', 'NONE')], repo)).toEqual([7]);
    expect(pointedThreads({ number: 1, body: 'color: #fff; a&#39;b' }, [], repo)).toEqual([]);
  });
});

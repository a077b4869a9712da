import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { nextLink } from '@/lib/docs/sources/github/client';
import { duplicateOf, isBot, isNoiseComment, repoOfPath, safeUrl, threadPath, threadState, type TGithubIssue } from '@/lib/docs/sources/github/thread';

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

import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { isGithubSignatureValid, signGithubPayload } from '@/lib/handoff/replies';
import { renderReplyText } from '@/lib/review-channel/format';

// HANDOFF_TO and its partners (lib/handoff/settings.ts): each channel's missing partner is one clear line; the review
// channel's hand-off post; GitHub's webhook signature.

const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/pa-unused' };
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_CHANNEL_ID: 'C0123456789', SITE_URL: 'https://docs.example.com' };
const parse = (env: Record<string, string>) => parseConfig({ ...base, ...env });

describe('HANDOFF_TO', () => {
  it('is off unset, and reads each channel with its partners', () => {
    expect(parse({}).handoff).toEqual({ channels: [], github: null, slack: null, email: null, webhookSecret: null });
    const config = parse({
      ...SLACK,
      HANDOFF_TO: 'github, slack,email',
      HANDOFF_GITHUB_REPO: 'acme/questions',
      HANDOFF_GITHUB_CATEGORY: 'Q&A',
      GITHUB_TOKEN: 'ghp_x',
      HANDOFF_SLACK_MENTION: 'S0123ABC',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      HANDOFF_EMAIL_FROM: 'Docs <docs@example.com>',
      GITHUB_WEBHOOK_SECRET: 'a-webhook-secret-0123',
    });
    expect(config.handoff).toEqual({
      channels: ['github', 'slack', 'email'],
      github: { owner: 'acme', name: 'questions', category: 'Q&A', token: 'ghp_x', apiUrl: 'https://api.github.com', access: { audiences: [], isMaintainer: false } },
      slack: { mention: 'S0123ABC' },
      email: { smtpUrl: 'smtp://127.0.0.1:2525', from: 'Docs <docs@example.com>' },
      webhookSecret: 'a-webhook-secret-0123',
    });
  });

  it.each([
    [{ HANDOFF_TO: 'jira' }, 'HANDOFF_TO: jira is not a channel (github, slack or email)'],
    [{ HANDOFF_TO: 'github', GITHUB_TOKEN: 'ghp_x' }, 'HANDOFF_TO names github but HANDOFF_GITHUB_REPO is missing'],
    [{ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'acme/questions' }, 'HANDOFF_TO names github but GITHUB_TOKEN is missing'],
    [{ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'not a repo', GITHUB_TOKEN: 'x' }, 'HANDOFF_GITHUB_REPO must be owner/name'],
    [{ HANDOFF_TO: 'slack' }, 'HANDOFF_TO names slack but the review channel is off'],
    [{ ...SLACK, HANDOFF_TO: 'slack,email', HANDOFF_EMAIL_FROM: 'docs@example.com' }, 'HANDOFF_TO names email but SMTP_URL is missing'],
    [{ ...SLACK, HANDOFF_TO: 'slack,email', SMTP_URL: 'smtp://127.0.0.1:25' }, 'HANDOFF_TO names email but HANDOFF_EMAIL_FROM is missing'],
    [{ HANDOFF_TO: 'email', SMTP_URL: 'smtp://127.0.0.1:25', HANDOFF_EMAIL_FROM: 'docs@example.com' }, 'HANDOFF_TO names email only'],
    [{ HANDOFF_GITHUB_REPO: 'acme/questions', DOCS_REPO: 'acme/docs' }, 'HANDOFF_GITHUB_REPO is set but HANDOFF_TO does not name github'],
    [{ SMTP_URL: 'smtp://127.0.0.1:25' }, 'SMTP_URL is set but HANDOFF_TO does not name email'],
    [{ ...SLACK, HANDOFF_TO: 'slack', HANDOFF_SLACK_MENTION: '<!channel>' }, 'HANDOFF_SLACK_MENTION must be'],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => parse(env)).toThrow(message);
  });
});

describe('the review channel’s hand-off post', () => {
  it('says a maintainer is needed, mentions only the configured group, and quotes the note inertly', () => {
    const text = renderReplyText({ kind: 'handoff', payload: { mention: 'S0123ABC', note: 'Please <!channel> look <https://evil.example|here>' }, siteUrl: 'https://docs.example.com' });
    expect(text).toContain(':raising_hand: *Needs a maintainer:*');
    expect(text).toContain('<!subteam^S0123ABC>');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil.example|here>');
    expect(renderReplyText({ kind: 'handoff', payload: { mention: null, note: null }, siteUrl: 'https://docs.example.com' })).not.toMatch(/<[!@]/);
  });
});

describe('GitHub’s webhook signature', () => {
  it('holds for exactly the signed bytes and the secret, and nothing else', () => {
    const body = Buffer.from('{"action":"created"}');
    const secret = 'a-webhook-secret-0123';
    expect(isGithubSignatureValid({ secret, body, signature: signGithubPayload(secret, body) })).toBe(true);
    expect(isGithubSignatureValid({ secret, body: Buffer.from('{"action":"edited"}'), signature: signGithubPayload(secret, body) })).toBe(false);
    expect(isGithubSignatureValid({ secret, body, signature: signGithubPayload('another-secret-0123456', body) })).toBe(false);
    for (const signature of [undefined, '', 'sha1=abc', signGithubPayload(secret, body).toUpperCase()]) expect(isGithubSignatureValid({ secret, body, signature })).toBe(false);
  });
});

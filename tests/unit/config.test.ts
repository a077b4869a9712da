import path from 'node:path';
import { failure, parse } from '../helpers/config-parse';
import { describe, expect, it } from 'vitest';
import { createModelClient } from '@/lib/model';
import { DEFAULT_MODEL } from '@/lib/config';

const SECRET = 's'.repeat(32);

describe('parseConfig', () => {
  it('runs fully embedded with no configuration', () => {
    const config = parse({});
    expect(config.store).toEqual({ mode: 'embedded', dataDir: path.resolve('/srv/app/.data') });
    expect(config.model).toEqual({ mode: 'offline' });
    expect(config.reviewChannel).toEqual({ mode: 'disabled' });
    expect(config.session).toEqual({ mode: 'generated' });
    expect(config.docsDir).toBe(path.resolve('/srv/app/content/docs'));
    expect(config.runs).toMatchObject({ expirySeconds: 600, leaseSeconds: 30, maxToolRounds: 4, pollMs: 500 });
    expect(config.limits).toEqual({ maxBodyBytes: 32768, maxMessageChars: 8000, streamsPerSession: 10, streamsPerIp: 300 });
  });

  it('chooses Supabase, OpenAI Responses and Slack when fully configured', () => {
    const config = parse({
      SUPABASE_URL: 'https://abc.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'service-key',
      SESSION_SECRET: SECRET,
      OPENAI_API_KEY: 'sk-test',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_CHANNEL_ID: 'C123',
    });
    expect(config.store).toEqual({ mode: 'supabase', url: 'https://abc.supabase.co', serviceRoleKey: 'service-key' });
    expect(config.model).toMatchObject({ mode: 'openai', style: 'responses', apiKey: 'sk-test', model: DEFAULT_MODEL });
    expect(config.model).toMatchObject({ timeoutMs: 60_000, maxRetries: 2, retryBaseMs: 500, contextTokens: 12_000 });
    expect(config.reviewChannel).toEqual({
      mode: 'enabled',
      token: 'xoxb-1',
      channelId: 'C123',
      apiUrl: undefined,
      outboxLeaseSeconds: 120,
      signingSecret: undefined,
      // The review channel reads the public pages only until SLACK_REVIEW_AUDIENCES says more.
      access: { audiences: [], isMaintainer: false },
      digest: { mode: 'off', checkSeconds: 600 },
    });
    expect(config.session).toEqual({ mode: 'configured', secret: SECRET });
  });

  it('answers in Slack with the signing secret (SLACK_ANSWERS off to keep Slack for maintainers), and checks the ids it is given', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL_ID: 'C123', SLACK_SIGNING_SECRET: 'signing-secret' };
    expect(parse(slack).chatDoors).toMatchObject({ slack: { channels: null, followUps: 'asker', maintainerIds: [], maintainerGroup: undefined } });
    expect(parse({ ...slack, SLACK_ANSWERS: 'off' }).chatDoors).toMatchObject({ slack: null });
    expect(
      parse({ ...slack, SLACK_ANSWER_CHANNELS: 'C0HELP, G0PRIVATE', SLACK_ANSWER_FOLLOW_UPS: 'mention', SLACK_MAINTAINER_IDS: 'U0ANA,W0BEN', SLACK_MAINTAINER_GROUP: 'S0DOCS' }).chatDoors,
    ).toMatchObject({ slack: { channels: ['C0HELP', 'G0PRIVATE'], followUps: 'mention', maintainerIds: ['U0ANA', 'W0BEN'], maintainerGroup: 'S0DOCS' } });
    expect(() => parse({ ...slack, SLACK_ANSWER_CHANNELS: '#help' })).toThrow(/SLACK_ANSWER_CHANNELS must be Slack ids/);
    expect(() => parse({ ...slack, SLACK_MAINTAINER_GROUP: 'docs-team' })).toThrow(/SLACK_MAINTAINER_GROUP must be a user group id/);
    expect(() => parse({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL_ID: 'C123', SLACK_MAINTAINER_IDS: 'U0ANA' })).toThrow(
      'SLACK_MAINTAINER_IDS is set but SLACK_SIGNING_SECRET is missing',
    );
  });

  it('sends images to the model only when MODEL_VISION=true', () => {
    expect(parse({ OPENAI_API_KEY: 'sk-test' }).model).toMatchObject({ isVision: false });
    expect(parse({ OPENAI_API_KEY: 'sk-test', MODEL_VISION: 'true' }).model).toMatchObject({ isVision: true });
    expect(parse({ OPENAI_API_KEY: 'sk-test', MODEL_VISION: '' }).model).toMatchObject({ isVision: false });
    expect(failure({ OPENAI_API_KEY: 'sk-test', MODEL_VISION: 'yes' })).toMatch(/MODEL_VISION/);
  });

  it('defaults a custom base URL to Chat Completions, without needing a key', () => {
    expect(parse({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.2' }).model).toMatchObject({
      mode: 'openai',
      style: 'chat',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3.2',
    });
    expect(parse({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_API_STYLE: 'responses' }).model).toMatchObject({ style: 'responses' });
  });

  it('builds the model client the config names: offline, Responses API or Chat Completions', () => {
    expect(createModelClient(parse({}))).toMatchObject({ mode: 'offline', name: 'offline' });
    expect(createModelClient(parse({ OPENAI_API_KEY: 'sk-test' }))).toMatchObject({ mode: 'responses', name: DEFAULT_MODEL });
    expect(createModelClient(parse({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'qwen3' }))).toMatchObject({
      mode: 'chat',
      name: 'qwen3',
    });
  });

  it('treats empty variables as unset', () => {
    expect(parse({ SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '', OPENAI_API_KEY: '  ' }).store.mode).toBe('embedded');
  });

  it('stops with one line naming the missing partner of a half-configured integration', () => {
    expect(failure({ SUPABASE_URL: 'https://abc.supabase.co' })).toBe('SUPABASE_URL is set but SUPABASE_SERVICE_ROLE_KEY is missing');
    expect(failure({ SUPABASE_SERVICE_ROLE_KEY: 'k' })).toBe('SUPABASE_SERVICE_ROLE_KEY is set but SUPABASE_URL is missing');
    expect(failure({ SLACK_BOT_TOKEN: 'xoxb' })).toBe('SLACK_BOT_TOKEN is set but SLACK_CHANNEL_ID is missing');
    expect(failure({ SLACK_CHANNEL_ID: 'C1' })).toBe('SLACK_CHANNEL_ID is set but SLACK_BOT_TOKEN is missing');
    expect(failure({ SLACK_SIGNING_SECRET: 'abc' })).toBe('SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is missing');
    expect(failure({ SLACK_DIGEST: 'weekly' })).toBe('SLACK_DIGEST is weekly but SLACK_BOT_TOKEN is missing');
    expect(failure({ MAINTAINER_TOKEN: 'short' })).toBe('MAINTAINER_TOKEN: MAINTAINER_TOKEN must be at least 16 characters');
    expect(failure({ OPENAI_MODEL: 'gpt' })).toMatch(/^OPENAI_MODEL is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is/);
    expect(failure({ SUPABASE_URL: 'https://a.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k' })).toBe(
      'SESSION_SECRET is required when SUPABASE_URL is set',
    );
  });

  it('selects the postgres store from DATABASE_URL, with SESSION_SECRET required and one store at a time', () => {
    const secret = 's'.repeat(40);
    const config = parse({ DATABASE_URL: 'postgresql://app:pw@db.internal:5432/paste?sslmode=require', SESSION_SECRET: secret, DATABASE_POOL_SIZE: '20' });
    expect(config.store).toEqual({ mode: 'postgres', url: 'postgresql://app:pw@db.internal:5432/paste?sslmode=require', poolSize: 20 });
    expect(parse({ DATABASE_URL: 'postgres://localhost/paste', SESSION_SECRET: secret }).store).toMatchObject({ mode: 'postgres', poolSize: 10 });
    expect(failure({ DATABASE_URL: 'postgres://localhost/paste' })).toBe('SESSION_SECRET is required when DATABASE_URL is set');
    expect(failure({ DATABASE_URL: 'https://db.example.com', SESSION_SECRET: secret })).toBe(
      'DATABASE_URL: DATABASE_URL must be a postgres:// or postgresql:// URL',
    );
    expect(failure({ DATABASE_URL: 'not a url', SESSION_SECRET: secret })).toMatch(/^DATABASE_URL: /);
    expect(
      failure({ DATABASE_URL: 'postgres://localhost/paste', SUPABASE_URL: 'https://a.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k', SESSION_SECRET: secret }),
    ).toMatch(/^DATABASE_URL and SUPABASE_URL are both set/);
    expect(failure({ DATABASE_POOL_SIZE: '0' })).toMatch(/^DATABASE_POOL_SIZE: /);
  });

  it('rejects malformed values with the variable name', () => {
    expect(failure({ SUPABASE_URL: 'not a url', SUPABASE_SERVICE_ROLE_KEY: 'k' })).toBe('SUPABASE_URL: SUPABASE_URL must be an http(s) URL');
    expect(failure({ OPENAI_BASE_URL: 'ftp://x' })).toMatch(/^OPENAI_BASE_URL: /);
    expect(failure({ SESSION_SECRET: 'short' })).toMatch(/^SESSION_SECRET: .*32/);
    expect(failure({ RUN_LEASE_SECONDS: 'abc' })).toMatch(/^RUN_LEASE_SECONDS: /);
    expect(failure({ OPENAI_API_STYLE: 'graphql' })).toMatch(/^OPENAI_API_STYLE: /);
    expect(failure({ OPENAI_MAX_RETRIES: '99' })).toMatch(/^OPENAI_MAX_RETRIES: /);
    expect(failure({ OPENAI_TIMEOUT_MS: 'soon' })).toMatch(/^OPENAI_TIMEOUT_MS: /);
    for (const message of [failure({ SUPABASE_URL: 'x' }), failure({ LOG_LEVEL: 'loud' })]) expect(message).not.toContain('\n');
  });
});

describe('what places outside the deployment may read', () => {
  it('reads SLACK_REVIEW_AUDIENCES and HANDOFF_GITHUB_AUDIENCES as audiences, * as every page, and refuses a bad name', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL_ID: 'C123' };
    const reviewAccess = (value: string) => {
      const config = parse({ ...slack, SLACK_REVIEW_AUDIENCES: value });
      return config.reviewChannel.mode === 'enabled' ? config.reviewChannel.access : null;
    };
    expect(reviewAccess('staff|beta')).toEqual({ audiences: ['beta', 'staff'], isMaintainer: false });
    expect(reviewAccess('*')).toMatchObject({ isMaintainer: true });
    expect(failure({ ...slack, SLACK_REVIEW_AUDIENCES: 'staff team' })).toMatch(/SLACK_REVIEW_AUDIENCES must be \* or audience names/);
    const handoff = { HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'acme/questions', GITHUB_TOKEN: 'ghp_x' };
    expect(parse({ ...handoff, HANDOFF_GITHUB_AUDIENCES: 'staff' }).handoff?.github?.access).toEqual({ audiences: ['staff'], isMaintainer: false });
    expect(parse(handoff).handoff?.github?.access).toEqual({ audiences: [], isMaintainer: false });
  });
});

import { describe, expect, it } from 'vitest';
import { audiencesOf } from '@/lib/chat-doors/audiences';
import { ConfigError, parseConfig } from '@/lib/config';

// SLACK_CHANNEL_AUDIENCES and DISCORD_AUDIENCES (lib/chat-doors/audiences.ts): where a question is asked decides
// what its asker reads; an id the map does not name reads the public pages only.

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL_ID: 'C0REVIEW', SLACK_SIGNING_SECRET: 'signing-secret' };
const DISCORD = { DISCORD_APPLICATION_ID: '1000000000000000042', DISCORD_PUBLIC_KEY: 'a'.repeat(64), DISCORD_BOT_TOKEN: 'bot' };
const failure = (env: Record<string, string>) => {
  try {
    parseConfig(env, '/srv/app');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('the chat doors’ audiences', () => {
  it('reads a Slack channel map: a channel, =, audiences separated by |', () => {
    const config = parseConfig({ ...SLACK, SLACK_CHANNEL_AUDIENCES: 'C123=staff, C456=staff|beta,C123=ops' }, '/srv/app');
    expect(config.chatDoors.slack?.channelAudiences).toEqual({ C123: ['staff', 'ops'], C456: ['staff', 'beta'] });
    expect(parseConfig(SLACK, '/srv/app').chatDoors.slack?.channelAudiences).toEqual({});
  });

  it('reads a Discord map of servers and channels', () => {
    const config = parseConfig({ ...DISCORD, DISCORD_AUDIENCES: '111111111111111111=staff,222222222222222222=beta' }, '/srv/app');
    expect(config.chatDoors.discord).toMatchObject({ mode: 'enabled', audiences: { '111111111111111111': ['staff'], '222222222222222222': ['beta'] } });
  });

  it('refuses a malformed entry, naming the variable, and a map without its door', () => {
    expect(failure({ ...SLACK, SLACK_CHANNEL_AUDIENCES: 'C123' })).toMatch(/^SLACK_CHANNEL_AUDIENCES: .*"C123"/);
    expect(failure({ ...SLACK, SLACK_CHANNEL_AUDIENCES: 'U123=staff' })).toMatch(/^SLACK_CHANNEL_AUDIENCES: /);
    expect(failure({ ...SLACK, SLACK_CHANNEL_AUDIENCES: 'C123=st aff' })).toMatch(/^SLACK_CHANNEL_AUDIENCES: /);
    expect(failure({ ...DISCORD, DISCORD_AUDIENCES: 'general=staff' })).toMatch(/^DISCORD_AUDIENCES: /);
    expect(failure({ SLACK_CHANNEL_AUDIENCES: 'C123=staff' })).toBe('SLACK_CHANNEL_AUDIENCES is set but SLACK_SIGNING_SECRET is missing');
    expect(failure({ DISCORD_AUDIENCES: '111111111111111111=staff' })).toBe('DISCORD_AUDIENCES is set but DISCORD_APPLICATION_ID is missing');
  });

  it('gives a question every mapped id’s audiences, and none where nothing is mapped', () => {
    const map = { G1: ['staff'], C2: ['beta', 'staff'] };
    expect(audiencesOf(map, ['G1', 'C2'])).toEqual(['beta', 'staff']);
    expect(audiencesOf(map, ['C9', undefined, null])).toEqual([]);
    // An id named like an Object member is no entry.
    expect(audiencesOf(map, ['constructor', '__proto__'])).toEqual([]);
  });
});

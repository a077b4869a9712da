import { expect } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

// The config as a test parses it (a fixed project root), and the message of the ConfigError an environment gets.

export const parse = (env: Record<string, string>) => parseConfig(env, '/srv/app');

export function failure(env: Record<string, string>): string {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

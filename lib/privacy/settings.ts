import { z } from 'zod';
import { ConfigError, defineSettings, intInRange, optionalString } from '../settings';
import { compileExtraPattern } from './mask';

// Personal data and secrets are masked in readers' messages before anything stores or sends them (./mask.ts).

export type TPrivacyConfig = { isMasking: boolean; extraPatterns: string[] };

export const privacySettings = defineSettings(
  {
    PII_MASKING: z.enum(['on', 'off']).default('on').or(z.literal('').transform(() => 'on' as const)),
    // More patterns to mask, as a JSON list of regular expressions: '["ACME-\\d{6}", "/employee #\\d+/i"]'.
    PII_EXTRA_PATTERNS: optionalString,
  },
  (env): TPrivacyConfig => ({ isMasking: env.PII_MASKING === 'on', extraPatterns: parseExtraPatterns(env.PII_EXTRA_PATTERNS) }),
);

function parseExtraPatterns(value: string | undefined): string[] {
  if (value === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    throw new ConfigError('PII_EXTRA_PATTERNS must be a JSON list of regular expressions, e.g. ["ACME-\\\\d{6}"]');
  }
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string' && item !== '')) {
    throw new ConfigError('PII_EXTRA_PATTERNS must be a JSON list of non-empty strings');
  }
  for (const spec of list) {
    try {
      compileExtraPattern(spec);
    } catch (error) {
      throw new ConfigError(`PII_EXTRA_PATTERNS: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return list;
}

/** Threads whose last activity is older than RETENTION_DAYS days are deleted by the sweeper (./retention.ts); unset or 0: kept. */
export const retentionSettings = defineSettings({ RETENTION_DAYS: intInRange(0, 0, 36_500) }, (env) => ({
  retentionDays: env.RETENTION_DAYS > 0 ? env.RETENTION_DAYS : null,
}));

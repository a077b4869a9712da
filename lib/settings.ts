import { z } from 'zod';
import { brandError, hasBrand } from './error-brands';

// What every part's settings are made of. A part (a source kind, the model, the limits, the embed…) owns its
// environment variables in a settings module of its own (`settings.ts` beside its code), defined with
// defineSettings: a zod shape of the variables it reads and how it reads them. lib/config.ts composes the parts'
// settings into the one TConfig, validated once at start-up; it is still the only reader of process.env (it hands
// each part the environment). A leaf: imports nothing else from lib/ but the brands.

/** The environment as read: variable → value. */
export type TEnvSource = Record<string, string | undefined>;

/** What a part's settings are read with: the project's folder (relative paths), and the whole environment. */
export type TSettingsContext = { cwd: string; source: TEnvSource };

export type TSettings<TOut, TContext extends TSettingsContext = TSettingsContext> = {
  /** The variables it reads, with their rules. */
  readonly env: z.ZodObject<z.ZodRawShape>;
  /** Validates its variables, then reads them: a problem is one ConfigError naming the variable. */
  parse(source: TEnvSource, context: TContext): TOut;
};

export function defineSettings<TShape extends z.ZodRawShape, TOut, TContext extends TSettingsContext = TSettingsContext>(
  shape: TShape,
  read: (env: z.output<z.ZodObject<TShape>>, context: TContext) => TOut,
): TSettings<TOut, TContext> & { readonly env: z.ZodObject<TShape> } {
  const env = z.object(shape);
  return {
    env,
    parse(source, context) {
      const parsed = env.safeParse(source);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const variable = issue?.path.join('.') ?? 'environment';
        throw new ConfigError(`${variable}: ${issue?.message ?? 'invalid value'}`);
      }
      return read(parsed.data, context);
    },
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
    brandError(this, 'ConfigError');
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return hasBrand(error, 'ConfigError');
}

export const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const optionalUrl = (name: string) =>
  optionalString.refine((value) => value === undefined || isHttpUrl(value), {
    message: `${name} must be an http(s) URL`,
  });

export const intInRange = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** `on` or `off` (blank: `fallback`). */
export const onOff = (fallback: 'on' | 'off') =>
  z
    .enum(['on', 'off'])
    .default(fallback)
    .or(z.literal('').transform(() => fallback));

/** A variable that is set: present and not blank (as optionalString reads it). */
export function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `present` is set but `partner` is not: one ConfigError naming both. */
export function requirePartner<TEnv extends Record<string, unknown>>(env: TEnv, present: keyof TEnv & string, partner: keyof TEnv & string): void {
  if (env[present] !== undefined && env[partner] === undefined) {
    throw new ConfigError(`${present} is set but ${partner} is missing`);
  }
}

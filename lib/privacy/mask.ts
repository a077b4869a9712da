import { PII_MASKS, PII_METADATA_KEY, type TPiiKind } from '../shared/privacy';
import { SCREENSHOT_MARK } from '../shared/images';

// The one place where personal data and secrets are recognised and masked, before a reader's text is stored,
// sent to a model, embedded, searched or posted to Slack. Every entry point of reader text calls `mask`
// (lib/assistant/service.ts, the run engine, docs search, thread metadata, titles, MCP).
//
// Rules run in order; a later rule never touches text an earlier one masked. Each rule is a regular expression
// plus, where a pattern alone would over-mask, a check of the match (Luhn and card prefixes for cards, digit
// counts for phone numbers, character mix and entropy for generic secrets). What is deliberately NOT masked
// (tests/unit/privacy-mask.test.ts lists them): version numbers (1.2.3, v21.5.0), dates (2024-01-05), times,
// hex colours (#ffcc00), CSS values, numbers in prose, Paste design-token names ($color-text-weak,
// colorTextWeak), ids in code (msg_abc123, thread_… — an underscore-joined id is one word), UUIDs (they are
// ids, not secrets, and readers paste them from error messages and URLs), npm scopes and versions
// (@twilio-paste/core@21.5.0), image names (icon@2x.png), `git@github.com`, and short numbers like ports.
// Masked on purpose although not always secret: any run of 32+ hex digits (Twilio auth tokens and signing
// secrets look exactly like that; so do git commit hashes, which are then masked too).

export type TMaskResult = {
  text: string;
  /** The kinds removed, each once, in the order of PII_KINDS. */
  kinds: TPiiKind[];
  /** How many pieces were masked. */
  count: number;
};

export type TPrivacy = {
  readonly isMasking: boolean;
  /** The text with personal data and secrets replaced by PII_MASKS; unchanged when masking is off. */
  mask(text: string): TMaskResult;
};

export type TPrivacyOptions = { isMasking: boolean; extraPatterns?: readonly string[] };

type TRule = {
  kind: TPiiKind;
  pattern: RegExp;
  /** The group to mask (default: the whole match). */
  group?: number;
  /** A match that fails this is left alone. */
  isValid?(value: string): boolean;
};

const KIND_ORDER: TPiiKind[] = ['email', 'phone', 'card', 'secret', 'custom'];

// --- checks -----------------------------------------------------------------------------------------------

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefixes of the card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
const CARD_PREFIX = /^(?:4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5|4[4-9]|2)|35|3(?:0[0-5]|[68])|5[06-8]|6\d)/;

function isCardNumber(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return CARD_PREFIX.test(digits) && isLuhnValid(digits);
}

function hasPhoneDigits(min: number, max: number) {
  return (value: string) => {
    const count = digitsOf(value).length;
    return count >= min && count <= max;
  };
}

/** Shannon entropy in bits per character. */
export function entropyOf(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A random-looking token: upper and lower case letters and digits, and high entropy (not an identifier). */
function isRandomToken(value: string): boolean {
  const core = value.replace(/=+$/, '');
  if (!/[A-Z]/.test(core) || !/[a-z]/.test(core) || !/\d/.test(core)) return false;
  // A path of words (a/b/c) is not a secret; an AWS secret key (40 characters, may hold '/') is.
  if (core.includes('/') && core.length !== 40) return false;
  return entropyOf(core) >= 4.2;
}

function isHexSecret(value: string): boolean {
  return /\d/.test(value) && /[a-f]/i.test(value) && entropyOf(value.toLowerCase()) >= 3;
}

/** A value after "password:" and the like: a secret when it mixes letters and digits and is not code. */
function isAssignedSecret(value: string): boolean {
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // process.env.KEY, config.apiKey
  if (/^[$@{[(<]/.test(value)) return false; // $token, {value}, template syntax
  return /\d/.test(value) && /[A-Za-z]/.test(value);
}

function isPersonalEmail(value: string): boolean {
  const [local = '', domain = ''] = value.split('@');
  if (local.toLowerCase() === 'git') return false; // git@github.com:org/repo is an address of a repository
  return !/^\d+(?:\.\d+)?x\./i.test(domain); // icon@2x.png
}

// --- rules ------------------------------------------------------------------------------------------------

const BUILT_IN_RULES: TRule[] = [
  // Secrets first: their shapes are the most specific.
  { kind: 'secret', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'secret', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g }, // JWT
  { kind: 'secret', pattern: /\bsk-[A-Za-z0-9_-]{20,}/g }, // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-)
  { kind: 'secret', pattern: /\bxox[abeposr]-[A-Za-z0-9-]{10,}|\bxapp-[A-Za-z0-9-]{10,}/g }, // Slack
  { kind: 'secret', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}/g }, // GitHub
  { kind: 'secret', pattern: /\bglpat-[A-Za-z0-9_-]{20,}|\bnpm_[A-Za-z0-9]{36}\b/g }, // GitLab, npm
  { kind: 'secret', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}\b/g }, // AWS access key ids
  { kind: 'secret', pattern: /\b(?:AC|SK)[0-9a-fA-F]{32}\b/g }, // Twilio account and API key SIDs
  { kind: 'secret', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g }, // Stripe
  { kind: 'secret', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g }, // Google API keys
  {
    kind: 'secret',
    pattern: /(aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 2,
  },
  {
    kind: 'secret',
    pattern:
      /\b(?:password|passwd|pwd|passphrase|secret|client[_-]?secret|api[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token)\b["']?\s*[:=]\s*["']?([^\s"'`,;]{6,})/gi,
    group: 1,
    isValid: isAssignedSecret,
  },
  { kind: 'secret', pattern: /\b[Bb]earer\s+([A-Za-z0-9._~+/-]{16,}=*)/g, group: 1, isValid: (value) => /\d/.test(value) && /[A-Za-z]/.test(value) },
  // Twilio auth tokens, webhook signing secrets and other hex keys: 32+ hex digits standing alone.
  { kind: 'secret', pattern: /(?<![A-Za-z0-9_#-])[0-9a-fA-F]{32,}(?![A-Za-z0-9_-])/g, isValid: isHexSecret },
  // Long random base64/base64url tokens (40-character AWS secrets among them).
  { kind: 'secret', pattern: /(?<![A-Za-z0-9_+/=.-])[A-Za-z0-9_+/-]{32,}={0,2}(?![A-Za-z0-9_+/=-])/g, isValid: isRandomToken },

  // Card numbers: 13–19 digits, spaces or dashes between, a card network's prefix and a valid Luhn check digit.
  { kind: 'card', pattern: /(?<![\d.,-])\d(?:[ -]?\d){12,18}(?![\d.,]\d|-\d)/g, isValid: isCardNumber },

  { kind: 'email', pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/g, isValid: isPersonalEmail },

  // Phone numbers: international (+…), North American (555-123-4567, (555) 123-4567), European with a leading
  // 0 in groups (020 7946 0958, 06 12 34 56 78), and any number right after a word like "phone" or "call me".
  { kind: 'phone', pattern: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w])/g, isValid: hasPhoneDigits(8, 15) },
  { kind: 'phone', pattern: /(?<![\w.-])(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-]|\.\d)/g },
  { kind: 'phone', pattern: /(?<![\w.-])0\d(?:[ .-]\d{2}){4}(?![\w-]|\.\d)|(?<![\w.-])0\d{2,4} \d{3,4} \d{3,4}(?![\w-]|\.\d)/g },
  {
    kind: 'phone',
    pattern: /\b(?:phone|tel|telephone|mobile|cell|call me(?: at| on)?|text me(?: at| on)?|whatsapp|sms)\b[^\d+\n]{0,12}(\+?\d[\d ().-]{5,18}\d)/gi,
    group: 1,
    isValid: hasPhoneDigits(7, 15),
  },
];

/**
 * An extra pattern from PII_EXTRA_PATTERNS: `pattern` or `/pattern/flags` (flags i, m, s, u). Throws a
 * SyntaxError naming the pattern when it does not compile.
 */
export function compileExtraPattern(spec: string): RegExp {
  const literal = /^\/(.+)\/([imsu]*)$/s.exec(spec);
  const source = literal ? (literal[1] as string) : spec;
  const flags = `g${literal ? (literal[2] as string) : ''}`;
  const pattern = new RegExp(source, flags);
  if (pattern.test('')) throw new SyntaxError(`pattern ${JSON.stringify(spec)} matches empty text`);
  return pattern;
}

export function createPrivacy({ isMasking, extraPatterns = [] }: TPrivacyOptions): TPrivacy {
  // The operator's own patterns come first: they know their secrets' shapes.
  // 'd' gives each match its groups' positions: a rule may mask one group (the value after "password:").
  const rules: TRule[] = [...extraPatterns.map((spec) => ({ kind: 'custom' as const, pattern: compileExtraPattern(spec) })), ...BUILT_IN_RULES].map(
    (rule) => ({ ...rule, pattern: new RegExp(rule.pattern.source, rule.pattern.flags.includes('d') ? rule.pattern.flags : `${rule.pattern.flags}d`) }),
  );
  return {
    isMasking,
    mask(text: string): TMaskResult {
      if (!isMasking || text === '') return { text, kinds: [], count: 0 };
      return maskWithRules(text, rules);
    },
  };
}

function maskWithRules(text: string, rules: TRule[]): TMaskResult {
  const taken: { start: number; end: number; kind: TPiiKind }[] = [];
  const overlaps = (start: number, end: number) => taken.some((range) => start < range.end && end > range.start);
  for (const rule of rules) {
    for (const match of text.matchAll(rule.pattern)) {
      const span = match.indices?.[rule.group ?? 0];
      if (!span || span[1] <= span[0]) continue;
      const [start, end] = span;
      const value = text.slice(start, end);
      if (overlaps(start, end)) continue;
      if (rule.isValid && !rule.isValid(value)) continue;
      taken.push({ start, end, kind: rule.kind });
    }
  }
  if (taken.length === 0) return { text, kinds: [], count: 0 };
  taken.sort((a, b) => a.start - b.start);
  let masked = '';
  let cursor = 0;
  for (const range of taken) {
    masked += text.slice(cursor, range.start) + PII_MASKS[range.kind];
    cursor = range.end;
  }
  masked += text.slice(cursor);
  const found = new Set(taken.map((range) => range.kind));
  return { text: masked, kinds: KIND_ORDER.filter((kind) => found.has(kind)), count: taken.length };
}

/** Message metadata recording what was masked (nothing when nothing was). */
export function maskedMetadata(result: TMaskResult): Record<string, string> | undefined {
  return result.kinds.length > 0 ? { [PII_METADATA_KEY]: result.kinds.join(',') } : undefined;
}

/** Masks every string value of a metadata object (thread titles and the like). */
export function maskMetadataValues<T extends Record<string, string | null>>(privacy: TPrivacy, metadata: T): T {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, value === null ? null : privacy.mask(value).text])) as T;
}

/**
 * Any mask in a text ("[email removed]"…), and the mark a screenshot's text follows ("[screenshot]"): words the server
 * wrote into a reader's text, left out of a search query.
 */
export const PII_MASK_PATTERN = new RegExp(
  [...Object.values(PII_MASKS), SCREENSHOT_MARK]
    .map((mask) => mask.replace(/[[\]]/g, '\\$&'))
    .join('|'),
  'g',
);

/** Masking on, built-in patterns only: for callers whose dependencies carry no configured privacy. */
export const DEFAULT_PRIVACY: TPrivacy = createPrivacy({ isMasking: true });

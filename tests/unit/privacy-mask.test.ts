import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createPrivacy, DEFAULT_PRIVACY, entropyOf, isLuhnValid, maskedMetadata, PII_MASK_PATTERN } from '@/lib/privacy/mask';
import { describeRemoved, PII_MASKS, readRemovedKinds, type TPiiKind } from '@/lib/shared/privacy';

// The masking table: what a reader may paste that must be masked (positives), and look-alikes that must be
// left alone (a docs assistant is asked about versions, colours, tokens and code all day). Made-up values
// only; the secrets are built from pieces so that no scanner mistakes this file for a leak.

const hex = (length: number, seed = 7) => Array.from({ length }, (_, index) => '0123456789abcdef'[(index * seed + 3) % 16]).join('');
const b64 = 'Zk9xT3pBcWx2R0s3bVhZc1dlMnJQdUg4amNOMUZ5dEs';

type TPositive = [label: string, text: string, secret: string, kind: TPiiKind];

const POSITIVES: TPositive[] = [
  ['email', 'Reach me at jane.doe+paste@example.co.uk please', 'jane.doe+paste@example.co.uk', 'email'],
  ['email in angle brackets', 'From: Jane <jane_doe@mail.example.com>', 'jane_doe@mail.example.com', 'email'],
  ['email uppercase', 'JOHN.SMITH@EXAMPLE.ORG wrote', 'JOHN.SMITH@EXAMPLE.ORG', 'email'],
  ['phone, international', 'call +1 415 555 0100 after 5', '+1 415 555 0100', 'phone'],
  ['phone, E.164', 'Twilio number +15017122661 sends', '+15017122661', 'phone'],
  ['phone, UK international', 'office +44 20 7946 0958', '+44 20 7946 0958', 'phone'],
  ['phone, NANP dashes', 'my cell 415-555-0134.', '415-555-0134', 'phone'],
  ['phone, NANP parentheses', 'ring (415) 555-0199 today', '(415) 555-0199', 'phone'],
  ['phone, NANP dots', 'fax 415.555.0123', '415.555.0123', 'phone'],
  ['phone, UK national', 'London 020 7946 0958', '020 7946 0958', 'phone'],
  ['phone, French', 'portable 06 12 34 56 78', '06 12 34 56 78', 'phone'],
  ['phone after a keyword', 'my phone is 5550134567', '5550134567', 'phone'],
  ['card, Visa spaced', 'card 4111 1111 1111 1111 exp 12/29', '4111 1111 1111 1111', 'card'],
  ['card, Visa plain', 'charged 4242424242424242 twice', '4242424242424242', 'card'],
  ['card, Mastercard dashed', 'use 5555-5555-5555-4444', '5555-5555-5555-4444', 'card'],
  ['card, Amex', 'amex 3782 822463 10005', '3782 822463 10005', 'card'],
  ['card, Discover', 'disc 6011111111111117', '6011111111111117', 'card'],
  ['OpenAI key', `OPENAI_API_KEY=sk-${'proj-'}${b64}`, `sk-proj-${b64}`, 'secret'],
  ['OpenAI legacy key', `key sk-${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6'} fails`, 'sk-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6', 'secret'],
  ['Slack bot token', `token xox${'b'}-1234567890-0987654321-AbCdEfGhIjKlMnOp`, 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp', 'secret'],
  ['Slack user token', `xox${'p'}-11111-22222-33333-abcdef`, 'xoxp-11111-22222-33333-abcdef', 'secret'],
  ['GitHub classic token', `gh${'p'}_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789`, 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'secret'],
  ['GitHub fine-grained token', `github_${'pat'}_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab`, `github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab`, 'secret'],
  ['AWS access key id', `aws id AKIA${'IOSFODNN7EXAMPLE'} here`, 'AKIAIOSFODNN7EXAMPLE', 'secret'],
  ['AWS secret key (named)', `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYEXAMPLEKEY'}`, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret'],
  ['AWS secret key (alone)', `the secret is wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYEXAMPLEKEY'}.`, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret'],
  ['Twilio account SID', `client = Client("AC${hex(32)}", token)`, `AC${hex(32)}`, 'secret'],
  ['Twilio API key SID', `SK${hex(32, 5)} is my key`, `SK${hex(32, 5)}`, 'secret'],
  ['Twilio auth token', `auth token ${hex(32, 3)} leaked`, hex(32, 3), 'secret'],
  ['JWT', `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'}`, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'secret'],
  ['bearer token', `curl -H "Authorization: Bearer ${'a8Kd92LmQz7TpX4vN1'}"`, 'a8Kd92LmQz7TpX4vN1', 'secret'],
  ['password assignment', 'password: hunter2go', 'hunter2go', 'secret'],
  ['api_key assignment', 'api_key="k3y-9fj2-aa81-zz02"', 'k3y-9fj2-aa81-zz02', 'secret'],
  ['long hex secret', `SIGNING_SECRET=${hex(64, 11)}`, hex(64, 11), 'secret'],
  ['long base64 secret', `const token = "${b64}Q2";`, `${b64}Q2`, 'secret'],
  ['Stripe key', `sk_${'live'}_51HAbCdEfGhIjKlMnOp0123`, 'sk_live_51HAbCdEfGhIjKlMnOp0123', 'secret'],
  ['Google API key', `AIza${'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q'}`, 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q', 'secret'],
  ['private key block', `-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA ${'PRIVATE'} KEY-----`, `-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----`, 'secret'],
];

const LOOK_ALIKES: [label: string, text: string][] = [
  ['semver', 'Upgrade @twilio-paste/core from 20.1.3 to 21.5.0'],
  ['version with v', 'Since v21.5.0-beta.2 the Button changed'],
  ['npm scope and version', 'npm i @twilio-paste/core@21.5.0 @twilio-paste/icons@13.1.0'],
  ['ISO date', 'Released on 2024-01-05, patched 2024-11-30T08:15:00Z'],
  ['dates in prose', 'between 01/05/2024 and 12.31.2025'],
  ['time', 'the meeting is at 10:30:45'],
  ['hex colours', 'color: #ffcc00; background: #FFF; border-color: #0263e0ff'],
  ['CSS values', 'padding: 12px 16px; margin: 0 auto; width: calc(100% - 24px); z-index: 1000'],
  ['CSS transform', 'transform: matrix(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)'],
  ['ids in code', 'fetch(`/api/paste-assistant-messages/${threadId}`) returned msg_abc123 and run_9f8e7d'],
  ['our own ids', `thread_${hex(32)} and msg_${hex(32, 5)}`],
  ['UUID', 'request id 123e4567-e89b-12d3-a456-426614174000 failed'],
  ['numbers in prose', 'We serve 1,000,000 readers, 4,500 pages and 12345 searches a day; port 3000'],
  ['unix timestamp', 'created_at: 1700000000'],
  ['long number that is not a card', 'order 1234567890123456 shipped'],
  ['Luhn-valid number without a card prefix', 'reference 1000000000000008'],
  ['Paste token names', 'use $color-text-weak, $space-space-40 and colorBackgroundPrimaryStronger'],
  ['long camelCase identifier', 'useAssistantConversationScrollRestoration2 and AssistantSidePanelKeyboardShortcuts'],
  ['kebab-case class', 'the class paste-assistant-thread-title-generation-2 is applied'],
  ['URL with a path', 'see https://paste.twilio.design/components/button/ButtonVariantsAndSizes2024#primary'],
  ['image at 2x', 'logo@2x.png and icon@3x.webp'],
  ['git remote', 'git clone git@github.com:twilio-labs/paste.git'],
  ['decorator and at-rules', '@media (min-width: 400px) { @import url(x.css) } @Component'],
  ['IPv4 address', 'server at 192.168.100.200:8080'],
  ['a phone-like range', 'pages 100-200 and 300-400'],
  ['version quartet', 'Chrome 120.0.6099.109 on Windows 10.0.19045'],
  ['token in prose', 'the token $color-background-primary is a design token'],
  ['TypeScript types', 'type TUser = { password: string; apiKey?: string }; const key = process.env.API_KEY'],
  ['password word alone', 'how do I build a password field with the Input component?'],
  ['short hex', 'commit abc1234 fixed it; hash 9f86d081'],
  ['base64 of a word', 'btoa("hello") is aGVsbG8='],
  ['mask text itself', `${PII_MASKS.email} ${PII_MASKS.phone} ${PII_MASKS.card} ${PII_MASKS.secret}`],
];

const counts = { positives: POSITIVES.length, caught: 0, lookAlikes: LOOK_ALIKES.length, untouched: 0 };

describe('masking personal data and secrets (the table)', () => {
  it.each(POSITIVES)('masks %s', (_label, text, secret, kind) => {
    const result = DEFAULT_PRIVACY.mask(text);
    expect(result.text).not.toContain(secret);
    expect(result.text).toContain(PII_MASKS[kind]);
    expect(result.kinds).toContain(kind);
    counts.caught += 1;
  });

  it.each(LOOK_ALIKES)('leaves alone: %s', (_label, text) => {
    const result = DEFAULT_PRIVACY.mask(text);
    expect(result.text).toBe(text);
    expect(result.count).toBe(0);
    counts.untouched += 1;
  });

  afterAll(() => {
    // The figures the issue asks for: printed with the test run.
    console.info(
      `masking table: ${counts.caught}/${counts.positives} positives caught, ${counts.untouched}/${counts.lookAlikes} look-alikes not over-masked`,
    );
  });
});

describe('masking', () => {
  it('masks everything in one message and keeps the rest word for word', () => {
    const text = `I'm jane@example.com, +1 415 555 0100, card 4111 1111 1111 1111, key sk-${b64}. Button on v21.5.0 with #ffcc00?`;
    const result = DEFAULT_PRIVACY.mask(text);
    expect(result.text).toBe(
      "I'm [email removed], [phone number removed], card [card number removed], key [secret removed]. Button on v21.5.0 with #ffcc00?",
    );
    expect(result.kinds).toEqual(['email', 'phone', 'card', 'secret']);
    expect(result.count).toBe(4);
  });

  it('is idempotent: masked text is masked to itself', () => {
    const once = DEFAULT_PRIVACY.mask(POSITIVES.map((row) => row[1]).join('\n'));
    expect(DEFAULT_PRIVACY.mask(once.text)).toEqual({ text: once.text, kinds: [], count: 0 });
  });

  it('a card number that fails the Luhn check is not a card', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(DEFAULT_PRIVACY.mask('card 4111 1111 1111 1112').kinds).not.toContain('card');
  });

  it('does nothing when masking is off', () => {
    const privacy = createPrivacy({ isMasking: false });
    const text = 'jane@example.com 4111 1111 1111 1111';
    expect(privacy.mask(text)).toEqual({ text, kinds: [], count: 0 });
  });

  it('masks the operator’s extra patterns first, as "custom"', () => {
    const privacy = createPrivacy({ isMasking: true, extraPatterns: ['ACME-\\d{6}', '/employee #\\d+/i'] });
    const result = privacy.mask('ticket ACME-123456 from Employee #42, mail bob@example.com');
    expect(result.text).toBe('ticket [private data removed] from [private data removed], mail [email removed]');
    expect(result.kinds).toEqual(['email', 'custom']);
  });

  it('records what it removed in message metadata, and the UI note names it', () => {
    const metadata = maskedMetadata(DEFAULT_PRIVACY.mask('jane@example.com, 4111111111111111'));
    expect(metadata).toEqual({ pii_removed: 'email,card' });
    expect(readRemovedKinds(metadata)).toEqual(['email', 'card']);
    expect(describeRemoved(readRemovedKinds(metadata))).toBe('Personal data was removed before this message was stored: an email address and a card number.');
    expect(maskedMetadata(DEFAULT_PRIVACY.mask('nothing here'))).toBeUndefined();
  });

  it('PII_MASK_PATTERN finds every mask (search leaves them out of its query)', () => {
    const masked = DEFAULT_PRIVACY.mask('mail a@example.com, call +1 415 555 0100 about Buttons').text;
    expect(masked.replace(PII_MASK_PATTERN, '')).toBe('mail , call  about Buttons');
  });

  it('entropy tells random tokens from words', () => {
    expect(entropyOf(b64)).toBeGreaterThan(4.2);
    expect(entropyOf('useAssistantConversationScrollRestoration2')).toBeLessThan(4.2);
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'test' };
  it('masks by default, with no extra patterns', () => {
    expect(parseConfig(base).privacy).toEqual({ isMasking: true, extraPatterns: [] });
  });

  it('PII_MASKING=off turns it off; PII_EXTRA_PATTERNS is a JSON list of patterns', () => {
    const config = parseConfig({ ...base, PII_MASKING: 'off', PII_EXTRA_PATTERNS: '["ACME-\\\\d{6}", "/secret-\\\\w+/i"]' });
    expect(config.privacy).toEqual({ isMasking: false, extraPatterns: ['ACME-\\d{6}', '/secret-\\w+/i'] });
  });

  it('refuses a pattern that does not compile, or matches nothing at all, naming the variable', () => {
    expect(() => parseConfig({ ...base, PII_EXTRA_PATTERNS: '["(unclosed"]' })).toThrow(/PII_EXTRA_PATTERNS/);
    expect(() => parseConfig({ ...base, PII_EXTRA_PATTERNS: '[".*"]' })).toThrow(/PII_EXTRA_PATTERNS/);
    expect(() => parseConfig({ ...base, PII_EXTRA_PATTERNS: 'not json' })).toThrow(/PII_EXTRA_PATTERNS/);
  });
});

describe('titles of masked questions', () => {
  it('never cut a mask in two', async () => {
    const { titleFromQuestion } = await import('@/lib/shared/titles');
    const masked = DEFAULT_PRIVACY.mask('I am jane@example.com, card 4111 1111 1111 1111. How do I configure Slack?').text;
    expect(titleFromQuestion(masked)).toBe('I am [email removed], card [card number removed]. How do I…');
    expect(titleFromQuestion(`Where do I put ${'a'.repeat(20)} [email removed] and [card number removed]?`)).toBe(`Where do I put ${'a'.repeat(20)} [email removed]…`);
  });
});

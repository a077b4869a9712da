import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { isDiscordSignatureValid } from '@/lib/chat-doors/doors/discord/interactions';
import { chatMessages, renderChatProgress } from '@/lib/chat-doors/render';
import { DISCORD_STYLE, markdownToDiscord, MAX_DISCORD_MESSAGE_CHARS } from '@/lib/chat-doors/doors/discord/style';
import { createDiscordKeys, signInteraction } from '../helpers/fake-discord';

const renderProgress = (args: Parameters<typeof renderChatProgress>[1]) => renderChatProgress(DISCORD_STYLE, args);
const splitMessage = (text: string) => chatMessages(DISCORD_STYLE, text);

// The Discord door's pure parts: Discord's Ed25519 signature over timestamp + raw body (the only thing that tells
// Discord's calls from anyone's), and answers split into messages Discord accepts (2,000 characters at most).

describe('the interactions signature', () => {
  const keys = createDiscordKeys();
  const body = JSON.stringify({ type: 1, id: '1', application_id: '2' });
  const nowMs = Date.now();
  const headers = signInteraction({ privateKey: keys.privateKey, body, timestamp: String(Math.floor(nowMs / 1000)) });
  const check = (overrides: Partial<{ publicKey: string; timestamp: unknown; signature: unknown; body: Buffer; nowMs: number }> = {}) =>
    isDiscordSignatureValid({
      publicKey: keys.publicKey,
      timestamp: headers['x-signature-timestamp'],
      signature: headers['x-signature-ed25519'],
      body: Buffer.from(body),
      nowMs,
      ...overrides,
    });

  it('accepts the application key’s signature of exactly these bytes at this time', () => {
    expect(check()).toBe(true);
  });

  it('refuses another body, another timestamp, another key, and a malformed or missing signature', () => {
    expect(check({ body: Buffer.from(body.replace('"type":1', '"type":2')) })).toBe(false);
    expect(check({ timestamp: String(Math.floor(nowMs / 1000) - 1) })).toBe(false);
    expect(check({ publicKey: createDiscordKeys().publicKey })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: 'ab'.repeat(63) })).toBe(false);
    expect(check({ signature: (headers['x-signature-ed25519'] as string).replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false);
  });

  it('refuses a genuine signature more than five minutes away from now (a replay)', () => {
    expect(check({ nowMs: nowMs + 6 * 60_000 })).toBe(false);
    expect(check({ nowMs: nowMs - 6 * 60_000 })).toBe(false);
    expect(check({ nowMs: nowMs + 4 * 60_000 })).toBe(true);
  });
});

describe('splitting an answer into Discord messages', () => {
  const paragraph = (n: number) => `Paragraph ${n}: ${'words and more words '.repeat(12).trim()}.`;

  it('keeps a short answer whole', () => {
    expect(splitMessage('Short answer.')).toEqual(['Short answer.']);
  });

  it('cuts a long answer at paragraphs, every message within the limit, nothing lost', () => {
    const text = Array.from({ length: 30 }, (_, n) => paragraph(n)).join('\n\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_DISCORD_MESSAGE_CHARS);
    for (const part of parts) expect(part).toMatch(/^Paragraph \d+:.*\.$/s);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('closes a code block cut in two and opens it again, with its language, in the next message', () => {
    const code = Array.from({ length: 120 }, (_, n) => `const value${n} = useToken('space${n}');`).join('\n');
    const text = `Here is how:\n\n\`\`\`tsx\n${code}\n\`\`\`\n\nThat is all.`;
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MAX_DISCORD_MESSAGE_CHARS);
      expect((part.match(/```/g) ?? []).length % 2, part.slice(0, 80)).toBe(0);
    }
    expect(parts[1]).toMatch(/^```tsx\n/);
    const lines = parts.join('\n').split('\n').filter((line) => line.startsWith('const value'));
    expect(lines).toHaveLength(120);
    expect(parts.at(-1)).toMatch(/That is all\.$/);
  });

  it('cuts a text without any break at the limit', () => {
    const parts = splitMessage('x'.repeat(4500));
    expect(parts.map((part) => part.length).reduce((a, b) => a + b, 0)).toBe(4500);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_DISCORD_MESSAGE_CHARS);
  });
});

describe('links in Discord messages', () => {
  it('makes the site’s relative links absolute and suppresses their preview cards; a link that leaves the site shows its address', () => {
    expect(markdownToDiscord('See [Button](/docs/button#usage) and [npm](https://www.npmjs.com).', 'https://docs.example.com')).toBe(
      'See [Button](<https://docs.example.com/docs/button#usage>) and <https://www.npmjs.com/>.',
    );
  });

  it('shows a growing answer within one message while it is written', () => {
    const shown = renderProgress({ draft: 'word '.repeat(1000), siteUrl: 'https://docs.example.com' });
    expect(shown.length).toBeLessThanOrEqual(MAX_DISCORD_MESSAGE_CHARS);
    expect(shown).toMatch(/Writing…\*$/);
  });
});

describe('the Discord configuration', () => {
  const key = 'a'.repeat(64);
  it('is on with the application id, public key and bot token, against Discord’s API unless DISCORD_API_URL says', () => {
    expect(parseConfig({ DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: key.toUpperCase(), DISCORD_BOT_TOKEN: 'bot' }).chatDoors.discord).toEqual({
      mode: 'enabled',
      applicationId: '123456789012345678',
      publicKey: key,
      botToken: 'bot',
      apiUrl: 'https://discord.com/api/v10',
      audiences: {},
    });
    expect(parseConfig({}).chatDoors.discord).toEqual({ mode: 'disabled' });
  });

  it('stops start-up with one line when a part is missing or malformed', () => {
    expect(() => parseConfig({ DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_PUBLIC_KEY: key })).toThrow(/DISCORD_PUBLIC_KEY is set but DISCORD_BOT_TOKEN is missing/);
    expect(() => parseConfig({ DISCORD_BOT_TOKEN: 'bot' })).toThrow(/DISCORD_BOT_TOKEN is set but DISCORD_APPLICATION_ID is missing/);
    expect(() => parseConfig({ DISCORD_APPLICATION_ID: '1234567', DISCORD_PUBLIC_KEY: 'not-hex', DISCORD_BOT_TOKEN: 'bot' })).toThrow(/DISCORD_PUBLIC_KEY/);
  });
});

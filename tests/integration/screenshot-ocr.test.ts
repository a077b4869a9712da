import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOcr, type TOcr } from '@/lib/assistant/ocr';
import { questionWithScreenshots } from '@/lib/assistant/images';
import { createLogger } from '@/lib/log';
import { createClient } from '../helpers/server';
import { serveTestAppForFile } from '../helpers/served-app';

// A screenshot's text, read offline (issue 71 item 3): tesseract.js with the English model from the npm package
// @tesseract.js-data/eng (nothing downloaded: CI reaches no CDN, so a download would fail this file). The fixture is an
// error message as Chromium draws it (14 px sans-serif at a device pixel ratio of 2, 640 × 110 CSS px):
//   Error: missing_scope / Your bot token lacks the chat:write scope needed to post to the channel. /
//   Signed in as jane.doe@example.com
// Sent alone, it is read, masked like typed text, searched with, and answered from the page that explains it.

const served = serveTestAppForFile();
const SCREENSHOT = readFileSync(path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png')).toString('base64');

describe('a screenshot sent with no text', () => {
  it('is read, masked, searched with, and answered from the section that explains its error', async () => {
    const reader = createClient(served.server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    const sent = await reader.post('/api/paste-assistant-message', { threadId, images: [{ mediaType: 'image/png', data: SCREENSHOT }] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const [question, answer] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    const asked: string = question.content[0].text.value;
    // What the image says stands in for it: "[screenshot] …", on one line, with the address masked.
    expect(asked).toBe('[screenshot] Error: missing_scope Your bot token lacks the chat:write scope needed to post to the channel. Signed in as [email removed]');
    expect(asked).not.toContain('jane.doe');
    // The image itself is kept with the question, as sent.
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}/${question.id}/images`)).body.data[0].data).toBe(SCREENSHOT);
    const cited = answer.content[0].text.annotations.map((annotation: { url: string }) => annotation.url);
    expect(cited[0]).toBe('/docs/guides/slack#creating-a-bot-token');
  });
});

describe('questionWithScreenshots', () => {
  const image = { mediaType: 'image/png' as const, data: SCREENSHOT };
  const reads = (texts: (string | null)[]): TOcr => {
    const left = [...texts];
    return { read: async () => left.shift() ?? null, stop: async () => {} };
  };

  it('puts each image’s text after the typed question, one line each, bounded', async () => {
    const long = `${'word '.repeat(400)}end`;
    const text = await questionWithScreenshots({ ocr: reads(['Error:\n  missing_scope', long]), text: 'Why?', images: [image, image] });
    const [typed, first, second] = text.split('\n\n');
    expect(typed).toBe('Why?');
    expect(first).toBe('[screenshot] Error: missing_scope');
    expect(second!.length).toBeLessThanOrEqual('[screenshot] …'.length + 1000);
    expect(second).toMatch(/^\[screenshot\] word word .*word…$/);
  });

  it('keeps the typed text alone, or names an unread image "[screenshot]", when nothing was read', async () => {
    expect(await questionWithScreenshots({ ocr: reads([null]), text: 'Why?', images: [image] })).toBe('Why?');
    expect(await questionWithScreenshots({ ocr: reads(['   ']), text: '', images: [image] })).toBe('[screenshot]');
    expect(await questionWithScreenshots({ ocr: undefined, text: '', images: [image] })).toBe('[screenshot]');
  });
});

describe('createOcr', () => {
  it('reads nothing from bytes that are no image, and reads the next image all the same', async () => {
    const ocr = createOcr({ log: createLogger({ level: 'silent', format: 'json' }) });
    try {
      expect(await ocr.read(Buffer.from('not an image at all'))).toBeNull();
      expect(await ocr.read(Buffer.from(SCREENSHOT, 'base64'))).toMatch(/missing_scope/);
    } finally {
      await ocr.stop();
    }
  });
});

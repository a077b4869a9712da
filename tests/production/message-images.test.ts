import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '@/lib/shared/images';
import { expectError } from '../helpers/contract';
import { mainClient, newThread } from './helpers/tier';

// Screenshots on the message API under `next start` (issue 71 item 3): the route's body limit leaves room for
// images (Next's own parser is off; the wrapper reads the body), an image is kept with its question, too large is
// 413 and another type 415, each as JSON. A screenshot's text is read by the built server itself (tesseract.js and its
// English model stay packages: next.config.mjs), offline.

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('a message with images under next start', () => {
  it('keeps a 2 MB image with an image-only question; 413 over 5 MB, 415 for GIF bytes', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    // Larger than MAX_BODY_BYTES (32 KB by default): only the message route's own limit lets it through.
    const twoMb = Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(2 * 1024 * 1024)]).toString('base64');
    const sent = await reader.post('/api/paste-assistant-message', { threadId, images: [{ mediaType: 'image/png', data: twoMb }], wait: false });
    expect(sent.status, JSON.stringify(sent.body).slice(0, 300)).toBe(200);
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expect(question.content[0].text.value).toBe('[screenshot]');
    // The thread's messages carry the image's type; its bytes come from the question's own images route.
    expect(question.metadata.images).toEqual([{ mediaType: 'image/png' }]);
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}/${question.id}/images`)).body.data[0].data).toBe(twoMb);

    const large = Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(MAX_IMAGE_BYTES)]).toString('base64');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', images: [{ mediaType: 'image/png', data: large }] }), 413, 'payload_too_large');
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(58)]).toString('base64');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', images: [{ mediaType: 'image/png', data: gif }] }), 415, 'unsupported_media_type');
  });

  it('reads the text in a screenshot of an error, and answers it from the page that explains it', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const screenshot = readFileSync(path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png')).toString('base64');
    const sent = await reader.post('/api/paste-assistant-message', { threadId, images: [{ mediaType: 'image/png', data: screenshot }] });
    expect(sent.status, JSON.stringify(sent.body).slice(0, 300)).toBe(200);
    const [question, answer] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expect(question.content[0].text.value).toMatch(/^\[screenshot\] Error: missing_scope Your bot token lacks the chat:write scope/);
    expect(question.content[0].text.value).toContain('[email removed]');
    const cited: string[] = answer.content[0].text.annotations.map((annotation: { url: string }) => annotation.url);
    // This site's docs explain it twice: the Slack guide's token, and troubleshooting's "Nothing arrives in Slack".
    expect(cited.some((url) => url.startsWith('/docs/guides/slack') || url === '/docs/troubleshooting#nothing-arrives-in-slack'), cited.join(', ')).toBe(true);
  });
});

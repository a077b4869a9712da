import { describe, expect, it, vi } from 'vitest';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { openSharedConversation, shareThreadForCaller } from '@/lib/assistant/share';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { getTranscriptForMaintainer } from '@/lib/maintainers/transcript';
import { MAX_IMAGE_BYTES, MAX_IMAGES } from '@/lib/shared/images';
import { expectError } from '../helpers/contract';
import { createClient } from '../helpers/server';
import { serveTestAppForFile } from '../helpers/served-app';

// Screenshots on the message API (issue 71 item 3, slice 1): `images: [{mediaType, data}]` over real HTTP. An image is
// kept with its question (metadata `images`) and deleted with its thread; too many or too large is 413, a type other
// than PNG/JPEG/WebP 415, judged by the bytes and not only by the declared type.

const served = serveTestAppForFile();

// A 1×1 PNG, and the signatures of the other types followed by padding.
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const JPEG_BYTES = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)]);
const WEBP_BYTES = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(52)]);
const GIF_BYTES = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(58)]);

async function newThread() {
  const reader = createClient(served.server.url);
  const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
  return { reader, threadId };
}

describe('the message route with images', () => {
  it('keeps the images with the question, and a message may be an image alone', async () => {
    const { reader, threadId } = await newThread();
    const images = [
      { mediaType: 'image/png', data: PNG_1PX },
      { mediaType: 'image/jpeg', data: JPEG_BYTES.toString('base64') },
      { mediaType: 'image/webp', data: `data:image/webp;base64,${WEBP_BYTES.toString('base64')}` },
    ];
    const sent = await reader.post('/api/paste-assistant-message', { threadId, images });
    expect(sent.status).toBe(200);
    const [question] = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
    expect(question.content[0].text.value).toBe('[screenshot]');
    // The thread's messages carry the images' types only; the reader who owns the thread fetches the bytes once.
    expect(question.metadata.images).toEqual([{ mediaType: 'image/png' }, { mediaType: 'image/jpeg' }, { mediaType: 'image/webp' }]);
    const imagesUrl = `/api/paste-assistant-messages/${threadId}/${question.id}/images`;
    const fetched = await reader.get(imagesUrl);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({
      object: 'list',
      data: [
        { mediaType: 'image/png', data: PNG_1PX },
        { mediaType: 'image/jpeg', data: JPEG_BYTES.toString('base64') },
        { mediaType: 'image/webp', data: WEBP_BYTES.toString('base64') },
      ],
    });
    // Another reader (another session) learns nothing of them: the thread is not theirs.
    const other = createClient(served.server.url);
    expectError(await other.get(imagesUrl), 404, 'not_found');
    // Ids are checked by format (400), and a message that is not in the thread is a 404.
    expectError(await reader.get(`/api/paste-assistant-messages/${threadId}/nope/images`), 400, 'bad_request');
    expectError(await reader.get(`/api/paste-assistant-messages/${threadId}/msg_000000000000/images`), 404, 'not_found');
    expectError(await reader.post(imagesUrl, {}), 405, 'method_not_allowed');
    // Maintainers see them on the conversation's transcript (the dashboard's and Slack's link to it).
    const transcript = await getTranscriptForMaintainer({ db: served.app.db, threadId });
    const asked = transcript.entries.find((entry) => entry.type === 'message' && entry.role === 'user');
    expect(asked?.type === 'message' ? asked.screenshots.map((image) => image.mediaType) : []).toEqual(['image/png', 'image/jpeg', 'image/webp']);

    // Deleted with its thread: nothing of the thread, the image included, is readable afterwards.
    expect((await reader.delete(`/api/paste-assistant-thread/${threadId}`)).status).toBeLessThan(300);
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).status).toBe(404);
    expectError(await reader.get(imagesUrl), 404, 'not_found');
  });

  it('refuses too many or too large images with 413', async () => {
    const { reader, threadId } = await newThread();
    const one = { mediaType: 'image/png', data: PNG_1PX };
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', images: Array(MAX_IMAGES + 1).fill(one) }), 413, 'payload_too_large');
    const large = Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(MAX_IMAGE_BYTES)]).toString('base64');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: 'Why?', images: [{ mediaType: 'image/png', data: large }] }), 413, 'payload_too_large');
    // Nothing was kept of the refused questions.
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
  });

  it('refuses another type with 415, by the bytes as well as the declared type', async () => {
    const { reader, threadId } = await newThread();
    const post = (mediaType: string, data: string) => reader.post('/api/paste-assistant-message', { threadId, message: 'What is this?', images: [{ mediaType, data }] });
    expectError(await post('image/gif', GIF_BYTES.toString('base64')), 415, 'unsupported_media_type');
    // Declared PNG, but GIF bytes; declared JPEG, but PNG bytes.
    expectError(await post('image/png', GIF_BYTES.toString('base64')), 415, 'unsupported_media_type');
    expectError(await post('image/jpeg', PNG_1PX), 415, 'unsupported_media_type');
    expectError(await post('image/png', 'not base64!'), 400, 'bad_request');
    expectError(await reader.post('/api/paste-assistant-message', { threadId, message: '  ' }), 400, 'bad_request');
    // Nothing was kept of the refused questions.
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
  });

  it('refuses with 415, before any OCR and keeping nothing, bytes declared PNG that are no image', async () => {
    const { reader, threadId } = await newThread();
    // Read by the OCR, such bytes would only have its decoder complain on stderr ("Error in pixReadStream").
    const read = vi.spyOn(served.app.ocr, 'read');
    try {
      const text = Buffer.from('This is a screenshot, honest: nothing but words in it.').toString('base64');
      const refused = await reader.post('/api/paste-assistant-message', { threadId, message: 'What does it say?', images: [{ mediaType: 'image/png', data: text }] });
      expectError(refused, 415, 'unsupported_media_type');
      expect(refused.body.error.message).toBe('images[0]: the bytes are not a PNG, JPEG or WebP image.');
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
    expect((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data).toEqual([]);
  });
});

describe('a shared conversation', () => {
  it('never shows the image through the share link: the question stands as its text', async () => {
    const owner = 'owner_images_aaaaaaaaaaa';
    const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: served.app, owner });
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: served.app, owner, threadId: thread.id, text: '', images: [{ mediaType: 'image/png', data: PNG_1PX }] });
    const shared = await shareThreadForCaller({ deps: served.app, owner, threadId: thread.id });
    const opened = await openSharedConversation({ access: PUBLIC_ACCESS, deps: served.app, id: new URL(shared.url).pathname.split('/').at(-1) });
    expect(opened.status).toBe('active');
    if (opened.status !== 'active') return;
    expect(opened.conversation.messages[0]!.content[0]!.text.value).toBe('[screenshot]');
    expect(JSON.stringify(opened.conversation)).not.toContain(PNG_1PX.slice(0, 24));
  });
});

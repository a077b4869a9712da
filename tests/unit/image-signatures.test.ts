import { describe, expect, it } from 'vitest';
import { checkImages, sniffImageType, type TImageInput } from '@/lib/assistant/images';
import { isAppError } from '@/lib/errors';

// A question's images are judged by their bytes' signature, not only by the type they declare (lib/assistant/images.ts):
// bytes that are no PNG, JPEG or WebP, or another of the three than declared, are a 415 before anything keeps them or
// reads them (an OCR handed bytes it cannot decode prints the decoder's complaint on stderr and reads nothing).

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG = Buffer.from(PNG_1PX, 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(52)]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(58)]);
// RIFF but not WebP: a WAV file's head.
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(52)]);
const TEXT = Buffer.from('This is a screenshot, honest: nothing but words in it.');

/** The error checkImages throws for `images`, as the route would answer it. */
function refusal(images: TImageInput[]) {
  try {
    checkImages(images);
  } catch (error) {
    if (isAppError(error)) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('checkImages took them');
}

describe('sniffImageType', () => {
  it('names PNG, JPEG and WebP by their signatures, and nothing else', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(WEBP)).toBe('image/webp');
    for (const bytes of [GIF, WAV, TEXT, Buffer.alloc(0), PNG.subarray(0, 7)]) expect(sniffImageType(bytes)).toBeNull();
  });
});

describe('checkImages', () => {
  it('takes each type whose bytes are that type, a data: URL’s payload included', () => {
    expect(checkImages([
      { mediaType: 'image/png', data: PNG_1PX },
      { mediaType: 'IMAGE/JPEG', data: JPEG.toString('base64') },
      { mediaType: 'image/webp', data: `data:image/webp;base64,${WEBP.toString('base64')}` },
    ])).toEqual([
      { mediaType: 'image/png', data: PNG_1PX },
      { mediaType: 'image/jpeg', data: JPEG.toString('base64') },
      { mediaType: 'image/webp', data: WEBP.toString('base64') },
    ]);
  });

  it('refuses with 415 bytes that are not the type declared, naming the image', () => {
    expect(refusal([{ mediaType: 'image/png', data: TEXT.toString('base64') }])).toEqual({
      status: 415,
      code: 'unsupported_media_type',
      message: 'images[0]: the bytes are not a PNG, JPEG or WebP image.',
    });
    expect(refusal([{ mediaType: 'image/png', data: PNG_1PX }, { mediaType: 'image/jpeg', data: PNG_1PX }])).toEqual({
      status: 415,
      code: 'unsupported_media_type',
      message: 'images[1]: declared image/jpeg, but the bytes are image/png.',
    });
    for (const [mediaType, bytes] of [['image/webp', WAV], ['image/png', GIF], ['image/jpeg', WEBP]] as const) {
      expect(refusal([{ mediaType, data: bytes.toString('base64') }]), mediaType).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    }
  });

  it('refuses a type other than PNG, JPEG or WebP by its name, and data that is not base64 with 400', () => {
    expect(refusal([{ mediaType: 'image/gif', data: GIF.toString('base64') }])).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(refusal([{ mediaType: 'image/png', data: 'not base64!' }])).toMatchObject({ status: 400, code: 'bad_request' });
  });
});

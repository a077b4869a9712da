import { AppError } from '../errors';
import type { TOcr } from './ocr';
import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES, SCREENSHOT_MARK, type TImageMediaType, type TStoredImage } from '../shared/images';

// Checks the images a question carries before anything keeps them: their count and decoded size (413) and their
// type, read from the bytes' own signature (415): a declared type is what the sender says, the bytes are what a
// browser or an OCR would read.

/** An image as the message API receives it. */
export type TImageInput = { mediaType: string; data: string };

/** The type the bytes' signature names, or null for anything that is not PNG, JPEG or WebP. */
export function sniffImageType(bytes: Uint8Array): TImageMediaType | null {
  const startsWith = (signature: number[], at = 0) => signature.every((byte, index) => bytes[at + index] === byte);
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF <size> WEBP
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

// Base64 as JSON carries it: the standard alphabet with padding, or a data: URL's payload after the comma.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The images checked and normalised for storage (data: base64 without a data: prefix). Throws 400/413/415. */
export function checkImages(images: TImageInput[]): TStoredImage[] {
  if (images.length > MAX_IMAGES) {
    throw new AppError('payload_too_large', `A message can carry at most ${MAX_IMAGES} images; this one has ${images.length}.`);
  }
  return images.map((image, index) => {
    const declared = image.mediaType.trim().toLowerCase();
    if (!(IMAGE_MEDIA_TYPES as readonly string[]).includes(declared)) {
      throw new AppError('unsupported_media_type', `images[${index}]: ${image.mediaType} is not accepted; send PNG, JPEG or WebP.`);
    }
    const data = image.data.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
    if (!BASE64.test(data) || data.length % 4 !== 0) throw new AppError('bad_request', `images[${index}].data: must be base64.`);
    // Counted before decoding: an over-large image is refused without holding its bytes twice.
    const decodedSize = (data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
    if (decodedSize > MAX_IMAGE_BYTES) {
      throw new AppError('payload_too_large', `images[${index}]: an image can be at most ${MAX_IMAGE_BYTES / (1024 * 1024)} MB; this one has ${(decodedSize / (1024 * 1024)).toFixed(1)} MB.`);
    }
    const sniffed = sniffImageType(Buffer.from(data.slice(0, 64), 'base64'));
    if (sniffed === null) throw new AppError('unsupported_media_type', `images[${index}]: the bytes are not a PNG, JPEG or WebP image.`);
    if (sniffed !== declared) throw new AppError('unsupported_media_type', `images[${index}]: declared ${declared}, but the bytes are ${sniffed}.`);
    return { mediaType: sniffed, data };
  });
}

/** The most of one screenshot's text a question carries: an error and its first lines, not a whole page. */
export const MAX_SCREENSHOT_TEXT_CHARS = 1000;

/**
 * The question with what its screenshots say: each image's text (OCR), on one line, bounded, as "[screenshot] …" after
 * what the reader typed. That line is the image wherever the image does not go. A question of images alone with
 * nothing read in them is SCREENSHOT_MARK. (Not "[screenshot: …]": a line opening "Word: …" reads as a report
 * template's field, which searches leave out — measured by scripts/eval-screenshots.ts.)
 */
export async function questionWithScreenshots({ ocr, text, images }: { ocr: TOcr | undefined; text: string; images: TStoredImage[] }): Promise<string> {
  const read = ocr ? await Promise.all(images.map((image) => ocr.read(Buffer.from(image.data, 'base64')))) : [];
  const standIns = read
    .map((found) => (found ?? '').replace(/\s+/g, ' ').trim())
    .filter((found) => found !== '')
    .map((found) => `${SCREENSHOT_MARK} ${found.length <= MAX_SCREENSHOT_TEXT_CHARS ? found : `${found.slice(0, MAX_SCREENSHOT_TEXT_CHARS).replace(/\s+\S*$/, '')}…`}`);
  const typed = text.trim();
  if (standIns.length === 0) return typed === '' ? SCREENSHOT_MARK : text;
  return typed === '' ? standIns.join('\n\n') : `${typed}\n\n${standIns.join('\n\n')}`;
}

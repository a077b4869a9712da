import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES, SCREENSHOT_MARK, type TImageMediaType, type TStoredImage } from '@/lib/shared/images';
import type { TUiText } from './ui-text';
import { apiFetch, messagesUrl, messageText, type TList, type TMessage } from './api';

// A screenshot the reader attaches (pasted, dropped or picked), made ready to send before it leaves the browser: its
// type and size checked against the message API's limits (lib/shared/images.ts) so that a refusal comes at once and
// in the reader's words, then drawn again on a canvas at the size OCR needs and re-encoded (which also drops what the
// file carried besides its pixels, such as a photo's location).

/** The longest side OCR needs: a screenshot's text stays legible at it, and a 4K screen's is halved. */
export const MAX_SCREENSHOT_SIDE = 2000;

/** Why an image was refused. */
export type TScreenshotRefusal = 'type' | 'size' | 'unreadable';

export type TPreparedScreenshot = { isAccepted: true; image: TStoredImage } | { isAccepted: false; refusal: TScreenshotRefusal };

/** The size an image is drawn at: its own, or scaled down so that its longest side is `maxSide`. */
export function fittedSize(width: number, height: number, maxSide = MAX_SCREENSHOT_SIDE): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export const isAcceptedImageType = (type: string): type is TImageMediaType => (IMAGE_MEDIA_TYPES as readonly string[]).includes(type);

/** The data: URL a prepared image is shown through (the site's CSP allows data: images). */
export const imageDataUrl = (image: TStoredImage) => `data:${image.mediaType};base64,${image.data}`;

function readAsBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}

function canvasBlob(canvas: HTMLCanvasElement, type: TImageMediaType, quality?: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/**
 * The image drawn at fittedSize and encoded as PNG (lossless: a screenshot's text stays sharp), or as JPEG when the
 * PNG is over the limit (a photo of a screen). Null where the browser cannot decode or draw it here.
 */
async function redraw(file: Blob): Promise<Blob | null> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return null;
  const bitmap = await createImageBitmap(file);
  try {
    const { width, height } = fittedSize(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return null;
    // A transparent PNG's background becomes white rather than black in a JPEG, and reads as a page does.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    const png = await canvasBlob(canvas, 'image/png');
    if (png && png.size <= MAX_IMAGE_BYTES) return png;
    return await canvasBlob(canvas, 'image/jpeg', 0.9);
  } finally {
    bitmap.close();
  }
}

/**
 * Checks and resizes one attached file. Another type than PNG, JPEG or WebP, or a file over MAX_IMAGE_BYTES, is refused
 * before it is read; an image the browser cannot decode is refused as unreadable. Where no canvas can draw it (an old
 * browser), the file is sent as it is: it is within the limits, and the server checks its bytes again.
 */
export async function prepareScreenshot(file: Blob): Promise<TPreparedScreenshot> {
  if (!isAcceptedImageType(file.type)) return { isAccepted: false, refusal: 'type' };
  if (file.size > MAX_IMAGE_BYTES) return { isAccepted: false, refusal: 'size' };
  let drawn: Blob | null;
  try {
    drawn = await redraw(file);
  } catch {
    return { isAccepted: false, refusal: 'unreadable' };
  }
  const sent = drawn ?? file;
  if (sent.size > MAX_IMAGE_BYTES) return { isAccepted: false, refusal: 'size' };
  const mediaType = sent.type;
  if (!isAcceptedImageType(mediaType)) return { isAccepted: false, refusal: 'unreadable' };
  try {
    return { isAccepted: true, image: { mediaType, data: await readAsBase64(sent) } };
  } catch {
    return { isAccepted: false, refusal: 'unreadable' };
  }
}

/**
 * Prepares each file in turn: `onAccepted` with each image taken, `onRefused` with why one was not, in the reader's
 * words (null once one is taken). Beyond MAX_IMAGES (counting `attached()`, read afresh for each file), it stops.
 */
export async function attachScreenshots({
  files,
  attached,
  t,
  onAccepted,
  onRefused,
}: {
  files: File[];
  attached(): TStoredImage[];
  t: TUiText;
  onAccepted(image: TStoredImage): void;
  onRefused(reason: string | null): void;
}): Promise<void> {
  const tooMany = () => t('composer.screenshotCount', { limit: String(MAX_IMAGES) });
  for (const file of files) {
    if (attached().length >= MAX_IMAGES) return onRefused(tooMany());
    const prepared = await prepareScreenshot(file);
    if (!prepared.isAccepted) {
      onRefused(
        prepared.refusal === 'type'
          ? t('composer.screenshotType')
          : prepared.refusal === 'size'
            ? t('composer.screenshotSize', { limit: String(MAX_IMAGE_BYTES / (1024 * 1024)) })
            : t('composer.screenshotUnreadable'),
      );
      continue;
    }
    if (attached().length >= MAX_IMAGES) return onRefused(tooMany());
    onRefused(null);
    onAccepted(prepared.image);
  }
}

/** The words read in the screenshots of a thread's first question (its "[screenshot]" marks left out), or ''. */
export async function screenshotWords(threadId: string): Promise<string> {
  const list = await apiFetch<TList<TMessage>>(messagesUrl(threadId));
  const question = list.data.find((message) => message.role === 'user');
  return messageText(question).split(SCREENSHOT_MARK).join(' ').replace(/\s+/g, ' ').trim();
}

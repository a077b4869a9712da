import type { TStoredImage } from '../shared/images';
import type { TInputItem } from './types';

// A question's screenshots on their way to a vision model (MODEL_VISION): as data URLs, and the fallback when the
// model refuses them. The text read in them is in the question's content either way, so a request without the images
// still carries what they say.

/** An image as both dialects take it inline: a data: URL of its base64. */
export function imageDataUrl(image: TStoredImage): string {
  return `data:${image.mediaType};base64,${image.data}`;
}

/** The input with no message carrying images. */
export function withoutImages(items: TInputItem[]): TInputItem[] {
  return items.map((item) => {
    if (item.type !== 'message' || !item.images) return item;
    const { images: _images, ...rest } = item;
    return rest;
  });
}

/**
 * Sends the input with its images when the model takes them (`isVision`), else without. A model that refuses a request
 * for its images (400 or 422: a text-only model behind a vision setting, an image it cannot read) is asked once more
 * without them, so that the reader gets an answer from the text read in the screenshots rather than a failed run.
 */
export async function sendWithImages<T>({ items, isVision, send }: { items: TInputItem[]; isVision: boolean; send: (items: TInputItem[]) => Promise<T> }): Promise<T> {
  const hasImages = items.some((item) => item.type === 'message' && (item.images?.length ?? 0) > 0);
  if (!hasImages) return send(items);
  if (!isVision) return send(withoutImages(items));
  try {
    return await send(items);
  } catch (error) {
    if (!isRequestRefused(error)) throw error;
    return send(withoutImages(items));
  }
}

/** The SDK's BadRequestError / UnprocessableEntityError, known by their status (any bundle's copy of the SDK). */
function isRequestRefused(error: unknown): boolean {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return status === 400 || status === 422;
}

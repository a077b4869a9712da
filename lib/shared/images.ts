// Screenshots (issue 71 item 3): images a reader sends with a question (the message API's `images`). Each is kept
// with its question, in the message's metadata under IMAGES_METADATA_KEY as [{mediaType, data}] (data: base64 of the
// bytes as sent), so that the message's retention and deletion are the image's too.

/** The image types a question may carry, checked against the bytes themselves (lib/assistant/images.ts). */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type TImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** The largest image a question carries, decoded (413 beyond it). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** The most images one question carries (413 beyond it). */
export const MAX_IMAGES = 3;

/**
 * What a screenshot is in a question's text (lib/assistant/images.ts): alone, an image in which nothing was read; before
 * the text read in it, that text's start. Searches leave it out (lib/privacy/mask.ts PII_MASK_PATTERN).
 */
export const SCREENSHOT_MARK = '[screenshot]';

/** The message metadata key a question's images are kept under. */
export const IMAGES_METADATA_KEY = 'images';

/** An image as it is sent and stored. */
export type TStoredImage = { mediaType: TImageMediaType; data: string };

/**
 * The message route's body limit: MAX_IMAGES images at MAX_IMAGE_BYTES, base64 (4 bytes for every 3), and room for
 * the rest of the body. Other routes keep MAX_BODY_BYTES.
 */
export const MAX_MESSAGE_BODY_BYTES = Math.ceil((MAX_IMAGES * MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;

const isImageEntry = (value: unknown): value is { mediaType: TImageMediaType } =>
  typeof value === 'object' && value !== null && (IMAGE_MEDIA_TYPES as readonly unknown[]).includes((value as { mediaType?: unknown }).mediaType);

/** The images a stored message carries, with their bytes, or [] (metadata from the database is read field by field). */
export function readImages(metadata: Record<string, unknown> | null | undefined): TStoredImage[] {
  const value = metadata?.[IMAGES_METADATA_KEY];
  if (!Array.isArray(value)) return [];
  return value.flatMap((image: unknown): TStoredImage[] => {
    const data = isImageEntry(image) ? (image as { data?: unknown }).data : undefined;
    return isImageEntry(image) && typeof data === 'string' && data !== '' ? [{ mediaType: image.mediaType, data }] : [];
  });
}

/**
 * What readers' APIs carry of a message's images (readerMetadata, lib/shared/messages.ts): their types, one per image,
 * without their bytes, so that a thread's messages stay small on every poll. The reader who owns the thread fetches
 * the images themselves once (GET /api/paste-assistant-messages/{thread}/{message}/images).
 */
export type TImageMarker = { mediaType: TImageMediaType };

/** The images a message's metadata holds (stored or as markers), as markers; none when it holds none. */
export function imageMarkersOf(metadata: Record<string, unknown> | null | undefined): TImageMarker[] {
  const images = metadata?.[IMAGES_METADATA_KEY];
  return Array.isArray(images) ? images.filter(isImageEntry).map((image) => ({ mediaType: image.mediaType })) : [];
}

import useSWRImmutable from 'swr/immutable';
import { Box } from '@twilio-paste/core/box';
import type { TStoredImage } from '@/lib/shared/images';
import { fetcher, messageImagesUrl } from './api';
import { imageDataUrl } from './screenshot';
import { useUiText } from './ui-text';

// The screenshots a reader sent with a question, as thumbnails in their message: while it is being sent, the images
// as attached; once stored, fetched once from the question's images route (the thread's messages carry only their
// types, lib/shared/messages.ts readerMetadata), and never again: a stored question's images do not change.

const THUMBNAIL_MAX_HEIGHT = 'size20';

function Thumbnails({ images }: { images: TStoredImage[] }) {
  const t = useUiText();
  return (
    <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space30" marginBottom="space30" data-testid="message-screenshots">
      {images.map((image, index) => (
        <Box
          as="img"
          key={index}
          src={imageDataUrl(image)}
          alt={t('message.screenshotAlt', { number: String(index + 1) })}
          maxHeight={THUMBNAIL_MAX_HEIGHT}
          maxWidth="100%"
          borderRadius="borderRadius20"
          display="block"
        />
      ))}
    </Box>
  );
}

function StoredScreenshots({ threadId, messageId }: { threadId: string; messageId: string }) {
  const { data } = useSWRImmutable<{ data: TStoredImage[] }>(messageImagesUrl(threadId, messageId), fetcher);
  return data && data.data.length > 0 ? <Thumbnails images={data.data} /> : null;
}

/** `images`: the ones being sent; `stored`: a stored question's, fetched when it has any (`count`). */
export function MessageScreenshots({ images, stored }: { images?: TStoredImage[]; stored?: { threadId: string; messageId: string; count: number } }) {
  if (images && images.length > 0) return <Thumbnails images={images} />;
  if (stored && stored.count > 0) return <StoredScreenshots threadId={stored.threadId} messageId={stored.messageId} />;
  return null;
}

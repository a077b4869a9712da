import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { CloseIcon } from '@twilio-paste/icons/cjs/CloseIcon';
import type { TStoredImage } from '@/lib/shared/images';
import { imageDataUrl } from './screenshot';
import { useUiText } from './ui-text';

// The screenshots attached to the next message, under the composer: a thumbnail each with a "Remove screenshot" button.

export function ComposerScreenshots({ images, onRemove }: { images: TStoredImage[]; onRemove(index: number): void }) {
  const t = useUiText();
  return (
    <>
      {images.length > 0 ? (
        <Box as="ul" display="flex" flexWrap="wrap" columnGap="space30" rowGap="space30" margin="space0" padding="space0" listStyleType="none" data-testid="composer-screenshots">
          {images.map((image, index) => {
            const number = String(index + 1);
            return (
              // The image's data is its identity: the same screenshot attached twice is one row each, told apart by place.
              <Box as="li" key={`${index}:${image.data.length}`} display="flex" alignItems="flex-start" columnGap="space10">
                <Box
                  as="img"
                  src={imageDataUrl(image)}
                  alt={t('composer.screenshotAlt', { number })}
                  maxHeight="size10"
                  maxWidth="size20"
                  borderRadius="borderRadius20"
                  borderStyle="solid"
                  borderWidth="borderWidth10"
                  borderColor="colorBorderWeak"
                  display="block"
                />
                <Button variant="secondary_icon" size="reset" onClick={() => onRemove(index)}>
                  <CloseIcon decorative={false} title={t('composer.removeScreenshot', { number })} size="sizeIcon10" />
                </Button>
              </Box>
            );
          })}
        </Box>
      ) : null}
    </>
  );
}

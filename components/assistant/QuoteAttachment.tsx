import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import { CloseIcon } from '@twilio-paste/icons/cjs/CloseIcon';
import { useUiText } from './ui-text';

// The passage the reader's next question is about ("Ask about this"), shown above the composer of the side panel and
// the embed: where it is from, its first lines, and a button that removes it. Sent with the next question only.

export function QuoteAttachment({ text, title, onRemove }: { text: string; title: string; onRemove(): void }) {
  const t = useUiText();
  return (
    <Box display="flex" flexDirection="column" rowGap="space20" data-testid="quote-context">
      <Box display="flex" alignItems="center" columnGap="space20">
        <Text as="span" fontSize="fontSize20" color="colorTextWeak">
          {t('panel.askingAboutQuote', { title })}
        </Text>
        <Button variant="secondary_icon" size="reset" onClick={onRemove}>
          <CloseIcon decorative={false} title={t('panel.removeQuote', { title })} size="sizeIcon10" />
        </Button>
      </Box>
      <Box
        as="blockquote"
        margin="space0"
        paddingLeft="space30"
        borderLeftStyle="solid"
        borderLeftWidth="borderWidth20"
        borderLeftColor="colorBorderWeak"
        color="colorTextWeak"
        fontSize="fontSize20"
        lineHeight="lineHeight20"
        whiteSpace="pre-wrap"
        overflow="hidden"
        maxHeight="size10"
        wordBreak="break-word"
      >
        {text}
      </Box>
    </Box>
  );
}

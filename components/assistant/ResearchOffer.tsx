import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { SearchIcon } from '@twilio-paste/icons/cjs/SearchIcon';
import { useUiText } from './ui-text';

// The offer's button (research-offer-question.ts says when it shows); loaded when it first does.

export function ResearchOffer({ onResearch, isDisabled }: { onResearch(): void; isDisabled: boolean }) {
  const t = useUiText();
  return (
    <Box marginTop="space40" data-testid="research-offer">
      <Button variant="secondary" size="small" onClick={onResearch} disabled={isDisabled}>
        <SearchIcon decorative />
        {t('research.offer')}
      </Button>
    </Box>
  );
}

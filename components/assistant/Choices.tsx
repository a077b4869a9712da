import { useId } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import type { TChoice } from '@/lib/shared/choices';
import { useUiText } from './ui-text';

// Clarifying choices (issue 71 item 4) under the latest answer: one button per page the question may be about; a tap
// asks again naming it. Shown only under the conversation's last complete answer, so the next question (a choice
// taken, or one typed) takes them away.

export function Choices({ choices, onAsk, isDisabled }: { choices: TChoice[]; onAsk(question: string): void; isDisabled: boolean }) {
  const labelId = useId();
  const t = useUiText();
  if (choices.length === 0) return null;
  return (
    <Box marginTop="space50" whiteSpace="normal" data-choices="">
      <Text as="p" id={labelId} fontSize="fontSize20" fontWeight="fontWeightSemibold" marginBottom="space20">
        {t('answer.choices')}
      </Text>
      <Box role="group" aria-labelledby={labelId} display="flex" flexWrap="wrap" columnGap="space30" rowGap="space30">
        {choices.map((choice) => (
          <Button key={choice.label} variant="secondary" size="small" disabled={isDisabled} aria-label={t('answer.choiceLabel', { label: choice.label })} onClick={() => onAsk(choice.question)}>
            {choice.label}
          </Button>
        ))}
      </Box>
    </Box>
  );
}

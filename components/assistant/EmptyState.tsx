import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';

// What a reader sees before the first question: what the assistant does, questions these docs answer, and
// where their messages go.

export const SUGGESTED_QUESTIONS = [
  'How do I configure Slack?',
  'How do I connect an AI model?',
  'How do I run the tests?',
];

export function EmptyState({ onAsk, isDisabled }: { onAsk(question: string): void; isDisabled: boolean }) {
  return (
    <Box display="flex" flexDirection="column" rowGap="space50" paddingY="space60">
      <Box display="flex" alignItems="center" columnGap="space30">
        <ArtificialIntelligenceIcon decorative size="sizeIcon40" color="colorTextIcon" />
        <Heading as="h2" variant="heading40" marginBottom="space0">
          Ask the docs
        </Heading>
      </Box>
      <Text as="p" fontSize="fontSize30" lineHeight="lineHeight30">
        I answer questions about Paste Assistant from its documentation: installing it, configuring it, its API and
        its integrations. Every answer links to the sections it comes from, so you can read more.
      </Text>
      <Box>
        <Text as="p" fontSize="fontSize30" fontWeight="fontWeightSemibold" marginBottom="space30">
          Try asking
        </Text>
        <Box as="ul" margin="space0" padding="space0" listStyleType="none" display="flex" flexDirection="column" rowGap="space30">
          {SUGGESTED_QUESTIONS.map((question) => (
            <Box as="li" key={question}>
              <Button variant="secondary" size="rounded_small" onClick={() => onAsk(question)} disabled={isDisabled}>
                {question}
              </Button>
            </Box>
          ))}
        </Box>
      </Box>
      <Text as="p" fontSize="fontSize20" lineHeight="lineHeight20" color="colorTextWeak">
        <Text as="strong" fontSize="fontSize20" fontWeight="fontWeightSemibold" color="colorTextWeak">
          Privacy:
        </Text>{' '}
        your messages are stored and shared with the maintainers in Slack, so they can improve these docs. When an AI
        model is configured, they are also sent to its provider. Please don&apos;t include passwords, keys or personal
        data.
      </Text>
    </Box>
  );
}

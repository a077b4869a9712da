import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';
import type { TResearchStep } from '@/lib/shared/research-steps';
import { useUiText, type TUiText } from './ui-text';

// A research run's steps as they happen (issue 71): what it searched and how many results, what it read, shown above
// the answer while the run works (the panel, /assistant and the embed share it through ConversationLog). The steps come
// with the run the conversation follows (its event stream, else its polling: `research_steps` on the run object).
// Queries and titles are plain text.

export function ResearchSteps({ steps }: { steps: TResearchStep[] }) {
  const t = useUiText();
  return (
    <Box as="section" aria-label={t('research.label')} data-testid="research-steps" marginBottom="space40" paddingLeft="space50">
      <Box as="ol" margin="space0" paddingLeft="space40" fontSize="fontSize20" color="colorTextWeak">
        {steps.length === 0 ? (
          <Box as="li" data-research-step="planning">
            <Text as="span" fontSize="fontSize20" color="colorTextWeak">
              {t('research.planning')}
            </Text>
          </Box>
        ) : (
          steps.map((step, index) => (
            <Box as="li" key={index} data-research-step={step.kind} marginBottom="space20" wordBreak="break-word">
              <Text as="span" fontSize="fontSize20" color="colorTextWeak">
                {stepText(t, step)}
              </Text>
            </Box>
          ))
        )}
      </Box>
    </Box>
  );
}

function stepText(t: TUiText, step: TResearchStep): string {
  if (step.kind === 'search') {
    if (step.results === null) return t('research.searching', { query: step.query });
    return t(step.results === 1 ? 'research.searchedOne' : 'research.searched', { query: step.query, count: String(step.results) });
  }
  if (step.sections === null) return t('research.reading', { title: step.title });
  return t(step.sections === 1 ? 'research.readOne' : 'research.read', { title: step.title, count: String(step.sections) });
}

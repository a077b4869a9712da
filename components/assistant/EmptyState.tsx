import useSWR from 'swr';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { SkeletonLoader } from '@twilio-paste/core/skeleton-loader';
import { Text } from '@twilio-paste/core/text';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';
import { describeMessageDestinations, type TAssistantIntroView } from '@/lib/shared/site';
import { fetcher } from './api';
import { useUiText } from './ui-text';

// What a reader sees before the first question: what the assistant does, questions these docs answer, and
// where their messages go. The introduction and the questions are the site's own (site.config.json or the
// docs index page's front matter, served by GET /api/assistant-intro), never this project's words.

export const ASSISTANT_INTRO_URL = '/api/assistant-intro';

/** The site's introduction, fetched once and shared by every component that shows part of it. */
export function useAssistantIntro() {
  return useSWR<{ data: TAssistantIntroView }>(ASSISTANT_INTRO_URL, fetcher, { revalidateOnFocus: false });
}

/** The panel's name: the site's own (ASSISTANT_NAME, site.config.json), else `fallback`. */
export function useAssistantName(fallback: string): string {
  return useAssistantIntro().data?.data.assistantName ?? fallback;
}

export function EmptyState({ onAsk, isDisabled }: { onAsk(question: string): void; isDisabled: boolean }) {
  const { data, error, isLoading } = useAssistantIntro();
  const intro = data?.data;
  const questions = intro?.questions ?? [];
  const t = useUiText();
  return (
    <Box display="flex" flexDirection="column" rowGap="space50" paddingY="space60">
      <Box display="flex" alignItems="center" columnGap="space30">
        <ArtificialIntelligenceIcon decorative size="sizeIcon40" color="colorTextIcon" />
        <Heading as="h2" variant="heading40" marginBottom="space0">
          {intro?.assistantName ? t('intro.askName', { name: intro.assistantName }) : t('intro.askTheDocs')}
        </Heading>
      </Box>
      {isLoading && !error ? (
        <Box aria-hidden="true">
          <SkeletonLoader height="40px" />
        </Box>
      ) : (
        <Text as="p" fontSize="fontSize30" lineHeight="lineHeight30">
          {intro?.intro ?? t('intro.generic')}
        </Text>
      )}
      {questions.length > 0 ? (
        <Box>
          <Text as="p" fontSize="fontSize30" fontWeight="fontWeightSemibold" marginBottom="space30">
            {t('intro.tryAsking')}
          </Text>
          <Box as="ul" margin="space0" padding="space0" listStyleType="none" display="flex" flexDirection="column" rowGap="space30">
            {questions.map((question) => (
              <Box as="li" key={question}>
                <Button variant="secondary" size="rounded_small" onClick={() => onAsk(question)} disabled={isDisabled}>
                  {question}
                </Button>
              </Box>
            ))}
          </Box>
        </Box>
      ) : null}
      <Text as="p" fontSize="fontSize20" lineHeight="lineHeight20" color="colorTextWeak">
        <Text as="strong" fontSize="fontSize20" fontWeight="fontWeightSemibold" color="colorTextWeak">
          {t('intro.privacy')}
        </Text>{' '}
        {intro
          ? describeMessageDestinations(intro.destinations, t)
          : t('intro.privacyDefault')}
      </Text>
    </Box>
  );
}

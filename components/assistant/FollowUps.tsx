import { useId } from 'react';
import useSWR from 'swr';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import { apiFetch } from './api';

// What to ask next, under the latest answer: questions about the docs sections next to the ones it cited
// (POST /api/docs-follow-ups). Nothing is shown while they load, when there are none, or when the request fails.

type TFollowUp = { question: string; url: string };

const fetchFollowUps = ([, sources]: readonly [string, string[]]) =>
  apiFetch<{ data: TFollowUp[] }>('/api/docs-follow-ups', { method: 'POST', body: { sources } }).then((payload) => payload.data);

export function FollowUps({ sources, onAsk, isDisabled }: { sources: string[]; onAsk(question: string): void; isDisabled: boolean }) {
  const labelId = useId();
  const docsSources = sources.filter((url) => url.startsWith('/docs')).slice(0, 5);
  const { data } = useSWR(docsSources.length > 0 ? (['follow-ups', docsSources] as const) : null, fetchFollowUps, {
    revalidateOnFocus: false,
    // A failure here is not worth a toast: the suggestions are optional.
    onError: () => {},
    shouldRetryOnError: false,
  });
  if (!data || data.length === 0) return null;
  return (
    <Box marginTop="space50" whiteSpace="normal">
      <Text as="p" id={labelId} fontSize="fontSize20" fontWeight="fontWeightSemibold" marginBottom="space20">
        Related questions
      </Text>
      <Box as="ul" aria-labelledby={labelId} margin="space0" padding="space0" listStyleType="none" display="flex" flexDirection="column" rowGap="space20">
        {data.map((followUp) => (
          <Box as="li" key={followUp.url}>
            <Button variant="link" size="reset" disabled={isDisabled} onClick={() => onAsk(followUp.question)}>
              {followUp.question}
            </Button>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

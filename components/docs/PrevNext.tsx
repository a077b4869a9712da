import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';
import type { TDocPageLink } from '@/lib/shared/docs';

type TLink = Pick<TDocPageLink, 'href' | 'title'>;

export function PrevNext({ prev, next }: { prev: TLink | null; next: TLink | null }) {
  if (!prev && !next) return null;
  return (
    <Box as="nav" aria-label="Previous and next pages" display="flex" justifyContent="space-between" columnGap="space70" marginTop="space120" paddingTop="space70" borderTopStyle="solid" borderTopWidth="borderWidth10" borderTopColor="colorBorderWeak">
      <Box>
        {prev ? (
          <>
            <Text as="div" fontSize="fontSize20" color="colorTextWeak">
              Previous
            </Text>
            <Anchor href={prev.href} rel="prev">
              ← {prev.title}
            </Anchor>
          </>
        ) : null}
      </Box>
      <Box textAlign="right">
        {next ? (
          <>
            <Text as="div" fontSize="fontSize20" color="colorTextWeak">
              Next
            </Text>
            <Anchor href={next.href} rel="next">
              {next.title} →
            </Anchor>
          </>
        ) : null}
      </Box>
    </Box>
  );
}

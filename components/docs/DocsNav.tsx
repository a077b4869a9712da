import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';
import type { TNavGroup } from '@/lib/shared/docs';

/** The sidebar: the docs pages grouped by section, the current one marked. */
export function DocsNav({ groups, currentHref }: { groups: TNavGroup[]; currentHref: string }) {
  return (
    <Box as="nav" aria-label="Documentation">
      {groups.map((group) => (
        <Box key={group.label} marginBottom="space70">
          <Text as="h2" fontSize="fontSize20" fontWeight="fontWeightSemibold" color="colorTextWeak" textTransform="uppercase" letterSpacing="wider" marginBottom="space30">
            {group.label}
          </Text>
          <Box as="ul" margin="space0" padding="space0" listStyleType="none">
            {group.pages.map((page) => {
              const isCurrent = page.href === currentHref;
              return (
                <Box as="li" key={page.href} marginBottom="space20">
                  <Box
                    borderLeftStyle="solid"
                    borderLeftWidth="borderWidth20"
                    borderLeftColor={isCurrent ? 'colorBorderPrimary' : 'colorBorderWeaker'}
                    paddingLeft="space40"
                    paddingY="space10"
                    fontWeight={isCurrent ? 'fontWeightSemibold' : 'fontWeightNormal'}
                  >
                    <Anchor href={page.href} aria-current={isCurrent ? 'page' : undefined}>
                      {page.title}
                    </Anchor>
                  </Box>
                </Box>
              );
            })}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

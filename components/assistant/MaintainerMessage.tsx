import { AIChatMessage, AIChatMessageBody } from '@twilio-paste/core/ai-chat-log';
import { Avatar } from '@twilio-paste/core/avatar';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { UserIcon } from '@twilio-paste/icons/cjs/UserIcon';
import { maintainerName } from '@/lib/shared/messages';
import type { TMessage } from './api';
import { Markdown } from './LazyMarkdown';
import { useUiText } from './ui-text';

// Its own file, loaded when a conversation first shows a maintainer's reply (Conversation.tsx): most conversations
// have none, and Paste's Avatar stays out of /assistant's first load.

/**
 * A maintainer's reply: a person, not the assistant, so it says who and is set apart (a labelled bubble with a
 * border in the brand colour). Its links go through the same link policy as answers.
 */
export function MaintainerMessage({ message }: { message: TMessage }) {
  const name = maintainerName(message);
  const t = useUiText();
  // Readers' APIs say only that a maintainer wrote it (readerMetadata): then there is no name to put before "a maintainer".
  const hasName = typeof message.metadata?.author_name === 'string' && message.metadata.author_name.trim() !== '';
  return (
    <AIChatMessage variant="bot">
      {/* Paste's bot author always shows the AI avatar: a person gets a person's avatar, in the same layout. */}
      <Box aria-label={hasName ? t('log.maintainerReplied', { name }) : t('log.maintainerRepliedUnnamed')} display="flex" alignItems="center" columnGap="space40" fontWeight="fontWeightSemibold" fontSize="fontSize20" color="colorTextWeak">
        <Avatar name={name} size="sizeIcon30" color="decorative30" icon={UserIcon} />
        {name}
      </Box>
      <AIChatMessageBody>
        <Box marginBottom="space20">
          <Badge as="span" variant="new">
            Maintainer reply
          </Badge>
        </Box>
        <Box
          data-testid="maintainer-reply"
          borderLeftStyle="solid"
          borderLeftWidth="borderWidth30"
          borderLeftColor="colorBorderPrimary"
          backgroundColor="colorBackgroundPrimaryWeakest"
          borderRadius="borderRadius20"
          paddingX="space40"
          paddingY="space30"
        >
          {message.content.map((part, index) => (
            <Markdown key={index} text={part.text.value} />
          ))}
        </Box>
      </AIChatMessageBody>
    </AIChatMessage>
  );
}


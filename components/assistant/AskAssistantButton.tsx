import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';
import { preloadAssistantPanel, useAssistantPanel } from './panel-context';
import { PANEL_ID } from './panel-layout';

/**
 * The "Ask the assistant" button of the docs header: opens and closes the side panel (also Ctrl/Cmd+I). Pointing
 * at it or focusing it starts loading the panel's code, so it is usually there by the time of the click. On
 * phones it shows only its icon.
 */
export function AskAssistantButton() {
  const panel = useAssistantPanel();
  const preload = () => void preloadAssistantPanel().catch(() => {});
  return (
    <Button
      variant="secondary"
      size="small"
      onClick={panel.toggle}
      onPointerEnter={preload}
      onFocus={preload}
      aria-label="Ask the assistant"
      aria-expanded={panel.isOpen}
      aria-controls={panel.isOpen ? PANEL_ID : undefined}
      aria-keyshortcuts="Control+I Meta+I"
    >
      <ArtificialIntelligenceIcon decorative />
      <Box as="span" display={['none', 'inline']}>
        Ask the assistant
      </Box>
    </Button>
  );
}

import { Button } from '@twilio-paste/core/button';
import { useAssistantPanel } from './panel-context';

/** The "Ask the assistant" button of the docs header: opens and closes the side panel (also Ctrl/Cmd+I). */
export function AskAssistantButton() {
  const panel = useAssistantPanel();
  return (
    <Button variant="secondary" size="small" onClick={panel.toggle} aria-expanded={panel.isOpen} aria-keyshortcuts="Control+I Meta+I">
      Ask the assistant
    </Button>
  );
}

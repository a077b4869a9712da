import { Icon } from '@/components/site/Icon';
import { ArtificialIntelligenceIcon } from '@/components/site/paste-icons/ArtificialIntelligenceIcon';
import { preloadAssistantPanel, useAssistantPanel } from './panel-context';
import { PANEL_ID } from './panel-layout';
import { useAskLabel } from './ask-label';

/**
 * The "Ask the assistant" button of the docs header: opens and closes the side panel (also Ctrl/Cmd+I). Pointing
 * at it or focusing it starts loading the panel's code, so it is usually there by the time of the click. On
 * phones it shows only its icon. Plain HTML in Paste's look (styles/site.css): the header carries no Paste code.
 * Its label follows the browser's language (components/assistant/ask-label.ts).
 */
export function AskAssistantButton() {
  const panel = useAssistantPanel();
  const label = useAskLabel();
  const preload = () => void preloadAssistantPanel().catch(() => {});
  return (
    <button
      type="button"
      className="button button-secondary button-small"
      onClick={panel.toggle}
      onPointerEnter={preload}
      onFocus={preload}
      aria-label={label}
      aria-expanded={panel.isOpen}
      aria-controls={panel.isOpen ? PANEL_ID : undefined}
      aria-keyshortcuts="Control+I Meta+I"
    >
      <Icon icon={ArtificialIntelligenceIcon} />
      <span className="ask-label">{label}</span>
    </button>
  );
}

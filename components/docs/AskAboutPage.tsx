import { useEffect, useState, type RefObject } from 'react';
import { preloadAssistantPanel, useAssistantPanel } from '@/components/assistant/panel-context';
import { Icon } from '@/components/site/Icon';
import { ArtificialIntelligenceIcon } from '@/components/site/paste-icons/ArtificialIntelligenceIcon';

// Two ways into the assistant from a docs page, both of which tell it which page the question is about (its
// search then leans towards that page): "Ask about this page" opens the panel with the page attached to the
// reader's next questions; selecting text in the page offers "Ask about this", which asks about the passage.

const MAX_SELECTION_CHARS = 500;
const MIN_SELECTION_CHARS = 3;

const preload = () => void preloadAssistantPanel().catch(() => {});

export function AskAboutPageButton({ href, title }: { href: string; title: string }) {
  const panel = useAssistantPanel();
  return (
    <button type="button" className="button button-secondary button-small" onClick={() => panel.setPageContext({ href, title })} onPointerEnter={preload} onFocus={preload}>
      <Icon icon={ArtificialIntelligenceIcon} />
      Ask about this page
    </button>
  );
}

type TSelection = { text: string; top: number; left: number };

/** Offers "Ask about this" beside a text selection made inside `containerRef`. */
export function AskAboutSelection({ containerRef, href, title }: { containerRef: RefObject<HTMLElement | null>; href: string; title: string }) {
  const panel = useAssistantPanel();
  const [selection, setSelection] = useState<TSelection | null>(null);
  useEffect(() => {
    const read = () => {
      const current = window.getSelection();
      const container = containerRef.current;
      const text = current?.toString().replace(/\s+/g, ' ').trim() ?? '';
      if (!current || current.rangeCount === 0 || !container || text.length < MIN_SELECTION_CHARS) return setSelection(null);
      const range = current.getRangeAt(0);
      if (!container.contains(range.commonAncestorContainer)) return setSelection(null);
      const rect = range.getBoundingClientRect();
      setSelection({ text: text.slice(0, MAX_SELECTION_CHARS), top: rect.bottom + 8, left: Math.max(8, Math.min(rect.left, window.innerWidth - 180)) });
    };
    // After the pointer or keyboard finishes a selection, not at every change while dragging.
    const onUp = () => setTimeout(read, 0);
    const onChange = () => {
      if ((window.getSelection()?.toString() ?? '') === '') setSelection(null);
    };
    const onScroll = () => setSelection(null);
    document.addEventListener('pointerup', onUp);
    document.addEventListener('keyup', onUp);
    document.addEventListener('selectionchange', onChange);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      document.removeEventListener('pointerup', onUp);
      document.removeEventListener('keyup', onUp);
      document.removeEventListener('selectionchange', onChange);
      window.removeEventListener('scroll', onScroll);
    };
  }, [containerRef]);

  if (!selection) return null;
  return (
    <div className="ask-selection" style={{ top: selection.top, left: selection.left }}>
      <button
        type="button"
        className="button button-primary button-small"
        onPointerDown={(event) => event.preventDefault()}
        onPointerEnter={preload}
        onClick={() => {
          panel.ask(`Explain this passage from “${title}”: “${selection.text}”`, { href, title });
          setSelection(null);
        }}
      >
        <Icon icon={ArtificialIntelligenceIcon} />
        Ask about this
      </button>
    </div>
  );
}

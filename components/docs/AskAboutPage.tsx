import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { preloadAssistantPanel, useAssistantPanel, type TAskQuote } from '@/components/assistant/panel-context';
import { boundQuote } from '@/lib/shared/quote';
import { Icon } from '@/components/site/Icon';
import { ArtificialIntelligenceIcon } from '@/components/site/paste-icons/ArtificialIntelligenceIcon';

// Two ways into the assistant from a docs page, both of which tell it which page the question is about (its
// search then leans towards that page): "Ask about this page" opens the panel with the page attached to the
// reader's next questions; selecting text in the page, or a code block's button, offers "Ask about this", which
// attaches the passage (bounded, lib/shared/quote.ts) to the next question, as what it is about.

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

/** The page-relative data the quote carries: the docs page it is on and its title. */
type TQuotePage = { href: string; title: string };

/** The selection's text, when it is inside `container` and long enough to ask about; else null. */
function selectedText(container: HTMLElement | null): { text: string; rect: DOMRect } | null {
  const current = window.getSelection();
  if (!current || current.rangeCount === 0 || current.isCollapsed || !container) return null;
  const range = current.getRangeAt(0);
  if (!container.contains(range.commonAncestorContainer)) return null;
  const text = boundQuote(current.toString());
  if (text.replace(/\s+/g, '').length < MIN_SELECTION_CHARS) return null;
  return { text, rect: range.getBoundingClientRect() };
}

/**
 * Offers "Ask about this" beside a text selection made inside `containerRef` (nothing while nothing is selected), and
 * makes the code blocks' "Ask about this" buttons in it work. Either attaches the passage to the panel's next question
 * (lib/shared/quote.ts): the reader types the question, or sends none to have it explained.
 *
 * Keyboard: a selection made with the keys (Shift+arrows) shows the button too, and Tab then moves to it (it is
 * announced, with how to reach it); Escape dismisses it.
 */
export function AskAboutSelection({ containerRef, href, title }: { containerRef: RefObject<HTMLElement | null>; href: string; title: string }) {
  const panel = useAssistantPanel();
  const [selection, setSelection] = useState<TSelection | null>(null);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const page = useMemo<TQuotePage>(() => ({ href, title }), [href, title]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      const found = selectedText(containerRef.current);
      if (!found) return setSelection(null);
      const { rect } = found;
      setSelection({ text: found.text, top: rect.bottom + 8, left: Math.max(8, Math.min(rect.left, window.innerWidth - 180)) });
    };
    // Once a selection settles: after the pointer or a key is released, or a moment after it last changed (a phone's
    // selection handles send no pointerup to the page), not at every change while dragging.
    const onUp = (event: Event) => {
      if (event.target instanceof Node && buttonRef.current?.contains(event.target)) return;
      // Typing (in the panel's composer, the search box) selects nothing on the page.
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      clearTimeout(timer);
      timer = setTimeout(read, 0);
    };
    const onChange = () => {
      clearTimeout(timer);
      if (window.getSelection()?.isCollapsed ?? true) return setSelection(null);
      timer = setTimeout(read, 400);
    };
    const onScroll = () => setSelection(null);
    // Tab from a selection made with the keys goes to the button, which comes after the whole page in the DOM.
    const onKeyDown = (event: KeyboardEvent) => {
      // The button is in the page only while a selection can be asked about.
      const button = buttonRef.current;
      if (!button) return;
      if (event.key === 'Escape') return setSelection(null);
      if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || document.activeElement === button) return;
      const active = document.activeElement;
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
      event.preventDefault();
      button.focus();
    };
    document.addEventListener('pointerup', onUp);
    document.addEventListener('keyup', onUp);
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('selectionchange', onChange);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerup', onUp);
      document.removeEventListener('keyup', onUp);
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('selectionchange', onChange);
      window.removeEventListener('scroll', onScroll);
    };
  }, [containerRef]);

  useCodeAskButtons(containerRef, page, panel.setQuote);

  return (
    <>
      {/* Said once the button shows (a screen reader does not see a button appear elsewhere in the page). */}
      <div className="visually-hidden" role="status" aria-live="polite">
        {selection ? 'Ask about this: press Tab, then Enter, to ask the assistant about the selected text.' : ''}
      </div>
      {selection ? (
        <div className="ask-selection" style={{ top: selection.top, left: selection.left }}>
          <button
            ref={buttonRef}
            type="button"
            className="button button-primary button-small"
            onPointerDown={(event) => event.preventDefault()}
            onPointerEnter={preload}
            onFocus={preload}
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              setSelection(null);
              window.getSelection()?.removeAllRanges();
            }}
            onClick={() => {
              panel.setQuote({ ...page, text: selection.text });
              setSelection(null);
              // Attached: the page's selection has done its work, and would offer the button again at the next keyup.
              window.getSelection()?.removeAllRanges();
            }}
          >
            <Icon icon={ArtificialIntelligenceIcon} />
            Ask about this
          </button>
        </div>
      ) : null}
    </>
  );
}

/**
 * The code blocks' "Ask about this" buttons inside `containerRef` (components/docs/CodeBlock.tsx renders them hidden:
 * without this page's script they would do nothing): shown, and a click attaches the block's code to the next question.
 */
function useCodeAskButtons(containerRef: RefObject<HTMLElement | null>, page: TQuotePage, setQuote: (quote: TAskQuote) => void) {
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    for (const button of container.querySelectorAll<HTMLButtonElement>('[data-code-ask]')) button.hidden = false;
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest?.<HTMLElement>('[data-code-ask]');
      if (!button || !container.contains(button)) return;
      const code = button.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
      if (code.trim() !== '') setQuote({ ...page, text: boundQuote(code) });
    };
    container.addEventListener('click', onClick);
    container.addEventListener('pointerenter', preloadOnAsk, true);
    container.addEventListener('focusin', preloadOnAsk);
    return () => {
      container.removeEventListener('click', onClick);
      container.removeEventListener('pointerenter', preloadOnAsk, true);
      container.removeEventListener('focusin', preloadOnAsk);
    };
  }, [containerRef, page, setQuote]);
}

function preloadOnAsk(event: Event) {
  if ((event.target as Element | null)?.closest?.('[data-code-ask]')) preload();
}

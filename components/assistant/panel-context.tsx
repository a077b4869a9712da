import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

// Whether the assistant's side panel is open, and what it was asked to ask. Lives in _app so that the panel
// (and its thread) survive navigation between docs pages. Ctrl/Cmd+I toggles it anywhere.
//
// This module is in every page's first load: it holds no assistant code. The panel itself (chat, composer,
// Markdown) is a separate chunk, fetched on the first opening, or earlier when the reader shows intent
// (pointer over / focus on an "Ask" button): `preloadAssistantPanel`.

/** The docs page a question is about: the assistant's search leans towards it. */
export type TAskContext = { href: string; title: string };
/**
 * A passage or code block the reader asks about ("Ask about this"): its text (bounded, lib/shared/quote.ts) and the
 * docs page it is on. Attached to the reader's next question only, as context for it.
 */
export type TAskQuote = TAskContext & { text: string };
/** A question to send as soon as the panel is ready (from search, `?ask=`, "Ask about this page"). */
export type TAskRequest = { id: number; question: string; context: TAskContext | null };

type TAssistantPanel = {
  isOpen: boolean;
  /** The panel was opened (or asked for) at least once on this page: its code is loaded and it stays mounted. */
  hasOpened: boolean;
  open(): void;
  close(): void;
  toggle(): void;
  /** Opens the panel and sends `question` in its conversation. */
  ask(question: string, context?: TAskContext | null): void;
  pendingAsk: TAskRequest | null;
  /** The panel took the pending question (it sends it once). */
  clearAsk(id: number): void;
  /** The page the reader's next questions are about ("Ask about this page"), until they remove it. */
  pageContext: TAskContext | null;
  /** Opens the panel with `context` as the page the reader's questions are about (null: none). */
  setPageContext(context: TAskContext | null): void;
  /** The passage the reader's next question is about ("Ask about this"), until they send it or remove it. */
  quote: TAskQuote | null;
  /** Opens the panel with `quote` attached to the next question (null: removes it). */
  setQuote(quote: TAskQuote | null): void;
};

const AssistantPanelContext = createContext<TAssistantPanel | null>(null);

type TPanelModules = {
  AssistantSidePanel: (typeof import('./AssistantSidePanel'))['AssistantSidePanel'];
  SiteTheme: (typeof import('@/components/site/SiteTheme'))['SiteTheme'];
};
let panelModules: Promise<TPanelModules> | null = null;
/** The panel's code and Paste's theme it is drawn with (the docs page itself carries neither). One request. */
export function loadAssistantPanel(): Promise<TPanelModules> {
  panelModules ??= Promise.all([import('./AssistantSidePanel'), import('@/components/site/SiteTheme')]).then(
    ([{ AssistantSidePanel }, { SiteTheme }]) => ({ AssistantSidePanel, SiteTheme }),
    (error: unknown) => {
      panelModules = null;
      throw error;
    },
  );
  return panelModules;
}

/** Starts fetching the panel's code; safe to call often (one request). */
export function preloadAssistantPanel(): Promise<unknown> {
  return loadAssistantPanel();
}

let nextAskId = 1;

export function AssistantPanelProvider({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const [hasOpened, setHasOpened] = useState(false);
  const [pendingAsk, setPendingAsk] = useState<TAskRequest | null>(null);
  const [pageContext, setPageContextState] = useState<TAskContext | null>(null);
  const [quote, setQuoteState] = useState<TAskQuote | null>(null);
  const setOpen = useCallback((next: boolean) => {
    setIsOpen(next);
    if (next) setHasOpened(true);
  }, []);
  const toggle = useCallback(() => {
    setIsOpen((value) => !value);
    setHasOpened(true);
  }, []);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'i') {
        event.preventDefault();
        toggle();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [toggle]);
  const ask = useCallback(
    (question: string, context: TAskContext | null = null) => {
      const text = question.trim();
      if (text === '') return;
      setPendingAsk({ id: nextAskId++, question: text, context });
      setOpen(true);
    },
    [setOpen],
  );
  const clearAsk = useCallback((id: number) => setPendingAsk((current) => (current?.id === id ? null : current)), []);
  const setPageContext = useCallback(
    (context: TAskContext | null) => {
      setPageContextState(context);
      if (context) setOpen(true);
    },
    [setOpen],
  );
  const setQuote = useCallback(
    (next: TAskQuote | null) => {
      setQuoteState(next);
      if (next) setOpen(true);
    },
    [setOpen],
  );
  const value = useMemo(
    () => ({ isOpen, hasOpened, open: () => setOpen(true), close: () => setOpen(false), toggle, ask, pendingAsk, clearAsk, pageContext, setPageContext, quote, setQuote }),
    [isOpen, hasOpened, setOpen, toggle, ask, pendingAsk, clearAsk, pageContext, setPageContext, quote, setQuote],
  );
  return <AssistantPanelContext.Provider value={value}>{children}</AssistantPanelContext.Provider>;
}

export function useAssistantPanel(): TAssistantPanel {
  const value = useContext(AssistantPanelContext);
  if (!value) throw new Error('useAssistantPanel must be used inside AssistantPanelProvider');
  return value;
}

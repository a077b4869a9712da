import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

// Whether the assistant's side panel is open. Lives in _app so that the panel (and its thread) survive
// navigation between docs pages. Ctrl/Cmd+I toggles it anywhere.
type TAssistantPanel = { isOpen: boolean; open(): void; close(): void; toggle(): void };

const AssistantPanelContext = createContext<TAssistantPanel | null>(null);

export function AssistantPanelProvider({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const toggle = useCallback(() => setIsOpen((value) => !value), []);
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
  const value = useMemo(() => ({ isOpen, open: () => setIsOpen(true), close: () => setIsOpen(false), toggle }), [isOpen, toggle]);
  return <AssistantPanelContext.Provider value={value}>{children}</AssistantPanelContext.Provider>;
}

export function useAssistantPanel(): TAssistantPanel {
  const value = useContext(AssistantPanelContext);
  if (!value) throw new Error('useAssistantPanel must be used inside AssistantPanelProvider');
  return value;
}

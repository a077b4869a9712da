import { createContext, useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { StylingGlobals, ThemeProvider } from '@twilio-paste/core/styling-library';
import { DarkTheme, DefaultTheme, pasteGlobalStyles, StyledBase } from '@twilio-paste/core/theme';
import { isMediaQueryMatching, subscribeMediaQuery } from '@/lib/shared/media';

// Paste's Theme.Provider, minus its @font-face rules: those load Inter and Twilio Sans from Twilio's CDN in every
// reader's browser, and this site makes no requests to third parties (its CSP allows fonts only from itself).
// The theme's font stacks fall back to the system UI fonts.
//
// Light or dark: Paste's DefaultTheme or DarkTheme, following the system's preference until the reader picks one
// with the header's toggle (remembered in localStorage). The server renders light; a reader whose system prefers
// dark sees the page switch as it hydrates (no inline script may run before it: the CSP allows none).

export type TColorScheme = 'light' | 'dark';
type TSiteTheme = { scheme: TColorScheme; setScheme(scheme: TColorScheme): void };

const STORAGE_KEY = 'paste-assistant:color-scheme';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const SiteThemeContext = createContext<TSiteTheme>({ scheme: 'light', setScheme: () => {} });

function subscribeSystem(onChange: () => void): () => void {
  return subscribeMediaQuery(DARK_QUERY, onChange);
}

function readStored(): TColorScheme | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

// The reader's choice, as an external store: other tabs (the storage event) and the toggle notify it.
const choiceListeners = new Set<() => void>();
function subscribeChoice(onChange: () => void): () => void {
  choiceListeners.add(onChange);
  window.addEventListener('storage', onChange);
  return () => {
    choiceListeners.delete(onChange);
    window.removeEventListener('storage', onChange);
  };
}

export function SiteTheme({ children }: { children: ReactNode }) {
  const systemScheme = useSyncExternalStore<TColorScheme>(
    subscribeSystem,
    () => (isMediaQueryMatching(DARK_QUERY) ? 'dark' : 'light'),
    () => 'light',
  );
  // null while server rendering and hydrating, so the first client render matches the server's.
  const stored = useSyncExternalStore(subscribeChoice, readStored, () => null);
  const [unsaved, setUnsaved] = useState<TColorScheme | null>(null);
  const scheme = unsaved ?? stored ?? systemScheme;
  const setScheme = useCallback((next: TColorScheme) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage unavailable: the choice holds for this page.
      setUnsaved(next);
    }
    for (const listener of choiceListeners) listener();
  }, []);
  useEffect(() => {
    // Form controls and scrollbars the theme does not style follow the scheme too.
    document.documentElement.style.colorScheme = scheme;
  }, [scheme]);
  const theme = scheme === 'dark' ? DarkTheme : DefaultTheme;
  const value = useMemo(() => ({ scheme, setScheme }), [scheme, setScheme]);
  return (
    <SiteThemeContext.Provider value={value}>
      <ThemeProvider theme={theme}>
        <StylingGlobals styles={pasteGlobalStyles({ theme })} />
        <StyledBase className="paste-theme-provider">{children}</StyledBase>
      </ThemeProvider>
    </SiteThemeContext.Provider>
  );
}

export function useSiteTheme(): TSiteTheme {
  return useContext(SiteThemeContext);
}

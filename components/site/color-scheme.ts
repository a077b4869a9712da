import { useSyncExternalStore } from 'react';
import { COLOR_SCHEME_STORAGE_KEY } from '@/lib/shared/color-scheme';
import { isMediaQueryMatching, subscribeMediaQuery } from '@/lib/shared/media';

// Light or dark. CSS decides what the reader sees (styles/paste-tokens.css): the system's preference, unless
// <html data-theme> holds the reader's own choice, which the header's toggle saves in localStorage. The choice
// is put on <html> before the first paint by COLOR_SCHEME_SCRIPT (lib/shared/color-scheme.ts), inline in every
// page's <head> and allowed by its hash in the page's CSP, so no reader sees the other scheme first.
// Nothing here re-renders the page to change colours: the tokens are CSS variables, for the shell and for the
// assistant's Paste theme alike (components/site/SiteTheme.tsx).

export type TColorScheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function readChoice(): TColorScheme | null {
  const value = document.documentElement.getAttribute('data-theme');
  return value === 'light' || value === 'dark' ? value : null;
}

function readScheme(): TColorScheme {
  return readChoice() ?? (isMediaQueryMatching(DARK_QUERY) ? 'dark' : 'light');
}

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  // Another tab chose: follow it.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== COLOR_SCHEME_STORAGE_KEY) return;
    if (event.newValue === 'light' || event.newValue === 'dark') document.documentElement.setAttribute('data-theme', event.newValue);
    else document.documentElement.removeAttribute('data-theme');
    onChange();
  };
  window.addEventListener('storage', onStorage);
  const unsubscribeSystem = subscribeMediaQuery(DARK_QUERY, onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onStorage);
    unsubscribeSystem();
  };
}

/** Saves the reader's choice (for this page only when storage is unavailable) and applies it at once. */
export function setColorScheme(scheme: TColorScheme): void {
  document.documentElement.setAttribute('data-theme', scheme);
  try {
    window.localStorage.setItem(COLOR_SCHEME_STORAGE_KEY, scheme);
  } catch {
    // Storage unavailable: the choice holds for this page.
  }
  for (const listener of listeners) listener();
}

/** The scheme the reader sees; null while server rendering and hydrating (the server cannot know it). */
export function useColorScheme(): TColorScheme | null {
  return useSyncExternalStore(subscribe, readScheme, () => null);
}

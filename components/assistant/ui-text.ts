import { useCallback, useSyncExternalStore } from 'react';
import { DEFAULT_UI_LANGUAGE, pickUiLanguage, uiText, type TUiKey } from '@/lib/shared/i18n';

// The panel's and the embed's own words in the browser's language (lib/shared/i18n/). The server renders
// English (it cannot know the reader's browser); the browser switches to its language as it hydrates, and again
// when the reader changes it (the `languagechange` event).

function subscribe(onChange: () => void): () => void {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}

function browserLanguage(): string {
  const preferred = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return pickUiLanguage(preferred);
}

export function useUiLanguage(): string {
  return useSyncExternalStore(subscribe, browserLanguage, () => DEFAULT_UI_LANGUAGE);
}

export type TUiText = (key: TUiKey, values?: Record<string, string>) => string;

/** `t(key, values)`: the text of `key` in the reader's language. */
export function useUiText(): TUiText {
  const language = useUiLanguage();
  return useCallback((key, values) => uiText(language, key, values), [language]);
}

import { useSyncExternalStore } from 'react';
import { askLabelFor, ASK_LABELS } from '@/lib/shared/i18n/ask-label';

// The header button's label in the browser's language, from the few labels of lib/shared/i18n/ask-label.ts (the docs
// pages do not load the panel's tables). English on the server and at hydration, then the browser's language.

function subscribe(onChange: () => void): () => void {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}

function browserLabel(): string {
  return askLabelFor(navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

export function useAskLabel(): string {
  return useSyncExternalStore(subscribe, browserLabel, () => ASK_LABELS.en);
}

import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { en, type TUiKey, type TUiTable } from '@/lib/shared/i18n/en';
import { pickLoadableUiLanguage, UI_TABLE_LOADERS } from '@/lib/shared/i18n/load';
import { formatUiText } from '@/lib/shared/i18n/text';

// The panel's and the embed's own words in the browser's language (lib/shared/i18n/). The server renders
// English (it cannot know the reader's browser); the browser switches to its language as it hydrates, and again
// when the reader changes it (the `languagechange` event). Only English is in the bundle: another language's
// table is fetched when this module first runs in a browser that prefers it (with the panel's code, so it
// usually arrives with it), and until it is here the panel speaks English.

const DEFAULT_UI_LANGUAGE = 'en';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}

function browserLanguage(): string {
  const preferred = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return pickLoadableUiLanguage(preferred);
}

export function useUiLanguage(): string {
  return useSyncExternalStore(subscribe, browserLanguage, () => DEFAULT_UI_LANGUAGE);
}

const tables = new Map<string, Partial<TUiTable>>([[DEFAULT_UI_LANGUAGE, en]]);
const loading = new Set<string>();
const tableListeners = new Set<() => void>();

/** Fetches `language`'s table once; a failed fetch may be tried again by the next render that needs it. */
function loadTable(language: string): void {
  const load = UI_TABLE_LOADERS[language];
  if (!load || tables.has(language) || loading.has(language)) return;
  loading.add(language);
  load().then(
    (table) => {
      loading.delete(language);
      tables.set(language, table);
      for (const listener of tableListeners) listener();
    },
    () => loading.delete(language),
  );
}

function subscribeTables(onChange: () => void): () => void {
  tableListeners.add(onChange);
  return () => tableListeners.delete(onChange);
}

if (typeof window !== 'undefined') loadTable(browserLanguage());

export type TUiText = (key: TUiKey, values?: Record<string, string>) => string;

/** `t(key, values)`: the text of `key` in the reader's language (English until that language's table is here). */
export function useUiText(): TUiText {
  const language = useUiLanguage();
  const table = useSyncExternalStore(
    subscribeTables,
    () => tables.get(language),
    () => undefined,
  );
  useEffect(() => loadTable(language), [language]);
  return useCallback((key, values) => formatUiText(table, key, values), [table]);
}

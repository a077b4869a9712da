import { en, type TUiTable } from './en';
import { firstAvailableLanguage } from './language-tag';

// The browser's way to the tables: English is in the bundle, every other language is a chunk of its own, fetched
// when a reader whose browser prefers it first sees the panel (components/assistant/ui-text.ts). A reader carries
// only their own language, not all of them (index.ts, which imports every table, is the server's). The languages
// here are UI_TABLES' (tests/unit/i18n.test.ts compares them).

export const UI_TABLE_LOADERS: Readonly<Record<string, () => Promise<Partial<TUiTable>>>> = {
  en: () => Promise.resolve(en),
  fr: () => import('./fr').then(({ fr }) => fr),
  es: () => import('./es').then(({ es }) => es),
};

/** The UI language for the reader's preferred languages, best first: as pickUiLanguage (index.ts) picks it. */
export function pickLoadableUiLanguage(preferred: readonly string[]): string {
  return firstAvailableLanguage(preferred, UI_TABLE_LOADERS) ?? 'en';
}

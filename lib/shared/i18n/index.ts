import { en, type TUiKey, type TUiTable } from './en';
import { es } from './es';
import { fr } from './fr';
import { firstAvailableLanguage } from './language-tag';
import { formatUiText } from './text';

// The panel's and the embed's own words in the reader's language. One table per language in this folder, keyed
// like the English one (en.ts); a language is added by writing its table and naming it in UI_TABLES and in load.ts's UI_TABLE_LOADERS. The
// language is the first of the browser's preferred ones (navigator.languages, or an Accept-Language header) that
// has a table, matched on its primary subtag ("fr-CA" → fr); English when none has. A key a table lacks at run
// time (a table typed loosely, or loaded from elsewhere) falls back to the English text. This file imports every
// table: the browser reaches them through load.ts instead, one language at a time.

export type { TUiKey, TUiTable } from './en';

export const UI_TABLES: Readonly<Record<string, Partial<TUiTable>>> = { en, fr, es };

export const DEFAULT_UI_LANGUAGE = 'en';

/** The UI language for the reader's preferred languages, best first (navigator.languages' order). */
export function pickUiLanguage(preferred: readonly string[]): string {
  return firstAvailableLanguage(preferred, UI_TABLES) ?? DEFAULT_UI_LANGUAGE;
}

/** The languages of an Accept-Language header, best first (by q, then by order); `*` and q=0 are left out. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

/** The text of `key` in `language` (English when that language has no table or no such key), `{name}`s filled in. */
export function uiText(language: string, key: TUiKey, values: Record<string, string> = {}): string {
  return formatUiText(UI_TABLES[language], key, values);
}

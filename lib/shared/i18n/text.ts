import { en, type TUiKey, type TUiTable } from './en';

/**
 * The text of `key` in `table` (the English text when the table is missing or lacks the key), its `{name}`s filled
 * in from `values`. Holds no table but English, so that code which imports it carries no other language.
 */
export function formatUiText(table: Partial<TUiTable> | null | undefined, key: TUiKey, values: Record<string, string> = {}): string {
  const text = table?.[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

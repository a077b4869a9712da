import { firstAvailableLanguage } from './language-tag';

// The docs header's "Ask the assistant" label in each UI language, in a file of its own so that the docs pages carry
// these few words, not every table (components import this file, never index.ts): the tables' `panel.askButton` is this text, and a
// language added to the tables without a label here shows the English one (tests/unit/i18n.test.ts checks each
// table has its label here).
export const ASK_LABELS = {
  en: 'Ask the assistant',
  fr: 'Demander à l’assistant',
  es: 'Preguntar al asistente',
} as const;

/** The label for the reader's preferred languages, best first; English when none has one. */
export function askLabelFor(preferred: readonly string[]): string {
  const language = firstAvailableLanguage(preferred, ASK_LABELS) as keyof typeof ASK_LABELS | null;
  return ASK_LABELS[language ?? 'en'];
}

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '@/lib/shared/i18n/en';
import { parseAcceptLanguage, pickUiLanguage, UI_TABLES, uiText } from '@/lib/shared/i18n';
import { ASK_LABELS, askLabelFor } from '@/lib/shared/i18n/ask-label';
import { pickLoadableUiLanguage, UI_TABLE_LOADERS } from '@/lib/shared/i18n/load';

// The panel's and the embed's own words (lib/shared/i18n/): a table per language, each with every key of the
// English one and the same {placeholders}, chosen from the browser's preferred languages.

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('UI text tables', () => {
  it('every table in the folder is registered, and there is more than English', () => {
    const files = readdirSync(path.resolve(import.meta.dirname, '../../lib/shared/i18n'))
      // A table is named by its language's code (en.ts, pt-BR.ts); the folder's other files are its helpers.
      .filter((file) => /^[a-z]{2,3}(-([A-Z]{2}|\d{3}))?\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(Object.keys(UI_TABLES).sort()).toEqual(files.sort());
    expect(Object.keys(UI_TABLES).length).toBeGreaterThanOrEqual(2);
  });

  it('the browser loads the same tables, one language at a time (lib/shared/i18n/load.ts)', async () => {
    expect(Object.keys(UI_TABLE_LOADERS).sort()).toEqual(Object.keys(UI_TABLES).sort());
    for (const [language, load] of Object.entries(UI_TABLE_LOADERS)) expect(await load(), language).toBe(UI_TABLES[language]);
    for (const preferred of [['fr-FR', 'en-US'], ['ja', 'es-419', 'fr'], ['ja'], []]) expect(pickLoadableUiLanguage(preferred)).toBe(pickUiLanguage(preferred));
  });

  it.each(Object.keys(UI_TABLES))('%s has every key, each a text with the same placeholders as English', (language) => {
    const table = UI_TABLES[language] ?? {};
    expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = table[key as keyof typeof en];
      expect(typeof translated === 'string' && translated.trim() !== '', `${language}: ${key}`).toBe(true);
      expect(placeholders(translated as string), `${language}: ${key}`).toEqual(placeholders(text));
    }
  });

  it('a translation is a translation: most of a non-English table differs from English', () => {
    for (const [language, table] of Object.entries(UI_TABLES)) {
      if (language === 'en') continue;
      const same = Object.entries(en).filter(([key, text]) => table[key as keyof typeof en] === text).length;
      expect(same / Object.keys(en).length, language).toBeLessThan(0.2);
    }
  });
});

describe('the docs header’s label (lib/shared/i18n/ask-label.ts, apart from the tables)', () => {
  it('every table’s language has its label there, the same as the table’s', () => {
    for (const [language, table] of Object.entries(UI_TABLES)) {
      expect(ASK_LABELS[language as keyof typeof ASK_LABELS], language).toBe(table['panel.askButton']);
    }
  });

  it('is picked like the tables: by primary subtag, first match, English otherwise', () => {
    expect(askLabelFor(['de-DE', 'es-MX', 'fr'])).toBe(ASK_LABELS.es);
    expect(askLabelFor(['ja'])).toBe(ASK_LABELS.en);
    expect(askLabelFor([])).toBe(ASK_LABELS.en);
  });
});

describe('choosing the language', () => {
  it('takes the first preferred language that has a table, by its primary subtag', () => {
    expect(pickUiLanguage(['fr-FR', 'en-US'])).toBe('fr');
    expect(pickUiLanguage(['ja', 'es-419', 'fr'])).toBe('es');
    expect(pickUiLanguage(['FR_ca'])).toBe('fr');
    expect(pickUiLanguage(['ja', 'zh-CN'])).toBe('en');
    expect(pickUiLanguage([])).toBe('en');
  });

  it('reads an Accept-Language header by quality, then order', () => {
    expect(parseAcceptLanguage('de;q=0.5, fr-CH, fr;q=0.9, *;q=0.1, it;q=0')).toEqual(['fr-CH', 'fr', 'de']);
    expect(pickUiLanguage(parseAcceptLanguage('ja,es;q=0.8,en;q=0.5'))).toBe('es');
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });

  it('fills in placeholders, and falls back to English for a language or a key without a text', () => {
    expect(uiText('fr', 'intro.askName', { name: 'Paste' })).toBe('Demandez à Paste');
    expect(uiText('xx', 'composer.send')).toBe(en['composer.send']);
    const partial = UI_TABLES as Record<string, Partial<Record<keyof typeof en, string>>>;
    partial.test = { 'composer.send': 'Envoi' };
    try {
      expect(uiText('test', 'composer.send')).toBe('Envoi');
      expect(uiText('test', 'panel.close')).toBe(en['panel.close']);
    } finally {
      delete partial.test;
    }
  });
});

import { describe, expect, it } from 'vitest';
import questions from '../fixtures/language-questions.json';
import { detectQuestionLanguage, foldDiacritics } from '@/lib/relevance/language';

// The question's language (lib/relevance/language.ts), measured on short questions in seven languages. The held-out
// set was written before the detector ran on it; the figures are printed, and the bars are what a reader needs:
// English questions stay English (search and answers depend on it), and most others are recognised.

type TCase = [string, string];

function measure(cases: TCase[]) {
  const misses = cases.filter(([language, text]) => detectQuestionLanguage(text).language !== language);
  return { accuracy: 1 - misses.length / cases.length, misses };
}

describe('detecting the question language', () => {
  it('gets the tuning questions right', () => {
    expect(measure(questions.tuning as TCase[]).misses).toEqual([]);
  });

  it('is accurate on held-out short questions, and never takes an English question for another language', () => {
    const cases = questions.heldOut as TCase[];
    const all = measure(cases);
    const english = measure(cases.filter(([language]) => language === 'en'));
    const others = measure(cases.filter(([language]) => language !== 'en'));
    console.log(
      `language detection, held out: ${cases.length} questions, accuracy ${all.accuracy.toFixed(3)} ` +
        `(English ${english.accuracy.toFixed(3)}, others ${others.accuracy.toFixed(3)}); misses: ${JSON.stringify(all.misses)}`,
    );
    expect(new Set(cases.map(([language]) => language)).size).toBeGreaterThanOrEqual(6);
    expect(english.accuracy).toBe(1);
    expect(others.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('reads code, URLs and empty text as no evidence (English)', () => {
    expect(detectQuestionLanguage('')).toEqual({ language: 'en', isConfident: false });
    expect(detectQuestionLanguage('`<Combobox items={items} />`').language).toBe('en');
    expect(detectQuestionLanguage('https://example.com/le/la/des').language).toBe('en');
    // The prose decides, not the code around it.
    expect(detectQuestionLanguage('Pourquoi est-ce que `useToaster()` ne marche pas dans mon composant ?').language).toBe('fr');
  });

  it('folds accents', () => {
    expect(foldDiacritics('Créer ÉTÉ naïve Größe')).toBe('creer ete naive große');
  });
});

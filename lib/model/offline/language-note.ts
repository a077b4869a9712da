import type { TTextAnnotation } from '../../db/rows';
import { detectQuestionLanguage, type TQuestionLanguage } from '../../relevance/language';

// The offline model quotes the docs as they are written, in English, whatever the question's language. A reader
// who asked in another language is told so, in that language, before the quotes: the answer is the docs' words,
// not a translation. A language without a note here is told in English.

export const ENGLISH_DOCS_NOTES: Partial<Record<TQuestionLanguage, string>> = {
  en: 'The documentation is in English: this answer quotes it as written.',
  fr: 'La documentation est en anglais : cette réponse la cite telle quelle.',
  es: 'La documentación está en inglés: esta respuesta la cita tal cual.',
  de: 'Die Dokumentation ist auf Englisch: Diese Antwort zitiert sie im Original.',
  pt: 'A documentação está em inglês: esta resposta cita-a tal como está escrita.',
  it: 'La documentazione è in inglese: questa risposta la cita così com’è.',
  nl: 'De documentatie is in het Engels: dit antwoord citeert haar zoals ze is geschreven.',
};

type TMessageOutput = { type: 'message'; text: string; annotations?: TTextAnnotation[]; metadata?: Record<string, unknown> };

/**
 * The answer with the note first when the question is not in English (its citations moved with the text, its
 * metadata naming the language); an English question's answer is returned as it was.
 */
export function withLanguageNote<T extends TMessageOutput>(output: T, question: string): T {
  const { language } = detectQuestionLanguage(question);
  if (language === 'en') return output;
  const prefix = `_${ENGLISH_DOCS_NOTES[language] ?? ENGLISH_DOCS_NOTES.en}_\n\n`;
  const annotations = output.annotations?.map((annotation) => ({
    ...annotation,
    start_index: annotation.start_index + prefix.length,
    end_index: annotation.end_index + prefix.length,
  }));
  return {
    ...output,
    text: prefix + output.text,
    ...(annotations ? { annotations } : {}),
    metadata: { ...(output.metadata ?? {}), language },
  };
}

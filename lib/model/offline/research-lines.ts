import type { TQuestionLanguage } from '../../relevance/language';

// The offline research answer's own lines (research.ts) in the question's language, as the quick answer's are
// (lines.ts): every language the question detector names has every line. The quoted sections stay as the docs wrote
// them. `{name}`s are filled in by researchLine; counts come in the language's own words ("3 times", "3 recherches").

export type TResearchLines = {
  /** `{searches}`: searchesOne/Many; `{pages}`: pagesOne/Many. */
  summary: string;
  searchesOne: string;
  /** `{n}`: how many searches (2 or more). */
  searchesMany: string;
  pagesOne: string;
  /** `{n}`: how many pages were read whole (0, or 2 or more). */
  pagesMany: string;
  /** `{lead}`: the section the answer leads with. */
  closest: string;
  closestMoreOne: string;
  /** `{n}`: how many more pages the answer quotes (2 or more). */
  closestMoreMany: string;
  /**
   * After the quick answer's not-covered line when nothing the research found answers the question: `{searches}`
   * searchesOne/Many; `{pages}` pagesOne/Many.
   */
  nothingAnswers: string;
  /** The heading of the nearest sections listed (as links) under an answer that nothing answered. */
  relatedReading: string;
  /** Under a quoted section: `{part}` the part of the question it answers. */
  answers: string;
  /** Under a quoted section that answers no one part. */
  related: string;
  allAnswered: string;
  /** `{parts}`: the parts nothing read answered, quoted and joined with the quick answer's `or`. */
  notAnswered: string;
  /** The last line: `{queries}` what was searched; `{pages}` what was read whole. */
  trail: string;
  trailRead: string;
  /** A bound was hit: `{seconds}` RESEARCH_MAX_SECONDS, `{steps}` RESEARCH_MAX_STEPS. */
  boundSeconds: string;
  boundTokens: string;
  boundSteps: string;
};

export const RESEARCH_LINES: Record<TQuestionLanguage, TResearchLines> = {
  en: {
    summary: '**Summary.** I searched {searches} and read {pages} whole.',
    searchesOne: '1 time',
    searchesMany: '{n} times',
    pagesOne: '1 page',
    pagesMany: '{n} pages',
    closest: 'The closest answer is in {lead}.',
    closestMoreOne: 'The closest answer is in {lead}; 1 more page adds to it.',
    closestMoreMany: 'The closest answer is in {lead}; {n} more pages add to it.',
    nothingAnswers: 'I searched {searches} and read {pages} whole; nothing I found answers it.',
    relatedReading: 'Related reading (the nearest the docs come, not an answer)',
    answers: 'Answers: “{part}”',
    related: 'Related to your question',
    allAnswered: 'Every part of the question is answered above.',
    notAnswered: '**Not answered.** Nothing I read answers {parts}.',
    trail: 'Searched for {queries}.',
    trailRead: 'Searched for {queries}; read {pages}.',
    boundSeconds: 'The research stopped at its time limit ({seconds} s) before it was done; this answer is from what it had found by then.',
    boundTokens: 'The research stopped at its token budget before it was done; this answer is from what it had found by then.',
    boundSteps: 'The research stopped at its step limit ({steps} steps) before it was done; this answer is from what it had found by then.',
  },
  fr: {
    summary: '**Résumé.** J’ai fait {searches} et lu {pages} en entier.',
    searchesOne: '1 recherche',
    searchesMany: '{n} recherches',
    pagesOne: '1 page',
    pagesMany: '{n} pages',
    closest: 'La réponse la plus proche est dans {lead}.',
    closestMoreOne: 'La réponse la plus proche est dans {lead} ; 1 autre page la complète.',
    closestMoreMany: 'La réponse la plus proche est dans {lead} ; {n} autres pages la complètent.',
    nothingAnswers: 'J’ai fait {searches} et lu {pages} en entier ; rien de ce que j’ai trouvé n’y répond.',
    relatedReading: 'À lire en rapport (ce que la documentation a de plus proche, pas une réponse)',
    answers: 'Répond à : « {part} »',
    related: 'En rapport avec votre question',
    allAnswered: 'Chaque partie de la question trouve sa réponse ci-dessus.',
    notAnswered: '**Sans réponse.** Rien de ce que j’ai lu ne répond à {parts}.',
    trail: 'Recherché : {queries}.',
    trailRead: 'Recherché : {queries} ; lu : {pages}.',
    boundSeconds: 'La recherche s’est arrêtée à sa limite de temps ({seconds} s) avant la fin ; cette réponse vient de ce qu’elle avait trouvé jusque-là.',
    boundTokens: 'La recherche s’est arrêtée à son budget de jetons avant la fin ; cette réponse vient de ce qu’elle avait trouvé jusque-là.',
    boundSteps: 'La recherche s’est arrêtée à sa limite d’étapes ({steps} étapes) avant la fin ; cette réponse vient de ce qu’elle avait trouvé jusque-là.',
  },
  es: {
    summary: '**Resumen.** Hice {searches} y leí de principio a fin {pages}.',
    searchesOne: '1 búsqueda',
    searchesMany: '{n} búsquedas',
    pagesOne: '1 página',
    pagesMany: '{n} páginas',
    closest: 'La respuesta más cercana está en {lead}.',
    closestMoreOne: 'La respuesta más cercana está en {lead}; 1 página más la completa.',
    closestMoreMany: 'La respuesta más cercana está en {lead}; {n} páginas más la completan.',
    nothingAnswers: 'Hice {searches} y leí de principio a fin {pages}; nada de lo que encontré lo responde.',
    relatedReading: 'Lecturas relacionadas (lo más cercano de la documentación, no una respuesta)',
    answers: 'Responde a: «{part}»',
    related: 'Relacionado con tu pregunta',
    allAnswered: 'Cada parte de la pregunta tiene respuesta arriba.',
    notAnswered: '**Sin respuesta.** Nada de lo que leí responde a {parts}.',
    trail: 'Se buscó: {queries}.',
    trailRead: 'Se buscó: {queries}; se leyó: {pages}.',
    boundSeconds: 'La investigación se detuvo en su límite de tiempo ({seconds} s) antes de terminar; esta respuesta sale de lo que había encontrado hasta entonces.',
    boundTokens: 'La investigación se detuvo en su presupuesto de tokens antes de terminar; esta respuesta sale de lo que había encontrado hasta entonces.',
    boundSteps: 'La investigación se detuvo en su límite de pasos ({steps} pasos) antes de terminar; esta respuesta sale de lo que había encontrado hasta entonces.',
  },
  de: {
    summary: '**Zusammenfassung.** Ich habe {searches} gesucht und {pages} ganz gelesen.',
    searchesOne: '1-mal',
    searchesMany: '{n}-mal',
    pagesOne: '1 Seite',
    pagesMany: '{n} Seiten',
    closest: 'Die nächstliegende Antwort steht in {lead}.',
    closestMoreOne: 'Die nächstliegende Antwort steht in {lead}; 1 weitere Seite ergänzt sie.',
    closestMoreMany: 'Die nächstliegende Antwort steht in {lead}; {n} weitere Seiten ergänzen sie.',
    nothingAnswers: 'Ich habe {searches} gesucht und {pages} ganz gelesen; nichts, was ich gefunden habe, beantwortet sie.',
    relatedReading: 'Verwandte Lektüre (das Nächstliegende in der Dokumentation, keine Antwort)',
    answers: 'Beantwortet: „{part}“',
    related: 'Passend zu Ihrer Frage',
    allAnswered: 'Jeder Teil der Frage ist oben beantwortet.',
    notAnswered: '**Nicht beantwortet.** Nichts, was ich gelesen habe, beantwortet {parts}.',
    trail: 'Gesucht nach {queries}.',
    trailRead: 'Gesucht nach {queries}; gelesen: {pages}.',
    boundSeconds: 'Die Recherche hat an ihrem Zeitlimit ({seconds} s) angehalten, bevor sie fertig war; diese Antwort beruht auf dem, was sie bis dahin gefunden hatte.',
    boundTokens: 'Die Recherche hat an ihrem Token-Budget angehalten, bevor sie fertig war; diese Antwort beruht auf dem, was sie bis dahin gefunden hatte.',
    boundSteps: 'Die Recherche hat an ihrem Schrittlimit ({steps} Schritte) angehalten, bevor sie fertig war; diese Antwort beruht auf dem, was sie bis dahin gefunden hatte.',
  },
  pt: {
    summary: '**Resumo.** Fiz {searches} e li {pages} por inteiro.',
    searchesOne: '1 pesquisa',
    searchesMany: '{n} pesquisas',
    pagesOne: '1 página',
    pagesMany: '{n} páginas',
    closest: 'A resposta mais próxima está em {lead}.',
    closestMoreOne: 'A resposta mais próxima está em {lead}; mais 1 página a complementa.',
    closestMoreMany: 'A resposta mais próxima está em {lead}; mais {n} páginas a complementam.',
    nothingAnswers: 'Fiz {searches} e li {pages} por inteiro; nada do que encontrei responde a isto.',
    relatedReading: 'Leitura relacionada (o mais próximo na documentação, não uma resposta)',
    answers: 'Responde a: «{part}»',
    related: 'Relacionado com a sua pergunta',
    allAnswered: 'Cada parte da pergunta tem resposta acima.',
    notAnswered: '**Sem resposta.** Nada do que li responde a {parts}.',
    trail: 'Pesquisado: {queries}.',
    trailRead: 'Pesquisado: {queries}; lido: {pages}.',
    boundSeconds: 'A pesquisa parou no seu limite de tempo ({seconds} s) antes de terminar; esta resposta vem do que tinha encontrado até então.',
    boundTokens: 'A pesquisa parou no seu orçamento de tokens antes de terminar; esta resposta vem do que tinha encontrado até então.',
    boundSteps: 'A pesquisa parou no seu limite de passos ({steps} passos) antes de terminar; esta resposta vem do que tinha encontrado até então.',
  },
  it: {
    summary: '**Riepilogo.** Ho fatto {searches} e letto {pages} per intero.',
    searchesOne: '1 ricerca',
    searchesMany: '{n} ricerche',
    pagesOne: '1 pagina',
    pagesMany: '{n} pagine',
    closest: 'La risposta più vicina è in {lead}.',
    closestMoreOne: 'La risposta più vicina è in {lead}; 1 altra pagina la completa.',
    closestMoreMany: 'La risposta più vicina è in {lead}; altre {n} pagine la completano.',
    nothingAnswers: 'Ho fatto {searches} e letto {pages} per intero; niente di ciò che ho trovato risponde.',
    relatedReading: 'Letture correlate (il più vicino nella documentazione, non una risposta)',
    answers: 'Risponde a: «{part}»',
    related: 'Legato alla tua domanda',
    allAnswered: 'Ogni parte della domanda ha risposta qui sopra.',
    notAnswered: '**Senza risposta.** Niente di ciò che ho letto risponde a {parts}.',
    trail: 'Cercato: {queries}.',
    trailRead: 'Cercato: {queries}; letto: {pages}.',
    boundSeconds: 'La ricerca si è fermata al suo limite di tempo ({seconds} s) prima di finire; questa risposta viene da ciò che aveva trovato fino ad allora.',
    boundTokens: 'La ricerca si è fermata al suo budget di token prima di finire; questa risposta viene da ciò che aveva trovato fino ad allora.',
    boundSteps: 'La ricerca si è fermata al suo limite di passi ({steps} passi) prima di finire; questa risposta viene da ciò che aveva trovato fino ad allora.',
  },
  nl: {
    summary: '**Samenvatting.** Ik heb {searches} gezocht en {pages} helemaal gelezen.',
    searchesOne: '1 keer',
    searchesMany: '{n} keer',
    pagesOne: '1 pagina',
    pagesMany: '{n} pagina’s',
    closest: 'Het dichtstbijzijnde antwoord staat in {lead}.',
    closestMoreOne: 'Het dichtstbijzijnde antwoord staat in {lead}; nog 1 pagina vult het aan.',
    closestMoreMany: 'Het dichtstbijzijnde antwoord staat in {lead}; nog {n} pagina’s vullen het aan.',
    nothingAnswers: 'Ik heb {searches} gezocht en {pages} helemaal gelezen; niets wat ik vond beantwoordt het.',
    relatedReading: 'Verwante informatie (het dichtstbijzijnde in de documentatie, geen antwoord)',
    answers: 'Beantwoordt: „{part}”',
    related: 'Verwant aan je vraag',
    allAnswered: 'Elk deel van de vraag is hierboven beantwoord.',
    notAnswered: '**Niet beantwoord.** Niets wat ik las beantwoordt {parts}.',
    trail: 'Gezocht naar {queries}.',
    trailRead: 'Gezocht naar {queries}; gelezen: {pages}.',
    boundSeconds: 'Het onderzoek stopte bij zijn tijdslimiet ({seconds} s) voordat het klaar was; dit antwoord komt uit wat het tot dan had gevonden.',
    boundTokens: 'Het onderzoek stopte bij zijn tokenbudget voordat het klaar was; dit antwoord komt uit wat het tot dan had gevonden.',
    boundSteps: 'Het onderzoek stopte bij zijn stappenlimiet ({steps} stappen) voordat het klaar was; dit antwoord komt uit wat het tot dan had gevonden.',
  },
};

/** The line `key` in `language`, `{name}`s filled in (in one pass: a value holding `{…}` or `$` is taken literally). */
export function researchLine(language: TQuestionLanguage, key: keyof TResearchLines, values: Record<string, string | number> = {}): string {
  return RESEARCH_LINES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** "3 times" / "1 time", "2 pages" in `language`. */
export function researchCount(language: TQuestionLanguage, what: 'searches' | 'pages', n: number): string {
  return researchLine(language, n === 1 ? `${what}One` : `${what}Many`, { n });
}

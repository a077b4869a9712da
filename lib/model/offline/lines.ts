import type { TQuestionLanguage } from '../../relevance/language';
import { DEFAULT_UI_LANGUAGE, UI_TABLES, uiText } from '../../shared/i18n';

// The offline answer's own lines (not the quoted docs, which stay as written) in the question's language: every
// language the question detector names (lib/relevance/language.ts) has every line, so that a reader who asked in French
// reads French around the English quotes. `{name}`s are filled in by offlineLine.

export type TOfflineLines = {
  /**
   * After the lead section's name when it holds only part of the question: a few words, never a line of its own (the
   * answer starts with the section: issue 69).
   */
  lowConfidence: string;
  /** `{names}`: what the question names that the docs never mention. */
  notMentioned: string;
  closestOne: string;
  closestMany: string;
  /** A yes/no question that the docs answer no (the sentence that says so is quoted after it). */
  answerNo: string;
  /** `{where}`: a problem's thread, its number and where it stands ("#3936, since closed"). */
  reportedIn: string;
  related: string;
  /** `{queries}`: the searched queries, quoted and joined by `and`. */
  searched: string;
  and: string;
  or: string;
  /**
   * The one line of an answer whose best matches are pages about different things nearly equally: `{names}` the
   * pages (bold, joined with `or`), `{lead}` the one the answer is from; the choices are buttons under the answer.
   */
  choices: string;
  notCovered: string;
  /** `{href}`: the docs search for the last query. */
  searchAgain: string;
  youCan: string;
  /** The last words of a not-covered answer when the maintainers cannot be asked from it (HANDOFF_TO unset). */
  askAgain: string;
  /** The same when a reader can hand the question to the maintainers (HANDOFF_TO set: the answer carries the button). */
  askAgainOrHandoff: string;
  /** The last words of an answer that quotes only the closest sections (the question names what the docs never mention), when the button is there. */
  handoffIfNot: string;
};

export const OFFLINE_LINES: Record<TQuestionLanguage, TOfflineLines> = {
  en: {
    lowConfidence: '(the closest match; it may not answer all of it)',
    notMentioned: "The docs don't mention {names}.",
    closestOne: 'This is the closest section they have; it may not be what you need.',
    closestMany: 'These are the closest sections they have; it may not be what you need.',
    answerNo: 'No. The docs say:',
    reportedIn: 'A similar problem was reported on GitHub: {where}.',
    related: 'Related',
    searched: 'Searched the docs for {queries}.',
    and: 'and',
    or: 'or',
    choices: 'Your question may be about {names}: this answer is about {lead}. Choose one below to ask about it.',
    notCovered: "The docs don't cover this: nothing in them matches your question well enough to answer it.",
    searchAgain: 'You can [search the docs]({href}) with other words, or',
    youCan: 'You can',
    askAgain: 'ask again naming the component, prop or page you mean.',
    askAgainOrHandoff: 'ask again naming the component, prop or page you mean, or hand your question to the maintainers with “{button}”.',
    handoffIfNot: 'If none of this is what you need, hand your question to the maintainers with “{button}”.',
  },
  fr: {
    lowConfidence: '(la plus proche ; elle ne répond peut-être pas à tout)',
    notMentioned: 'La documentation ne mentionne pas {names}.',
    closestOne: 'Voici la section la plus proche ; ce n’est peut-être pas ce qu’il vous faut.',
    closestMany: 'Voici les sections les plus proches ; ce n’est peut-être pas ce qu’il vous faut.',
    answerNo: 'Non. La documentation dit :',
    reportedIn: 'Un problème semblable a été signalé sur GitHub : {where}.',
    related: 'Voir aussi',
    searched: 'Recherché dans la documentation : {queries}.',
    and: 'et',
    or: 'ou',
    choices: 'Votre question peut porter sur {names} : cette réponse porte sur {lead}. Choisissez-en un ci-dessous pour le demander.',
    notCovered: 'La documentation ne traite pas de ce sujet : rien n’y correspond assez à votre question pour y répondre.',
    searchAgain: 'Vous pouvez [chercher dans la documentation]({href}) avec d’autres mots, ou',
    youCan: 'Vous pouvez',
    askAgain: 'reposer la question en nommant le composant, la prop ou la page visés.',
    askAgainOrHandoff: 'reposer la question en nommant le composant, la prop ou la page visés, ou la transmettre aux mainteneurs avec « {button} ».',
    handoffIfNot: 'Si rien de cela ne vous aide, transmettez votre question aux mainteneurs avec « {button} ».',
  },
  es: {
    lowConfidence: '(la más cercana; puede que no responda a todo)',
    notMentioned: 'La documentación no menciona {names}.',
    closestOne: 'Esta es la sección más cercana; puede que no sea lo que necesitas.',
    closestMany: 'Estas son las secciones más cercanas; puede que no sean lo que necesitas.',
    answerNo: 'No. La documentación dice:',
    reportedIn: 'Un problema parecido se informó en GitHub: {where}.',
    related: 'Relacionado',
    searched: 'Se buscó en la documentación: {queries}.',
    and: 'y',
    or: 'o',
    choices: 'Tu pregunta puede referirse a {names}: esta respuesta trata de {lead}. Elige uno abajo para preguntar por él.',
    notCovered: 'La documentación no trata esto: nada en ella coincide lo bastante con tu pregunta para responderla.',
    searchAgain: 'Puedes [buscar en la documentación]({href}) con otras palabras, o',
    youCan: 'Puedes',
    askAgain: 'preguntar de nuevo nombrando el componente, la prop o la página.',
    askAgainOrHandoff: 'preguntar de nuevo nombrando el componente, la prop o la página, o pasar tu pregunta a los mantenedores con «{button}».',
    handoffIfNot: 'Si nada de esto es lo que necesitas, pasa tu pregunta a los mantenedores con «{button}».',
  },
  de: {
    lowConfidence: '(der nächstliegende; er beantwortet vielleicht nicht alles)',
    notMentioned: 'Die Dokumentation erwähnt {names} nicht.',
    closestOne: 'Dies ist der nächstliegende Abschnitt; vielleicht ist es nicht, was Sie brauchen.',
    closestMany: 'Dies sind die nächstliegenden Abschnitte; vielleicht ist es nicht, was Sie brauchen.',
    answerNo: 'Nein. Die Dokumentation sagt:',
    reportedIn: 'Ein ähnliches Problem wurde auf GitHub gemeldet: {where}.',
    related: 'Verwandt',
    searched: 'In der Dokumentation gesucht: {queries}.',
    and: 'und',
    or: 'oder',
    choices: 'Ihre Frage kann {names} betreffen: Diese Antwort handelt von {lead}. Wählen Sie unten eines, um danach zu fragen.',
    notCovered: 'Die Dokumentation behandelt das nicht: nichts darin passt gut genug zu Ihrer Frage, um sie zu beantworten.',
    searchAgain: 'Sie können [die Dokumentation durchsuchen]({href}) mit anderen Worten, oder',
    youCan: 'Sie können',
    askAgain: 'erneut fragen und die Komponente, Prop oder Seite nennen.',
    askAgainOrHandoff: 'erneut fragen und die Komponente, Prop oder Seite nennen, oder Ihre Frage mit „{button}“ an die Maintainer weitergeben.',
    handoffIfNot: 'Wenn nichts davon passt, geben Sie Ihre Frage mit „{button}“ an die Maintainer weiter.',
  },
  pt: {
    lowConfidence: '(a mais próxima; pode não responder a tudo)',
    notMentioned: 'A documentação não menciona {names}.',
    closestOne: 'Esta é a secção mais próxima; pode não ser o que precisa.',
    closestMany: 'Estas são as secções mais próximas; podem não ser o que precisa.',
    answerNo: 'Não. A documentação diz:',
    reportedIn: 'Um problema semelhante foi relatado no GitHub: {where}.',
    related: 'Relacionado',
    searched: 'Pesquisado na documentação: {queries}.',
    and: 'e',
    or: 'ou',
    choices: 'A sua pergunta pode ser sobre {names}: esta resposta é sobre {lead}. Escolha um abaixo para perguntar sobre ele.',
    notCovered: 'A documentação não cobre isto: nada nela corresponde à sua pergunta o suficiente para a responder.',
    searchAgain: 'Pode [pesquisar na documentação]({href}) com outras palavras, ou',
    youCan: 'Pode',
    askAgain: 'perguntar de novo indicando o componente, a prop ou a página.',
    askAgainOrHandoff: 'perguntar de novo indicando o componente, a prop ou a página, ou passar a sua pergunta aos mantenedores com «{button}».',
    handoffIfNot: 'Se nada disto é o que precisa, passe a sua pergunta aos mantenedores com «{button}».',
  },
  it: {
    lowConfidence: '(la più vicina; potrebbe non rispondere a tutto)',
    notMentioned: 'La documentazione non menziona {names}.',
    closestOne: 'Questa è la sezione più vicina; potrebbe non essere ciò che ti serve.',
    closestMany: 'Queste sono le sezioni più vicine; potrebbero non essere ciò che ti serve.',
    answerNo: 'No. La documentazione dice:',
    reportedIn: 'Un problema simile è stato segnalato su GitHub: {where}.',
    related: 'Correlati',
    searched: 'Cercato nella documentazione: {queries}.',
    and: 'e',
    or: 'o',
    choices: 'La tua domanda può riguardare {names}: questa risposta riguarda {lead}. Scegline uno qui sotto per chiedere di quello.',
    notCovered: 'La documentazione non tratta questo: nulla corrisponde abbastanza alla tua domanda per rispondere.',
    searchAgain: 'Puoi [cercare nella documentazione]({href}) con altre parole, oppure',
    youCan: 'Puoi',
    askAgain: 'chiedere di nuovo nominando il componente, la prop o la pagina.',
    askAgainOrHandoff: 'chiedere di nuovo nominando il componente, la prop o la pagina, oppure passare la domanda ai maintainer con «{button}».',
    handoffIfNot: 'Se niente di questo ti serve, passa la domanda ai maintainer con «{button}».',
  },
  nl: {
    lowConfidence: '(de dichtstbijzijnde; die beantwoordt misschien niet alles)',
    notMentioned: 'De documentatie noemt {names} niet.',
    closestOne: 'Dit is de sectie die het dichtst in de buurt komt; misschien is het niet wat je zoekt.',
    closestMany: 'Dit zijn de secties die het dichtst in de buurt komen; misschien is het niet wat je zoekt.',
    answerNo: 'Nee. De documentatie zegt:',
    reportedIn: 'Een vergelijkbaar probleem is op GitHub gemeld: {where}.',
    related: 'Gerelateerd',
    searched: 'In de documentatie gezocht naar {queries}.',
    and: 'en',
    or: 'of',
    choices: 'Je vraag kan over {names} gaan: dit antwoord gaat over {lead}. Kies er hieronder een om ernaar te vragen.',
    notCovered: 'De documentatie behandelt dit niet: niets erin past goed genoeg bij je vraag om die te beantwoorden.',
    searchAgain: 'Je kunt [de documentatie doorzoeken]({href}) met andere woorden, of',
    youCan: 'Je kunt',
    askAgain: 'opnieuw vragen met de naam van het component, de prop of de pagina.',
    askAgainOrHandoff: 'opnieuw vragen met de naam van het component, de prop of de pagina, of je vraag met „{button}” aan de maintainers doorgeven.',
    handoffIfNot: 'Als niets hiervan is wat je zoekt, geef je vraag dan met „{button}” aan de maintainers door.',
  },
};

/** The line `key` in `language`, `{name}`s filled in (a `$` in a value is taken literally). */
export function offlineLine(language: TQuestionLanguage, key: keyof TOfflineLines, values: Record<string, string> = {}): string {
  const filled: Record<string, string> = { button: handoffButtonLabel(language), ...values };
  return OFFLINE_LINES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => filled[name] ?? whole);
}

/**
 * "Ask the maintainers" as the reader's button says it: the panel's label in the answer's language where the panel
 * has that language (lib/shared/i18n), else in English, as the panel then shows it. The answer's language is the
 * question's, which is the panel's in the usual case of a reader asking in their browser's language.
 */
export function handoffButtonLabel(language: TQuestionLanguage): string {
  return uiText(language in UI_TABLES ? language : DEFAULT_UI_LANGUAGE, 'handoff.button');
}

import type { TQuestionLanguage } from '../../relevance/language';

// The offline answer's own lines (not the quoted docs, which stay as written) in the question's language: every
// language the question detector names (lib/relevance/language.ts) has every line, so that a reader who asked in French
// reads French around the English quotes. `{name}`s are filled in by offlineLine.

export type TOfflineLines = {
  oneSection: string;
  manySections: string;
  /** The lead answers, and the sections quoted after it are only close to the question (another page, weaker). */
  leadAnswers: string;
  /** `{names}`: what the question names that the docs never mention. */
  notMentioned: string;
  closestOne: string;
  closestMany: string;
  /** The lead holds only part of the question: what was found, not a claim that it answers. */
  foundOne: string;
  foundMany: string;
  /** A yes/no question that the docs answer no (the sentence that says so is quoted after it). */
  answerNo: string;
  /** `{where}`: a problem's thread, its number and where it stands ("#3936, since closed"). */
  reportedIn: string;
  related: string;
  /** `{queries}`: the searched queries, quoted and joined by `and`. */
  searched: string;
  and: string;
  notCovered: string;
  /** `{href}`: the docs search for the last query. */
  searchAgain: string;
  youCan: string;
  /** The last words of a not-covered answer when the maintainers cannot be asked from it (HANDOFF_TO unset). */
  askAgain: string;
  /** The same when a reader can hand the question to the maintainers (HANDOFF_TO set: the answer carries the button). */
  askAgainOrHandoff: string;
};

export const OFFLINE_LINES: Record<TQuestionLanguage, TOfflineLines> = {
  en: {
    oneSection: 'This section of the docs answers your question.',
    manySections: 'These sections of the docs answer your question.',
    leadAnswers: 'The first section below answers your question; the others are close to it.',
    notMentioned: "The docs don't mention {names}.",
    closestOne: 'This is the closest section they have; it may not be what you need.',
    closestMany: 'These are the closest sections they have; it may not be what you need.',
    foundOne: 'This is the section of the docs closest to your question; it may not answer all of it.',
    foundMany: 'These are the sections of the docs closest to your question; they may not answer all of it.',
    answerNo: 'No. The docs say:',
    reportedIn: 'A similar problem was reported on GitHub: {where}.',
    related: 'Related',
    searched: 'Searched the docs for {queries}.',
    and: 'and',
    notCovered: "The docs don't cover this: nothing in them matches your question well enough to answer it.",
    searchAgain: 'You can [search the docs]({href}) with other words, or',
    youCan: 'You can',
    askAgain: 'ask again naming the component, prop or page you mean.',
    askAgainOrHandoff: 'ask again naming the component, prop or page you mean, or hand your question to the maintainers with “Ask the maintainers”.',
  },
  fr: {
    oneSection: 'Cette section de la documentation répond à votre question.',
    manySections: 'Ces sections de la documentation répondent à votre question.',
    leadAnswers: 'La première section ci-dessous répond à votre question ; les autres s’en approchent.',
    notMentioned: 'La documentation ne mentionne pas {names}.',
    closestOne: 'Voici la section la plus proche ; ce n’est peut-être pas ce qu’il vous faut.',
    closestMany: 'Voici les sections les plus proches ; ce n’est peut-être pas ce qu’il vous faut.',
    foundOne: 'Voici la section de la documentation la plus proche de votre question ; elle n’y répond peut-être pas entièrement.',
    foundMany: 'Voici les sections de la documentation les plus proches de votre question ; elles n’y répondent peut-être pas entièrement.',
    answerNo: 'Non. La documentation dit :',
    reportedIn: 'Un problème semblable a été signalé sur GitHub : {where}.',
    related: 'Voir aussi',
    searched: 'Recherché dans la documentation : {queries}.',
    and: 'et',
    notCovered: 'La documentation ne traite pas de ce sujet : rien n’y correspond assez à votre question pour y répondre.',
    searchAgain: 'Vous pouvez [chercher dans la documentation]({href}) avec d’autres mots, ou',
    youCan: 'Vous pouvez',
    askAgain: 'reposer la question en nommant le composant, la prop ou la page visés.',
    askAgainOrHandoff: 'reposer la question en nommant le composant, la prop ou la page visés, ou la transmettre aux mainteneurs avec « Ask the maintainers ».',
  },
  es: {
    oneSection: 'Esta sección de la documentación responde a tu pregunta.',
    manySections: 'Estas secciones de la documentación responden a tu pregunta.',
    leadAnswers: 'La primera sección de abajo responde a tu pregunta; las demás se acercan a ella.',
    notMentioned: 'La documentación no menciona {names}.',
    closestOne: 'Esta es la sección más cercana; puede que no sea lo que necesitas.',
    closestMany: 'Estas son las secciones más cercanas; puede que no sean lo que necesitas.',
    foundOne: 'Esta es la sección de la documentación más cercana a tu pregunta; puede que no la responda del todo.',
    foundMany: 'Estas son las secciones de la documentación más cercanas a tu pregunta; puede que no la respondan del todo.',
    answerNo: 'No. La documentación dice:',
    reportedIn: 'Un problema parecido se informó en GitHub: {where}.',
    related: 'Relacionado',
    searched: 'Se buscó en la documentación: {queries}.',
    and: 'y',
    notCovered: 'La documentación no trata esto: nada en ella coincide lo bastante con tu pregunta para responderla.',
    searchAgain: 'Puedes [buscar en la documentación]({href}) con otras palabras, o',
    youCan: 'Puedes',
    askAgain: 'preguntar de nuevo nombrando el componente, la prop o la página.',
    askAgainOrHandoff: 'preguntar de nuevo nombrando el componente, la prop o la página, o pasar tu pregunta a los mantenedores con «Ask the maintainers».',
  },
  de: {
    oneSection: 'Dieser Abschnitt der Dokumentation beantwortet Ihre Frage.',
    manySections: 'Diese Abschnitte der Dokumentation beantworten Ihre Frage.',
    leadAnswers: 'Der erste Abschnitt unten beantwortet Ihre Frage; die anderen kommen ihr nahe.',
    notMentioned: 'Die Dokumentation erwähnt {names} nicht.',
    closestOne: 'Dies ist der nächstliegende Abschnitt; vielleicht ist es nicht, was Sie brauchen.',
    closestMany: 'Dies sind die nächstliegenden Abschnitte; vielleicht ist es nicht, was Sie brauchen.',
    foundOne: 'Dies ist der Abschnitt der Dokumentation, der Ihrer Frage am nächsten kommt; er beantwortet sie vielleicht nicht ganz.',
    foundMany: 'Dies sind die Abschnitte der Dokumentation, die Ihrer Frage am nächsten kommen; sie beantworten sie vielleicht nicht ganz.',
    answerNo: 'Nein. Die Dokumentation sagt:',
    reportedIn: 'Ein ähnliches Problem wurde auf GitHub gemeldet: {where}.',
    related: 'Verwandt',
    searched: 'In der Dokumentation gesucht: {queries}.',
    and: 'und',
    notCovered: 'Die Dokumentation behandelt das nicht: nichts darin passt gut genug zu Ihrer Frage, um sie zu beantworten.',
    searchAgain: 'Sie können [die Dokumentation durchsuchen]({href}) mit anderen Worten, oder',
    youCan: 'Sie können',
    askAgain: 'erneut fragen und die Komponente, Prop oder Seite nennen.',
    askAgainOrHandoff: 'erneut fragen und die Komponente, Prop oder Seite nennen, oder Ihre Frage mit „Ask the maintainers“ an die Maintainer weitergeben.',
  },
  pt: {
    oneSection: 'Esta secção da documentação responde à sua pergunta.',
    manySections: 'Estas secções da documentação respondem à sua pergunta.',
    leadAnswers: 'A primeira secção abaixo responde à sua pergunta; as outras aproximam-se dela.',
    notMentioned: 'A documentação não menciona {names}.',
    closestOne: 'Esta é a secção mais próxima; pode não ser o que precisa.',
    closestMany: 'Estas são as secções mais próximas; podem não ser o que precisa.',
    foundOne: 'Esta é a secção da documentação mais próxima da sua pergunta; pode não responder a tudo.',
    foundMany: 'Estas são as secções da documentação mais próximas da sua pergunta; podem não responder a tudo.',
    answerNo: 'Não. A documentação diz:',
    reportedIn: 'Um problema semelhante foi relatado no GitHub: {where}.',
    related: 'Relacionado',
    searched: 'Pesquisado na documentação: {queries}.',
    and: 'e',
    notCovered: 'A documentação não cobre isto: nada nela corresponde à sua pergunta o suficiente para a responder.',
    searchAgain: 'Pode [pesquisar na documentação]({href}) com outras palavras, ou',
    youCan: 'Pode',
    askAgain: 'perguntar de novo indicando o componente, a prop ou a página.',
    askAgainOrHandoff: 'perguntar de novo indicando o componente, a prop ou a página, ou passar a sua pergunta aos mantenedores com «Ask the maintainers».',
  },
  it: {
    oneSection: 'Questa sezione della documentazione risponde alla tua domanda.',
    manySections: 'Queste sezioni della documentazione rispondono alla tua domanda.',
    leadAnswers: 'La prima sezione qui sotto risponde alla tua domanda; le altre ci si avvicinano.',
    notMentioned: 'La documentazione non menziona {names}.',
    closestOne: 'Questa è la sezione più vicina; potrebbe non essere ciò che ti serve.',
    closestMany: 'Queste sono le sezioni più vicine; potrebbero non essere ciò che ti serve.',
    foundOne: 'Questa è la sezione della documentazione più vicina alla tua domanda; potrebbe non rispondere a tutto.',
    foundMany: 'Queste sono le sezioni della documentazione più vicine alla tua domanda; potrebbero non rispondere a tutto.',
    answerNo: 'No. La documentazione dice:',
    reportedIn: 'Un problema simile è stato segnalato su GitHub: {where}.',
    related: 'Correlati',
    searched: 'Cercato nella documentazione: {queries}.',
    and: 'e',
    notCovered: 'La documentazione non tratta questo: nulla corrisponde abbastanza alla tua domanda per rispondere.',
    searchAgain: 'Puoi [cercare nella documentazione]({href}) con altre parole, oppure',
    youCan: 'Puoi',
    askAgain: 'chiedere di nuovo nominando il componente, la prop o la pagina.',
    askAgainOrHandoff: 'chiedere di nuovo nominando il componente, la prop o la pagina, oppure passare la domanda ai maintainer con «Ask the maintainers».',
  },
  nl: {
    oneSection: 'Deze sectie van de documentatie beantwoordt je vraag.',
    manySections: 'Deze secties van de documentatie beantwoorden je vraag.',
    leadAnswers: 'De eerste sectie hieronder beantwoordt je vraag; de andere komen er dicht bij.',
    notMentioned: 'De documentatie noemt {names} niet.',
    closestOne: 'Dit is de sectie die het dichtst in de buurt komt; misschien is het niet wat je zoekt.',
    closestMany: 'Dit zijn de secties die het dichtst in de buurt komen; misschien is het niet wat je zoekt.',
    foundOne: 'Dit is de sectie van de documentatie die het dichtst bij je vraag komt; misschien beantwoordt die niet alles.',
    foundMany: 'Dit zijn de secties van de documentatie die het dichtst bij je vraag komen; misschien beantwoorden die niet alles.',
    answerNo: 'Nee. De documentatie zegt:',
    reportedIn: 'Een vergelijkbaar probleem is op GitHub gemeld: {where}.',
    related: 'Gerelateerd',
    searched: 'In de documentatie gezocht naar {queries}.',
    and: 'en',
    notCovered: 'De documentatie behandelt dit niet: niets erin past goed genoeg bij je vraag om die te beantwoorden.',
    searchAgain: 'Je kunt [de documentatie doorzoeken]({href}) met andere woorden, of',
    youCan: 'Je kunt',
    askAgain: 'opnieuw vragen met de naam van het component, de prop of de pagina.',
    askAgainOrHandoff: 'opnieuw vragen met de naam van het component, de prop of de pagina, of je vraag met „Ask the maintainers” aan de maintainers doorgeven.',
  },
};

/** The line `key` in `language`, `{name}`s filled in (a `$` in a value is taken literally). */
export function offlineLine(language: TQuestionLanguage, key: keyof TOfflineLines, values: Record<string, string> = {}): string {
  return OFFLINE_LINES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

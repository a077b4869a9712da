// What the offline model searches for: a reader's question as one or two docs searches. Pure text: the same
// question (and previous question) gives the same searches.

// A long question is searched twice: whole, and by its opening sentence. Readers write the way they file an
// issue: what is wrong or wanted first ("Tooltip on a disabled button doesn't show tooltip."), then context,
// steps and versions whose words pull the search toward other pages (Button, for that one). The opening alone
// finds the subject; the whole question keeps what only the details say. On the real reader questions
// (evals/paste-real.json) the section an answer leads with moved from 18 to 22 of 36 on a right page; the
// hand-written one-sentence questions are searched once, as before.
const LONG_QUESTION_WORDS = 12;
const MIN_OPENING_WORDS = 2;

/**
 * The question's opening sentence when the question goes on after it: up to the first . ! or ? before a capital
 * (or a digit, quote or code), or the first colon before more words ("Dependency issue: when I install…").
 */
export function openingSentence(question: string): string | undefined {
  // A report pasted from its template's first heading on ("### Description", "**Describe the bug**") opens with the
  // text under it: a heading names a part of the report, never what is wrong. Markdown's own marks, no template's words.
  const body = question.trim().replace(/^(?:[ \t]*(?:#{1,6}[ \t][^\n]*|\*\*[^*\n]+\*\*:?|__[^_\n]+__:?)[ \t]*(?:\n|$)\s*)+/, '');
  if (body === '') return undefined;
  // A report pasted as it was filed opens with its title on a line of its own: the opening ends with that line, never
  // running into the template's first heading ("… in Firefox ### Description In Firefox, …").
  const lines = body.split(/\n/);
  const title = lines[0]!.trim();
  if (lines.length > 1 && (title.match(/[\p{L}\p{N}]+/gu) ?? []).length >= MIN_OPENING_WORDS && (body.match(/\S+/g) ?? []).length >= LONG_QUESTION_WORDS) {
    const end = title.search(/[.!?](?=\s+[\p{Lu}\p{N}"“'`(<@])/u);
    return end < 0 ? title : title.slice(0, end + 1);
  }
  const text = body.replace(/\s+/g, ' ').trim();
  if ((text.match(/\S+/g) ?? []).length < LONG_QUESTION_WORDS) return undefined;
  const end = text.search(/(?:[.!?](?=\s+[\p{Lu}\p{N}"“'`(<@])|:(?=\s+\S))/u);
  if (end < 0) return undefined;
  // A sentence keeps its mark; a title's colon is dropped ("Dependency issue: when…" searches "Dependency issue").
  const opening = text.slice(0, text[end] === ':' ? end : end + 1).trim();
  const rest = text.slice(end + 1).trim();
  if (rest === '' || (opening.match(/[\p{L}\p{N}]+/gu) ?? []).length < MIN_OPENING_WORDS) return undefined;
  return opening;
}

/**
 * The searches the offline model asks for: the question (with a follow-up's context), and a long question's
 * opening — unless the question follows up on an earlier one, whose opening ("It still shows the old value.")
 * means nothing without that context.
 */
export function searchQueriesFor(question: string, previousQuestion?: string): string[] {
  const whole = searchQueryFor(question, previousQuestion);
  const opening = whole === question ? openingSentence(question) : undefined;
  return opening && opening !== whole ? [whole, opening] : [whole];
}

// Follow-ups. "and how do I make it disappear on its own?" asked after "How do I show a toast?" is about
// toasts: a question that is short, or opens with a pronoun or a joining word, is searched together with the
// key words of the reader's previous question.
const FOLLOW_UP_OPENERS = new Set(['it', 'its', 'this', 'that', 'these', 'those', 'they', 'them', 'their', 'and', 'but', 'also', 'so', 'or', 'then']);
const SHORT_QUESTION_WORDS = 5;
const FOLDED_TERMS = 6;
const COMMON_WORDS = new Set(
  ('a an the and or but so if then than of in on at to for from by with without about into over under as is are was were be been being ' +
    'do does did done have has had can could should would will shall may might must i me my we our you your it its this that these those ' +
    'they them their he she his her what which who whom whose when where why how there here not no yes all any some each every more most ' +
    'other such only own same just also very too again once get got make made use using used want need like way show tell please thanks').split(' '),
);

export function isFollowUp(question: string): boolean {
  const words = question.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
  if (words.length === 0) return false;
  if (words.length <= SHORT_QUESTION_WORDS) return true;
  if (FOLLOW_UP_OPENERS.has(words[0] as string)) return true;
  return /^(what|how) about\b/i.test(question.trim());
}

/** What the offline model searches for: the question, with the previous question's key words for a follow-up. */
export function searchQueryFor(question: string, previousQuestion?: string): string {
  if (!previousQuestion || !isFollowUp(question)) return question;
  const asked = new Set((question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  const keyTerms: string[] = [];
  for (const word of previousQuestion.match(/[\p{L}\p{N}][\p{L}\p{N}._@/-]*/gu) ?? []) {
    const lower = word.toLowerCase();
    if (COMMON_WORDS.has(lower) || lower.length < 3 || asked.has(lower) || keyTerms.some((term) => term.toLowerCase() === lower)) continue;
    keyTerms.push(word);
    if (keyTerms.length === FOLDED_TERMS) break;
  }
  return keyTerms.length === 0 ? question : `${question} ${keyTerms.join(' ')}`;
}

/** The most of a quote a search carries: its opening words name the subject; a whole code block would drown the question. */
const QUOTE_SEARCH_CHARS = 300;

/**
 * A question about a quote ("Ask about this") as one search: the question, then the quote's opening, cut at a word
 * and with code's punctuation runs and whitespace folded.
 */
export function questionWithQuote(question: string, quote: string): string {
  const folded = quote.replace(/\s+/g, ' ').trim();
  const cut = folded.length <= QUOTE_SEARCH_CHARS ? folded : folded.slice(0, QUOTE_SEARCH_CHARS).replace(/\s+\S*$/, '');
  return `${question.trim()} ${cut}`.trim();
}

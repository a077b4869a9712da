import { isLiveSection, type TRankIndex } from './build';
import { tokenize } from './text';

// Whether a question is asked of the code (issue 70: code beside the docs). A source file's section may take one of the
// first results ahead of the docs only for such a question (rank.ts, capThreads with mayLead), or when it outscores the
// docs by a clear margin (weights.ts codeLead). A reader who asks of the docs in words ("a few buttons stuck together
// side by side") was given the source files that share those words (SidePanelButton.tsx) in the places of the docs page
// that answers; one who asks of the code names what the code defines, as the code writes it ("the Toaster",
// `dismissAfter`, `Theme.Provider`), or asks what it does when nothing is set. The names are read from the index only
// (its code's own symbols and words), never from a list.

/** Per index, the names its source files define (their symbols' names and exports, as written): worked out once. */
const definedByIndex = new WeakMap<TRankIndex, Set<string>>();

function definedNames(index: TRankIndex): Set<string> {
  let names = definedByIndex.get(index);
  if (names) return names;
  names = new Set();
  index.sections.forEach((section, at) => {
    if (!isLiveSection(index, at) || !index.pages[index.sectionPage[at]!]?.isCode) return;
    // A long symbol is split into parts ("SliderProps (part 2)", code/page.ts): its name is the part before.
    names.add(section.heading.replace(/ \(part \d+\)$/, ''));
    for (const name of section.meta?.code?.exports ?? []) names.add(name);
  });
  definedByIndex.set(index, names);
  return names;
}

/** Whether a source file's section has the term (by stem): the code writes the word. */
function isInCode(index: TRankIndex, stem: string): boolean {
  const list = index.postings.get(stem);
  if (!list) return false;
  for (const section of list.sections) if (isLiveSection(index, section) && index.pages[index.sectionPage[section]!]?.isCode) return true;
  return false;
}

/**
 * A question about what happens when nothing is set ("by default", "out of the box", "if I don't set anything"): the
 * value the code gives, which the docs often do not write down. English only, as the rest of the question's reading.
 */
const ASKS_FOR_A_DEFAULT = /\bby default\b|\bdefault (?:value|values|is|to)\b|\bout of the box\b|\bif (?:I|you|we) (?:don'?t|do not|didn'?t) (?:set|give|pass|specify)\b/i;

// A question about what the product does, asked of the product and not of the reader: "how long does a toast stay
// up", "does the Combobox render in a portal", "which library makes the TextArea grow", "…, why?". The docs answer
// the reader's own doing ("how do I…", "should I…", "can we…") and describe things ("a dropdown where you can type");
// the code answers what a thing does, in plain words as often as by name. A clause that opens with a question word
// (what, which, why, where, who, how long/fast/tall/…) whose subject is not the reader, or with an auxiliary whose
// subject is not the reader ("is the…", "does a…", "will a Paste Button…"). "when" opens a clause only as a question
// ("when do the buttons disappear?"), not as a condition ("when I click…"). English only, as ASKS_FOR_A_DEFAULT.
const AUXILIARY = String.raw`(?:does|do|did|is|are|was|were|will|would|can|could|should|has|have)(?:n't|n’t)?`;
const READER = String.raw`(?:i|we|you)\b`;
const QUESTION_WORD = String.raw`(?:what|which|why|where|who|how\s+(?:long|fast|slow|soon|often|tall|wide|high|big|large|small|many|much))\b`;
const ASKS_OF_THE_PRODUCT = [
  // A question word, unless the reader is the subject of its auxiliary ("what should I use").
  new RegExp(String.raw`^${QUESTION_WORD}(?!(?:\s+\S+){0,4}?\s+${AUXILIARY}\s+${READER})`, 'i'),
  // "when" and an auxiliary with another subject than the reader.
  new RegExp(String.raw`^when(?:\s+\S+){0,4}?\s+${AUXILIARY}\s+(?!${READER})\S`, 'i'),
  // A yes/no question about something else than the reader.
  new RegExp(String.raw`^${AUXILIARY}\s+(?!${READER})\S`, 'i'),
];

/** Whether a clause of the question asks what the product does (above). */
export function asksOfTheProduct(query: string): boolean {
  return query
    .split(/[?!.;:](?:\s+|$)|,\s+|\n+/)
    .some((clause) => ASKS_OF_THE_PRODUCT.some((pattern) => pattern.test(clause.trim())));
}

/**
 * The question is asked of the code: it asks for a default (above), what the product does (above), or names something the indexed code defines,
 * written as the code writes it: a name with a capital letter that is a symbol's or an export's (`Toaster`, `Button`;
 * a dotted name by any of its parts: `Theme.Provider`), or a word written as code (camelCase, dotted, `@scope/…`:
 * text.ts) that a source file has whole (`dismissAfter`). Case counts: "button" is a word of the docs, "Button" the
 * component. A word written as code that no source file has is another product's name (a CSS class of another app, a
 * path: "Account/Project"), not a question of this code. False on an index without code.
 */
export function isAskedOfCode(index: TRankIndex, query: string): boolean {
  const defined = definedNames(index);
  if (defined.size === 0) return false;
  if (ASKS_FOR_A_DEFAULT.test(query) || asksOfTheProduct(query)) return true;
  for (const word of query.match(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g) ?? []) {
    if (!/[A-Z]/.test(word)) continue;
    if (defined.has(word) || word.split('.').some((part) => /[A-Z]/.test(part) && defined.has(part))) return true;
  }
  // A code word's whole form comes first among its tokens (its parts share its position): only the whole is asked about.
  const tokens = tokenize(query);
  return tokens.some((token, at) => token.isCode && (at === 0 || tokens[at - 1]!.position !== token.position) && isInCode(index, token.stem));
}

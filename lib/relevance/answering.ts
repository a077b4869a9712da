import { splitCode } from './section-shape';
import { stem } from './stem';

// Which of a search's sections answers a question, by its text: the section whose heading and one sentence hold the
// most of what the question asks, each word weighted by how few of the other sections have it (a word every result
// has, the component's name, tells them apart no more than "the"). The search ranks pages; this picks, among what it
// found, the sentence that answers, as a reader skimming the results would. Also whether a yes/no question is
// answered "no" by that sentence ("Do not place tooltips on … disabled components"). Pure: general English only.

/** English function words and question words: they say how a question is asked, not what about. */
const FUNCTION_WORDS = new Set(
  ('a an the and or but so if then than of in on at to for from by with without about into over under as is are was were be been being am ' +
    'do does did done doing have has had can could should would will shall may might must i me my we our us you your it its this that these ' +
    'those they them their he she his her what which who whom whose when where why how there here not no yes all any some each every more most ' +
    'other such only own same just also very too again once get gets got make makes made use uses using used want wants need needs like way ' +
    'please thanks thank hi hello anyone someone something thing things possible able ok okay bug bugs issue issues problem expected ' +
    'behavior behaviour actual work works working happen happens').split(' '),
);

/** A text's words in order, camelCase split and lower-cased, every one kept (contentTerms drops some). */
function wordsOf(text: string): string[] {
  return text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2').toLowerCase().match(/\p{L}[\p{L}\p{N}]*/gu) ?? [];
}

/** Whether a word says what a text is about: longer than a letter, and no function word. */
const isContentWord = (word: string) => word.length > 1 && !FUNCTION_WORDS.has(word);

/** A text's words as they are compared: camelCase split, lower-cased, stemmed; function words dropped. */
export function contentTerms(text: string): string[] {
  return wordsOf(text).filter(isContentWord).map((word) => stem(word));
}

/** A question's term matches a text's term when their stems agree, or one starts the other ("auto", "automatic"). */
const PREFIX_CHARS = 4;
function matches(term: string, terms: ReadonlySet<string>): boolean {
  if (terms.has(term)) return true;
  if (term.length < PREFIX_CHARS) return false;
  for (const other of terms) if (other.length >= PREFIX_CHARS && (other.startsWith(term) || term.startsWith(other))) return true;
  return false;
}

/** A section's sentences: its prose cut at sentence ends, list items and lines (code left out: it is not said). */
export function sentencesOf(content: string): string[] {
  const { prose } = splitCode(content);
  return prose
    .replace(/<[^>]+>/g, ' ')
    .split(/\n+|(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“'`(*[])/u)
    .map((sentence) => sentence.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').replace(/\s+/g, ' ').trim())
    .filter((sentence) => /\p{L}{2,}/u.test(sentence));
}

export type TSectionText = { title: string; heading: string; content: string };

export type TAnswerMatch = {
  /** The share of the question's weighted terms the section's heading and its best sentence hold together (0 to 1). */
  coverage: number;
  /** The sentence that holds the most of the question ('' when none holds any of it). */
  sentence: string;
  /** The share of the question's weighted terms that sentence holds alone. */
  sentenceCoverage: number;
  /** The share the section's heading and its page's title hold: a section whose heading names what is asked is about it. */
  headingCoverage: number;
  /**
   * The share of the sentence's among the question's terms that some section holds: whether the sentence speaks to what
   * the docs can be asked about ("put" in "Can I put a tooltip on…" is in no section, and says nothing either way).
   */
  sentenceHeldCoverage: number;
  /**
   * The sentence that says not to (isProhibition) holding the most of the question's terms that some section holds, by
   * count ('' when none): the answer to a yes/no question. Counted, not weighed: a light verb only one section happens to
   * use ("put") must not outweigh the things asked about (a tooltip, a disabled button).
   */
  prohibition: string;
  /** The share of those terms the prohibition holds. */
  prohibitionShare: number;
};

/**
 * How well each of `sections` answers `question` (in their order). A term weighs log(1 + n / df): n sections, df of
 * them holding the term anywhere (title, heading, text); a term none holds weighs as much as one that only one holds:
 * what the question asks that no section says makes every section a weaker answer.
 */
export function answerMatches(question: string, sections: TSectionText[]): TAnswerMatch[] {
  const asked = [...new Set(contentTerms(question))];
  const terms = withOpenCompounds(question);
  const texts = sections.map((section) => ({
    all: terms(`${section.title} ${section.heading} ${section.content}`),
    heading: terms(`${section.heading === section.title ? '' : section.heading}`),
    title: terms(section.title),
    sentences: sentencesOf(section.content).map((sentence) => ({ sentence, terms: terms(sentence) })),
  }));
  const count = Math.max(sections.length, 1);
  const weight = new Map(
    asked.map((term) => {
      const df = texts.filter((text) => matches(term, text.all)).length;
      return [term, Math.log(1 + count / Math.max(df, 1))];
    }),
  );
  const total = [...weight.values()].reduce((sum, value) => sum + value, 0);
  const held = asked.filter((term) => texts.some((text) => matches(term, text.all)));
  const heldTotal = held.reduce((sum, term) => sum + (weight.get(term) ?? 0), 0);
  return texts.map((text) => {
    if (total === 0) return { coverage: 0, sentence: '', sentenceCoverage: 0, headingCoverage: 0, sentenceHeldCoverage: 0, prohibition: '', prohibitionShare: 0 };
    const named = (terms: ReadonlySet<string>) => new Set(asked.filter((term) => matches(term, terms)));
    const inHeading = named(new Set([...text.heading, ...text.title]));
    let best = { sentence: '', held: new Set<string>(), covered: 0 };
    let prohibition = { sentence: '', share: 0, covered: 0 };
    for (const { sentence, terms } of text.sentences) {
      const holds = named(terms);
      const covered = sum(holds, weight);
      if (covered > best.covered) best = { sentence, held: holds, covered };
      const share = held.length === 0 ? 0 : held.filter((term) => holds.has(term)).length / held.length;
      if (isProhibition(sentence) && (share > prohibition.share || (share === prohibition.share && covered > prohibition.covered))) prohibition = { sentence, share, covered };
    }
    const together = new Set([...inHeading, ...best.held]);
    return { coverage: sum(together, weight) / total, sentence: best.sentence, sentenceCoverage: best.covered / total, headingCoverage: sum(inHeading, weight) / total, sentenceHeldCoverage: heldTotal === 0 ? 0 : best.covered / heldTotal,
      prohibition: prohibition.sentence,
      prohibitionShare: prohibition.share,
    };
  });
}

/**
 * A text's terms (contentTerms), with the two words of a compound the question writes open where the text writes it
 * closed: "check box" is held by a text that says "checkbox" (as the ranker's closedCompounds finds the page), not
 * only by one that says "check the props" of a Box.
 */
function withOpenCompounds(question: string): (text: string) => Set<string> {
  // Adjacent in the question as written: "check the box" is no compound.
  const words = wordsOf(question);
  const pairs: [string, string, string][] = [];
  for (let at = 0; at + 1 < words.length; at += 1) {
    const [first, second] = [words[at]!, words[at + 1]!];
    if (isContentWord(first) && isContentWord(second)) pairs.push([stem(first), stem(second), stem(first + second)]);
  }
  return (text) => {
    const found = new Set(contentTerms(text));
    for (const [first, second, joined] of pairs) if (found.has(joined)) found.add(first).add(second);
    return found;
  };
}

function sum(terms: ReadonlySet<string>, weight: Map<string, number>): number {
  let total = 0;
  for (const term of terms) total += weight.get(term) ?? 0;
  return total;
}

/**
 * A question that asks yes or no: it opens with an auxiliary verb ("Can I put a tooltip on a disabled button?", "Should
 * I…", "Is it OK to…", "Does Paste support…"), and is not a how-to ("Can you show me how…" asks for steps).
 */
export function isYesNoQuestion(question: string): boolean {
  const text = question.trim();
  if (!/\?\s*$/.test(text.split('\n')[0] ?? '') && !/\?\s*$/.test(text)) return false;
  return /^\W*(?:can|could|may|might|should|shall|must|is|are|am|was|were|do|does|did|will|would|has|have)\b(?!\s+(?:you|someone|anyone)\s+(?:show|tell|explain|give)\b)/i.test(
    text,
  );
}

/** A sentence that tells a reader not to do something, or that it cannot be done. */
const PROHIBITION = /\b(?:do not|don[’']t|does not|doesn[’']t|avoid(?:s|ed|ing)?|never|cannot|can[’']t|can not|should not|shouldn[’']t|must not|mustn[’']t|isn[’']t (?:possible|supported|allowed|focusable)|is not (?:possible|supported|allowed|focusable)|not (?:supported|allowed|recommended))\b/i;

export function isProhibition(sentence: string): boolean {
  return PROHIBITION.test(sentence);
}

import type { TInputItem, TModelResponse, TPassage, TPassagesOutput } from '../types';
import { composeAnswer, fuseRankings, notCoveredAnswer } from './answer';
import { withLanguageNote } from './language-note';
import { detectQuestionLanguage } from '../../relevance/language';
import { questionWithQuote, searchQueriesFor } from './queries';
import { contentTerms } from '../../relevance/answering';
import { isProblemQuestion } from '../../relevance/problem';
import { PUBLIC_SOURCE_KINDS } from '../../shared/docs';

// One turn of the offline model: before the docs searches, it asks for them (the question's searches,
// queries.ts); after them, it answers from their results (answer.ts). It reads the conversation as any model
// does, through its input items; it never calls the search itself.

/** The answer to a run without a question; it names the maintainers only when a reader can hand it to them. */
export function offlineNoMatchText({ isHandoffOn }: { isHandoffOn: boolean }): string {
  return (
    "The docs don't cover this: nothing in them matches your question. Ask again naming the component, prop or page you mean" +
    (isHandoffOn ? ', or hand your question to the maintainers with “Ask the maintainers”.' : '.')
  );
}

/**
 * What the offline model says to a run that does not offer it the docs search (a /v1 assistant's own tools). It names
 * no tool (this layer knows none by name): the Assistants API guide names the one a client offers.
 */
export const OFFLINE_NO_DOCS_TOOL_TEXT =
  'This server runs the offline model, which answers only from the docs, through the docs search tool of the ' +
  'Assistants API guide ("With the offline model"); this run offers no such tool. Configure a model (OPENAI_API_KEY ' +
  'or OPENAI_BASE_URL) for other assistants.';

/**
 * `searchTool`: the name of the tool the run offers that declares the role 'search' (null: none), which the offline
 * model calls with {"prompt"} (lib/model/types.ts, TToolDeclaration).
 * `isHandoffOn`: a reader can hand the question to the maintainers (HANDOFF_TO set), so a not-covered answer may say so.
 */
export function respondOffline(input: TInputItem[], searchTool: string | null, { isHandoffOn = false }: { isHandoffOn?: boolean } = {}): TModelResponse {
  const questionIndex = findLastIndex(input, (item) => item.type === 'message' && item.role === 'user');
  const question = input[questionIndex];
  if (!question || question.type !== 'message') {
    return { output: { type: 'message', text: offlineNoMatchText({ isHandoffOn }), metadata: { offline: true, no_docs_match: true } } };
  }
  const afterQuestion = input.slice(questionIndex + 1);
  const outputs = afterQuestion.filter((item) => item.type === 'function_call_output');
  if (outputs.length === 0) {
    if (searchTool === null) return { output: { type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT, metadata: { offline: true } } };
    const previous = findLast(input.slice(0, questionIndex), (item) => item.type === 'message' && item.role === 'user');
    // A question about a quote ("What does this mean?") is searched with the quote's words: they name the subject.
    const prompts = question.quote
      ? [questionWithQuote(question.content, question.quote.text)]
      : searchQueriesFor(question.content, previous?.type === 'message' ? previous.content : undefined);
    return {
      output: {
        type: 'tool_calls',
        calls: prompts.map((prompt, index) => ({ call_id: `call_offline_${index}`, name: searchTool, arguments: JSON.stringify({ prompt }) })),
      },
    };
  }
  const parsed = outputs.map((item) => parseOutput(item.output));
  const isFeedbackAsked = afterQuestion.some((item) => item.type === 'function_call' && item.call_id.startsWith(FEEDBACK_CALL_ID));
  const feedback = feedbackWords(question.content, parsed);
  // One more search, once: a problem's thread names it in the project's words, and the docs section that answers uses them.
  if (!isFeedbackAsked && searchTool !== null && feedback) {
    const prompt = `${feedback.subject} ${feedback.words}`;
    return {
      output: {
        type: 'tool_calls',
        calls: [{ call_id: `${FEEDBACK_CALL_ID}0`, name: searchTool, arguments: JSON.stringify({ prompt, sources: DOCS_KINDS }) }],
      },
    };
  }
  const searched = parsed.map((output) => output.query).filter((query) => query !== '');
  const isWeak = parsed.every((output) => output.isWeak || output.results.length === 0);
  // The docs are quoted in English; a reader who asked in another language is told so in theirs (language-note.ts).
  const { language } = detectQuestionLanguage(question.content);
  if (isWeak) return { output: withLanguageNote(notCoveredAnswer(searched, language, { isHandoffOn }), question.content) };
  const absentNames = [...new Set(parsed.flatMap((output) => output.absentNames))];
  const answer = composeAnswer({
    results: fuseRankings(parsed.map((output) => output.results)),
    searched,
    // The sections are matched against the quote too: the question alone may say no more than "explain this".
    question: question.quote ? questionWithQuote(question.content, question.quote.text) : question.content,
    asked: question.content,
    absentNames,
    feedback: feedback?.words ?? '',
    language,
    isHandoffOn,
  });
  return { output: withLanguageNote(answer, question.content) };
}

/** The feedback search's call id: the model asks it once, after the question's own searches. */
const FEEDBACK_CALL_ID = 'call_offline_feedback_';
/** The feedback search looks in the docs' own kinds: the thread that gave the words is already among the results. */
const DOCS_KINDS = PUBLIC_SOURCE_KINDS.filter((kind) => kind !== 'thread');

/**
 * Relevance feedback for a problem ("Toasts do not close by themselves, is this a bug?"): when the question's searches
 * found a thread beside the docs, the thread's title names the same problem in the words of someone who knew the
 * component ("Toast should auto dismiss closed"), and the docs section that answers uses those words (Automatic
 * dismissal, `dismissAfter`). The title's words the question lacks, with the best docs result's page title as the
 * subject, are searched once more; the answer matches sections against the question and those words. Null for a
 * question that is no problem, or results without a thread, a docs section or new words.
 */
export function feedbackWords(question: string, parsed: TParsedOutput[]): { subject: string; words: string } | null {
  if (!isProblemQuestion(question)) return null;
  const results = fuseRankings(parsed.map((output) => output.results));
  const thread = results.find((result) => result.kind === 'thread');
  const docs = results.find((result) => result.kind !== 'thread' && result.kind !== 'answer');
  if (!thread || !docs) return null;
  const asked = new Set(contentTerms(`${question} ${docs.title}`));
  const words = (thread.title.match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? []).filter((word) => {
    const terms = contentTerms(word);
    return terms.length > 0 && terms.every((term) => !asked.has(term));
  });
  const unique = [...new Set(words)];
  return unique.length === 0 ? null : { subject: docs.title, words: unique.join(' ') };
}

type TParsedOutput = { query: string; results: TPassage[]; isWeak: boolean; absentNames: string[] };

function parseOutput(output: string): TParsedOutput {
  const none = { query: '', results: [], isWeak: true, absentNames: [] };
  try {
    const parsed = JSON.parse(output) as TPassagesOutput;
    if (!('results' in parsed) || !Array.isArray(parsed.results)) return none;
    return {
      query: typeof parsed.query === 'string' ? parsed.query : '',
      results: parsed.results,
      isWeak: parsed.evidence === 'weak',
      absentNames: Array.isArray(parsed.not_in_docs) ? parsed.not_in_docs.filter((name) => typeof name === 'string') : [],
    };
  } catch {
    return none;
  }
}

function findLast<T>(items: T[], predicate: (item: T) => boolean): T | undefined {
  const index = findLastIndex(items, predicate);
  return index < 0 ? undefined : items[index];
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (predicate(items[index] as T)) return index;
  }
  return -1;
}

import { GET_RELEVANT_DOCS, type TDocsToolOutput, type TDocsToolResult, type TInputItem, type TModelResponse } from '../types';
import { composeAnswer, fuseRankings, notCoveredAnswer } from './answer';
import { withLanguageNote } from './language-note';
import { detectQuestionLanguage } from '../../relevance/language';
import { searchQueriesFor } from './queries';

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

/** What the offline model says to a run that does not offer it the docs search (a /v1 assistant's own tools). */
export const OFFLINE_NO_DOCS_TOOL_TEXT =
  'This server runs the offline model, which answers only from the docs, through a get_relevant_docs tool; this ' +
  'run offers no such tool. Configure a model (OPENAI_API_KEY or OPENAI_BASE_URL) for other assistants.';

/** `isHandoffOn`: a reader can hand the question to the maintainers (HANDOFF_TO set), so a not-covered answer may say so. */
export function respondOffline(input: TInputItem[], hasDocsTool: boolean, { isHandoffOn = false }: { isHandoffOn?: boolean } = {}): TModelResponse {
  const questionIndex = findLastIndex(input, (item) => item.type === 'message' && item.role === 'user');
  const question = input[questionIndex];
  if (!question || question.type !== 'message') {
    return { output: { type: 'message', text: offlineNoMatchText({ isHandoffOn }), metadata: { offline: true, no_docs_match: true } } };
  }
  const afterQuestion = input.slice(questionIndex + 1);
  const outputs = afterQuestion.filter((item) => item.type === 'function_call_output');
  if (outputs.length === 0) {
    if (!hasDocsTool) return { output: { type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT, metadata: { offline: true } } };
    const previous = findLast(input.slice(0, questionIndex), (item) => item.type === 'message' && item.role === 'user');
    const prompts = searchQueriesFor(question.content, previous?.type === 'message' ? previous.content : undefined);
    return {
      output: {
        type: 'tool_calls',
        calls: prompts.map((prompt, index) => ({ call_id: `call_offline_${index}`, name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt }) })),
      },
    };
  }
  const parsed = outputs.map((item) => parseOutput(item.output));
  const searched = parsed.map((output) => output.query).filter((query) => query !== '');
  const isWeak = parsed.every((output) => output.isWeak || output.results.length === 0);
  // The docs are quoted in English; a reader who asked in another language is told so in theirs (language-note.ts).
  const { language } = detectQuestionLanguage(question.content);
  if (isWeak) return { output: withLanguageNote(notCoveredAnswer(searched, language, { isHandoffOn }), question.content) };
  const absentNames = [...new Set(parsed.flatMap((output) => output.absentNames))];
  const answer = composeAnswer({ results: fuseRankings(parsed.map((output) => output.results)), searched, question: question.content, absentNames, language, isHandoffOn });
  return { output: withLanguageNote(answer, question.content) };
}

type TParsedOutput = { query: string; results: TDocsToolResult[]; isWeak: boolean; absentNames: string[] };

function parseOutput(output: string): TParsedOutput {
  const none = { query: '', results: [], isWeak: true, absentNames: [] };
  try {
    const parsed = JSON.parse(output) as TDocsToolOutput;
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

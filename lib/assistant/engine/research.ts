import type { TRunRow, TTextAnnotation, TToolRound } from '../../db/rows';
import type { TResearchBudget, TToolDefinition } from '../../model/types';
import { isResearchRun } from '../../shared/runs';
import { READ_FILE, READ_PAGE } from '../tools';
import type { TResearchConfig } from './settings';
import { secondsSince } from './state';

// A research run's bounds (issue 71), read off the run as each step starts: the rounds of tool calls it has left
// (its max_tool_rounds is RESEARCH_MAX_STEPS − 1: the last step answers), the seconds since it was queued
// (RESEARCH_MAX_SECONDS) and the tokens it has spent (RESEARCH_MAX_TOKENS). Once one runs out, the step is offered no
// tools and told to answer from what the run holds and say which bound stopped it, so a research run never ends
// `incomplete` for want of rounds. Pure: the same run at the same time gives the same budget; a run resumed after a
// restart reads its bounds off what it recorded.

/** The budget of a step of `run`; undefined for a run that is no research run. */
export function researchBudget(
  run: Pick<TRunRow, 'options' | 'metadata' | 'tool_rounds' | 'max_tool_rounds' | 'created_at' | 'usage'>,
  config: TResearchConfig,
): TResearchBudget | undefined {
  if (!isResearchRun(run)) return undefined;
  const stepsLeft = Math.max(0, run.max_tool_rounds - run.tool_rounds.length);
  const secondsLeft = Math.max(0, config.maxSeconds - secondsSince(run.created_at));
  const tokensLeft = Math.max(0, config.maxTokens - (run.usage?.total_tokens ?? 0));
  const bound = stepsLeft === 0 ? 'steps' : secondsLeft === 0 ? 'seconds' : tokensLeft === 0 ? 'tokens' : null;
  return { stepsLeft, secondsLeft: Math.floor(secondsLeft), tokensLeft, bound, maxSteps: config.maxSteps, maxSeconds: config.maxSeconds };
}

/** The tools a research step is offered: none once a bound has run out (it answers). */
export function researchTools(tools: TToolDefinition[], budget: TResearchBudget | undefined): TToolDefinition[] {
  return budget?.bound ? [] : tools;
}

const BOUND_NAMES = { steps: 'its steps', seconds: 'its time', tokens: 'its token budget' } as const;

/** What a model is told of the research it is doing, and, once a bound ran out, that it answers now. */
export function researchInstructions(instructions: string, budget: TResearchBudget | undefined): string {
  if (!budget) return instructions;
  const how =
    'This is a research question: take several steps before answering. First plan what the answer needs. Then search ' +
    "several times, rewriting the reader's words into the docs' own (component, prop and error names; the titles of " +
    `threads you meet), and read the most relevant pages whole (${READ_PAGE}, and ${READ_FILE} for source files when it is ` +
    'offered). Then answer: a short summary first, then the details organised by page, with a citation (the section\'s ' +
    'URL) for every claim, naming any part of the question nothing you read answers. Cite only what you read.' +
    ` You have ${budget.stepsLeft} more step(s) of tool calls and about ${budget.secondsLeft} seconds.`;
  const stop = budget.bound
    ? ` The research has used ${BOUND_NAMES[budget.bound]}: answer now from what you have read, and say in one line that ` +
      'the research stopped at its limit before it was done.'
    : '';
  return `${instructions}\n\n${how}${stop}`;
}

/**
 * What a run's tools returned: each section's URL (a search's results, a page's sections), the pages they are on, and
 * the pages read whole (a read's `url`: every section of such a page was read).
 */
function urlsRead(rounds: TToolRound[]): { sections: Set<string>; pages: Set<string>; pagesRead: Set<string> } {
  const sections = new Set<string>();
  const pages = new Set<string>();
  const pagesRead = new Set<string>();
  for (const output of rounds.flatMap((round) => round.tool_outputs ?? [])) {
    try {
      const parsed = JSON.parse(output.output) as { url?: unknown; results?: { url?: unknown }[] };
      if (typeof parsed.url === 'string') pagesRead.add(pageOf(parsed.url));
      for (const result of Array.isArray(parsed.results) ? parsed.results : []) {
        if (typeof result.url !== 'string') continue;
        sections.add(result.url);
        pages.add(pageOf(result.url));
      }
    } catch {
      // An output that is no passages envelope read nothing citable.
    }
  }
  return { sections, pages, pagesRead };
}

function pageOf(url: string): string {
  return (url.split('#')[0] as string).replace(/\/+$/, '');
}

/**
 * A research answer's links checked against what its run read (issue 71: citations for every claim, from what it
 * read): a link to a page none of its searches or reads returned becomes its plain text, before the answer's links are
 * checked against the docs and its citations derived from them. `removed`: how many links it unlinked.
 */
export function keepReadCitations(
  text: string,
  annotations: TTextAnnotation[],
  rounds: TToolRound[],
): { text: string; annotations: TTextAnnotation[]; removed: number } {
  const { sections, pages, pagesRead } = urlsRead(rounds);
  let removed = 0;
  // A section it was given, any section of a page it read whole, or a page (no section) it met.
  const isRead = (url: string) => sections.has(url) || pagesRead.has(pageOf(url)) || (!url.includes('#') && pages.has(pageOf(url)));
  const cuts: { start: number; end: number; label: number }[] = [];
  const kept = text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (link, label: string, url: string, offset: number) => {
    if (isRead(url)) return link;
    removed += 1;
    cuts.push({ start: offset, end: offset + link.length, label: label.length });
    return label;
  });
  if (removed === 0) return { text, annotations, removed };
  // The citations of the links kept, moved to where their text now is; those of the links unlinked, gone.
  const moved = (index: number) =>
    index - cuts.reduce((shift, cut) => shift + (index >= cut.end ? cut.end - cut.start - cut.label : index > cut.start ? 1 : 0), 0);
  const checked = annotations
    .filter((annotation) => isRead(annotation.url))
    .map((annotation) => ({ ...annotation, start_index: moved(annotation.start_index), end_index: moved(annotation.end_index) }));
  return { text: kept, annotations: checked, removed };
}

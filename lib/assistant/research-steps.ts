import type { TRunRow, TToolCall } from '../db/rows';
import { isResearchRun } from '../shared/runs';
import { MAX_RESEARCH_STEPS_SHOWN, RESEARCH_STEP_TEXT_CHARS, type TResearchStep } from '../shared/research-steps';
import { siteToolDeclaration } from './tools';

// A research run's steps as its reader sees them (lib/shared/research-steps.ts), read off the tool rounds the run
// recorded: each call of the site's search tool a `search` (its query, its results once its output is in), each call
// of a read tool a `read` (the page's title or the file, its sections once read). Calls of other tools (a client's)
// are not shown. Pure: the same run gives the same steps, in every process and after a restart.

/** The steps of `run`; undefined for a run that is no research run. */
export function researchStepsOf(run: Pick<TRunRow, 'options' | 'metadata' | 'tool_rounds'>): TResearchStep[] | undefined {
  if (!isResearchRun(run)) return undefined;
  const steps: TResearchStep[] = [];
  for (const round of run.tool_rounds ?? []) {
    const outputs = new Map((round.tool_outputs ?? []).map((output) => [output.tool_call_id, output.output]));
    for (const call of round.tool_calls) {
      const step = stepOf(call, outputs.get(call.id));
      if (step) steps.push(step);
    }
  }
  return steps.slice(0, MAX_RESEARCH_STEPS_SHOWN);
}

function stepOf(call: TToolCall, output: string | undefined): TResearchStep | null {
  const role = siteToolDeclaration(call.function.name)?.role;
  if (!role) return null;
  const args = parseObject(call.function.arguments);
  const parsed = output === undefined ? null : parseObject(output);
  const count = parsed === null ? null : Array.isArray(parsed.results) ? parsed.results.length : 0;
  if (role === 'search') return { kind: 'search', query: shown(args?.prompt), results: count };
  const title = shown(parsed?.title) || shown(parsed?.file) || shown(args?.url) || shown(args?.file);
  return { kind: 'read', title, sections: count };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A query or title as one line of plain text, cut to RESEARCH_STEP_TEXT_CHARS. */
function shown(value: unknown): string {
  if (typeof value !== 'string') return '';
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > RESEARCH_STEP_TEXT_CHARS ? `${line.slice(0, RESEARCH_STEP_TEXT_CHARS - 1)}…` : line;
}

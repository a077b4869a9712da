import { listMessagesByThread } from '../db/messages';
import type { TReaderAccess } from '../audiences';
import type { TRunRow } from '../db/rows';
import { createThreadForCaller, sendMessageForCaller, type TAssistantDeps } from '../assistant/service';
import { titleFromQuestion } from '../shared/titles';
import type { TClient } from '../limits';
import { messageText } from '../shared/messages';
import { isTerminalRunStatus, type TRunMode } from '../shared/runs';

// ask_docs: the site's assistant, asked by an agent. The question goes through the same path as a reader's
// message (POST …-message): a thread of its own, the hourly quota and the daily token cap, moderation, then a
// run executed by the run engine — which calls the model (or the offline model) and dispatches
// get_relevant_docs to docs search. The answer comes back with the docs sections it cited.

export type TAskDeps = TAssistantDeps & { config: TAssistantDeps['config'] & { siteUrl: string } };

export type TAskAnswer =
  | { isAnswered: true; answer: string; sources: { title: string; url: string }[]; threadId: string; runId: string }
  | { isAnswered: false; status: TRunRow['status']; message: string; threadId: string; runId: string };

/** How long one ask waits for its run in all: under the 60 s that MCP clients give a request by default. */
export const ASK_BUDGET_MS = 50_000;

export async function askDocs({
  deps,
  owner,
  client,
  question,
  version,
  access,
  mode,
  budgetMs = ASK_BUDGET_MS,
}: {
  /** "research": a research run (issue 71), one at a time per agent, counting more against its hourly limit. */
  mode?: TRunMode;
  deps: TAskDeps;
  owner: string;
  client: TClient;
  question: string;
  /** The version of versioned docs to answer from (unknown: refused, naming the known ones); absent: the current one. */
  version?: string;
  budgetMs?: number;
  /** The agent's access (lib/audiences): what its answer may be drawn from. */
  access: TReaderAccess;
}): Promise<TAskAnswer> {
  const startedAt = Date.now();
  const thread = await createThreadForCaller({
    deps,
    owner,
    metadata: { threadTitle: titleFromQuestion(question), source: 'mcp', ...(version !== undefined ? { version } : {}) },
    access,
  });
  // An agent has no "Ask the maintainers" button: the answer does not name one.
  const { run: sent } = await sendMessageForCaller({ deps, owner, client, threadId: thread.id, text: question, access, isHandoffOffered: false, mode });
  let run: Pick<TRunRow, 'id' | 'status' | 'last_error'> = sent;
  if (!isTerminalRunStatus(run.status)) {
    const remaining = budgetMs - (Date.now() - startedAt);
    if (remaining > 0) run = await deps.engine.waitForRun({ owner, threadId: thread.id, runId: run.id, timeoutMs: remaining });
  }
  const ids = { threadId: thread.id, runId: run.id };
  if (run.status !== 'completed') {
    const message = !isTerminalRunStatus(run.status)
      ? 'The assistant is taking longer than usual to answer. Please ask again in a moment.'
      : (run.last_error?.message ?? `The assistant could not answer (the run ended ${run.status}).`);
    return { isAnswered: false, status: run.status, message, ...ids };
  }
  const messages = await listMessagesByThread({ db: deps.db, owner, threadId: thread.id, limit: 20, order: 'desc' });
  const answer = messages.data.find((message) => message.role === 'assistant' && message.run_id === run.id);
  // The answer's in-site links are paths (the site renders them); an agent reads them out of the site, absolute.
  const text = messageText(answer).replace(/\]\(\/(?!\/)/g, `](${deps.config.siteUrl}/`);
  const seen = new Set<string>();
  const sources: { title: string; url: string }[] = [];
  for (const annotation of answer?.content.flatMap((part) => part.text.annotations ?? []) ?? []) {
    // Citations are docs paths this site checked (lib/shared/links.ts); made absolute for an agent.
    const url = new URL(annotation.url, `${deps.config.siteUrl}/`).href;
    if (seen.has(url)) continue;
    seen.add(url);
    sources.push({ title: annotation.title, url });
  }
  return { isAnswered: true, answer: text, sources, ...ids };
}

import { readImages, type TStoredImage } from '../shared/images';
import { isMaintainerReply, maintainerName, messageText } from '../shared/messages';
import type { TDb } from '../db/types';
import type { TTextAnnotation, TToolCall, TToolOutput } from '../db/rows';
import { getThreadTranscriptById, type TTranscriptData, type TTranscriptRun } from '../db/maintainers';

// The read-only transcript maintainers open from Slack: the thread's messages in order, each answer preceded by the
// run that wrote it (status, timing, tool calls with what they found), answers with sources and votes. A run that
// wrote no answer (failed, stopped, still running) is shown where it was started: before the next run's entries.

export type TTranscriptSource = { title: string; url: string };
export type TTranscriptToolCall = {
  id: string;
  name: string;
  /** The search the model asked for, or the raw arguments when they are not a docs search. */
  query: string;
  results: TTranscriptSource[];
  error: string | null;
};
export type TTranscriptMessage = {
  type: 'message';
  id: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: string;
  sources: TTranscriptSource[];
  vote: 'up' | 'down' | null;
  isNoDocsMatch: boolean;
  /** A maintainer's reply from Slack: who wrote it. Null for the reader's and the assistant's messages. */
  maintainer: string | null;
  /** The screenshots a reader sent with a question (issue 71), shown on the transcript as they were sent. */
  screenshots: TStoredImage[];
};
export type TTranscriptRunEntry = {
  type: 'run';
  id: string;
  status: string;
  model: string;
  createdAt: string;
  durationSeconds: number | null;
  error: { code: string; message: string } | null;
  totalTokens: number | null;
  toolCalls: TTranscriptToolCall[];
};
export type TTranscriptEntry = TTranscriptMessage | TTranscriptRunEntry;

export type TTranscriptView = {
  thread: { id: string; title: string; createdAt: string; updatedAt: string; slackThreadTs: string | null; metadata: Record<string, string> };
  /** Where the conversation came from ("site", "slack", "mcp", "api"), and for one held in Slack, where. */
  source: string;
  slackConversation: { channelId: string; isDirect: boolean } | null;
  entries: TTranscriptEntry[];
  counts: { messages: number; runs: number; up: number; down: number };
  slack: { delivered: number; pending: number; failed: { kind: string; reason: string | null }[] };
};

export async function getTranscriptForMaintainer({ db, threadId }: { db: TDb; threadId: string }): Promise<TTranscriptView> {
  return toTranscriptView(await getThreadTranscriptById({ db, threadId }));
}

export function toTranscriptView(data: TTranscriptData): TTranscriptView {
  const runsById = new Map(data.runs.map((run) => [run.id, run]));
  const shown = new Set<string>();
  const entries: TTranscriptEntry[] = [];
  // Runs in the order they were started: a Retry's or a research run's after the run it followed.
  const started = [...data.runs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  /** Shows the runs started up to `run` (those not shown yet: runs that wrote no answer), then `run`. */
  const showRunsUpTo = (run: TTranscriptRun) => {
    for (const earlier of started) {
      if (Date.parse(earlier.created_at) > Date.parse(run.created_at)) break;
      if (earlier.id !== run.id && !shown.has(earlier.id) && !answeredRuns.has(earlier.id)) {
        shown.add(earlier.id);
        entries.push(toRunEntry(earlier));
      }
    }
    if (!shown.has(run.id)) {
      shown.add(run.id);
      entries.push(toRunEntry(run));
    }
  };
  const answeredRuns = new Set(data.messages.flatMap((message) => (message.role === 'assistant' && message.run_id ? [message.run_id] : [])));
  for (const message of data.messages) {
    // An answer comes right after the run that wrote it (and the runs before that one that wrote nothing).
    const answering = message.role === 'assistant' && message.run_id ? runsById.get(message.run_id) : undefined;
    if (answering) showRunsUpTo(answering);
    const text = messageText(message);
    const annotations = message.content.flatMap((part) => part.text.annotations ?? []);
    entries.push({
      type: 'message',
      id: message.id,
      role: message.role,
      text,
      createdAt: message.created_at,
      sources: uniqueSources(annotations),
      vote: message.vote,
      isNoDocsMatch: message.metadata.no_docs_match === true,
      maintainer: isMaintainerReply(message) ? maintainerName(message) : null,
      screenshots: message.role === 'user' ? readImages(message.metadata) : [],
    });
    // A question's run that wrote no answer (failed, stopped, still running) comes right after the question.
    const unanswered = message.role === 'user' && message.run_id && !answeredRuns.has(message.run_id) ? runsById.get(message.run_id) : undefined;
    if (unanswered) showRunsUpTo(unanswered);
  }
  // Runs that wrote no answer after the last answer (failed, stopped, still running), in the order they were started.
  for (const run of started) if (!shown.has(run.id)) entries.push(toRunEntry(run));
  const votes = data.messages.map((message) => message.vote);
  return {
    thread: {
      id: data.thread.id,
      title: data.thread.metadata.threadTitle ?? 'New thread',
      createdAt: data.thread.created_at,
      updatedAt: data.thread.updated_at,
      slackThreadTs: data.thread.slack_thread_ts,
      metadata: data.thread.metadata,
    },
    source: data.source ?? 'site',
    slackConversation: data.conversation ? { channelId: data.conversation.channel_id, isDirect: data.conversation.channel_type === 'im' } : null,
    entries,
    counts: {
      messages: data.messages.length,
      runs: data.runs.length,
      up: votes.filter((vote) => vote === 'up').length,
      down: votes.filter((vote) => vote === 'down').length,
    },
    slack: {
      delivered: data.slack.filter((post) => post.status === 'delivered').length,
      pending: data.slack.filter((post) => post.status === 'pending').length,
      failed: data.slack.filter((post) => post.status === 'failed').map((post) => ({ kind: post.kind, reason: post.last_error })),
    },
  };
}

function uniqueSources(annotations: TTextAnnotation[]): TTranscriptSource[] {
  const seen = new Map<string, TTranscriptSource>();
  for (const annotation of annotations) {
    if (annotation.type === 'url_citation' && !seen.has(annotation.url)) seen.set(annotation.url, { title: annotation.title, url: annotation.url });
  }
  return [...seen.values()];
}

function toRunEntry(run: TTranscriptRun): TTranscriptRunEntry {
  const end = run.completed_at ?? run.failed_at ?? run.cancelled_at;
  const outputs = new Map<string, TToolOutput>(run.tool_rounds.flatMap((round) => round.tool_outputs ?? []).map((output) => [output.tool_call_id, output]));
  return {
    type: 'run',
    id: run.id,
    status: run.status,
    model: run.model,
    createdAt: run.created_at,
    durationSeconds: end ? Math.round((Date.parse(end) - Date.parse(run.created_at)) / 10) / 100 : null,
    error: run.last_error ?? (run.incomplete_details ? { code: run.incomplete_details.reason, message: run.incomplete_details.message ?? '' } : null),
    totalTokens: run.usage?.total_tokens ?? null,
    toolCalls: run.tool_rounds.flatMap((round) => round.tool_calls.map((call) => toToolCall(call, outputs.get(call.id)))),
  };
}

function toToolCall(call: TToolCall, output: TToolOutput | undefined): TTranscriptToolCall {
  let query = call.function.arguments;
  try {
    const args = JSON.parse(call.function.arguments) as { prompt?: unknown };
    if (typeof args.prompt === 'string') query = args.prompt;
  } catch {
    // Shown as sent.
  }
  let results: TTranscriptSource[] = [];
  let error: string | null = output ? null : 'no output (the run ended before the tool ran)';
  if (output) {
    try {
      const parsed = JSON.parse(output.output) as { results?: { title?: string; heading?: string; url?: string }[]; error?: string };
      if (typeof parsed.error === 'string') error = parsed.error;
      results = (parsed.results ?? [])
        .filter((result) => typeof result.url === 'string')
        .map((result) => ({
          title: result.heading && result.heading !== result.title ? `${result.title ?? ''} › ${result.heading}` : (result.title ?? ''),
          url: result.url as string,
        }));
    } catch {
      error = 'output is not JSON';
    }
  }
  return { id: call.id, name: call.function.name, query, results, error };
}

import type { TListObject, TMessageObject, TRunObject, TTextAnnotation, TThreadObject } from '@/lib/shared/api-objects';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER, CHALLENGE_REQUIRED, isChallenge } from '@/lib/shared/challenge';
import { EMBED_TOKEN_HEADER_NAME } from '@/lib/shared/embed-protocol';
import { messageText } from '@/lib/shared/messages';
import type { THandoffOffer, THandoffView } from '@/lib/shared/handoff';
import type { TStoredImage } from '@/lib/shared/images';
import { solveInBrowser } from './challenge';
import { newThreadBody } from './docs-version';
import { isTerminalRunStatus, type TRunMode, type TRunStatus } from '@/lib/shared/runs';

// The browser's side of the paste-assistant API: typed fetches that turn the error contract into Errors.

/** `challenge`: with code challenge_required, the challenge to solve before sending again. */
export type TApiError = Error & { status: number; code: string; challenge?: unknown };

export function isApiError(error: unknown): error is TApiError {
  return error instanceof Error && typeof (error as Partial<TApiError>).status === 'number';
}

// Relative URLs are resolved against the page, so the same calls work in the browser and under jsdom.
function resolveUrl(url: string): string {
  return typeof window === 'undefined' ? url : new URL(url, window.location.href).toString();
}

let extraHeaders: Record<string, string> = {};

/**
 * Headers every request of this page carries from now on: the embed frame's session token
 * (components/embed/EmbedApp.tsx). The site's pages set none; their session is the cookie.
 */
export function setRequestHeaders(headers: Record<string, string>): void {
  extraHeaders = headers;
}

export function requestHeaders(): Record<string, string> {
  return extraHeaders;
}

let embedSessionRenewed: ((token: string) => void) | null = null;

/**
 * Signing in or out moves the embed frame's reader to a new session (lib/audiences/session.ts): the response carries
 * its token in X-Embed-Token. From then on every request carries the new token, and `listener` is told (the frame
 * keeps it, and hands it to the host page).
 */
export function onEmbedSessionRenewed(listener: ((token: string) => void) | null): void {
  embedSessionRenewed = listener;
}

function takeRenewedSession(response: Response): void {
  const token = response.headers.get(EMBED_TOKEN_HEADER_NAME);
  if (!token || extraHeaders[EMBED_TOKEN_HEADER_NAME] === undefined) return;
  extraHeaders = { ...extraHeaders, [EMBED_TOKEN_HEADER_NAME]: token };
  embedSessionRenewed?.(token);
}

// A reader's session is the cookie the server sets on the first response that lacks one (lib/session). Two requests
// sent before that response returns would each get a new session, and the second would own a thread the first
// cannot see ("This conversation is not available"). So the page's first request goes alone; the others wait for
// it to come back (whatever its outcome) and then carry its cookie. The cookie is httpOnly: the page cannot check it.
let firstRequest: Promise<unknown> | undefined;

async function sendAfterFirst(send: () => Promise<Response>): Promise<Response> {
  if (!firstRequest) {
    const response = send();
    firstRequest = response.catch(() => undefined);
    return response;
  }
  await firstRequest;
  return send();
}

export async function apiFetch<T>(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await sendAfterFirst(() => fetch(resolveUrl(url), {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { ...extraHeaders, ...init.headers } : { 'Content-Type': 'application/json', ...extraHeaders, ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    }));
  } catch (cause) {
    const error = new Error('Could not reach the server. Check your connection and try again.', { cause }) as TApiError;
    error.status = 0;
    error.code = 'network_error';
    throw error;
  }
  takeRenewedSession(response);
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string; challenge?: unknown } } | null;
  if (!response.ok) {
    const error = new Error(payload?.error?.message ?? `Request failed (${response.status})`) as TApiError;
    error.status = response.status;
    error.code = payload?.error?.code ?? 'unknown';
    error.challenge = payload?.error?.challenge;
    throw error;
  }
  return payload as T;
}

export const fetcher = <T,>(url: string) => apiFetch<T>(url);

// The API's objects are defined once, in lib/shared/api-objects.ts. The browser builds some itself (an
// optimistic message, a draft answer), so it reads them through these lighter views: what it renders.
export type TAnnotation = TTextAnnotation;
export type TMessage = Pick<TMessageObject, 'id' | 'role' | 'created_at' | 'run_id' | 'content' | 'metadata'> &
  Partial<Pick<TMessageObject, 'thread_id' | 'status' | 'incomplete_details'>>;
export type TThread = Pick<TThreadObject, 'id' | 'created_at' | 'metadata'>;
export type { TRunStatus };
export type TRun = Pick<TRunObject, 'id' | 'thread_id' | 'status' | 'last_error' | 'incomplete_details' | 'research_steps'>;
export type TList<T> = TListObject<T>;
export type TVote = 'up' | 'down';
export type TMessageVote = { message_id: string; vote: TVote };
export type TCompletion = { choices: { message: { content: string } }[] };

export const isTerminal = (run: TRun) => isTerminalRunStatus(run.status);

export const DEFAULT_THREAD_TITLE = 'New thread';
export const threadTitle = (thread: TThread | undefined) => thread?.metadata.threadTitle?.trim() || DEFAULT_THREAD_TITLE;

// The routes, in one place.
export const THREADS_URL = '/api/paste-assistant-thread?limit=100';
export const threadUrl = (threadId: string) => `/api/paste-assistant-thread/${threadId}`;
// The newest 100 messages, newest first; the client shows them oldest first.
export const messagesUrl = (threadId: string) => `/api/paste-assistant-messages/${threadId}?limit=100&order=desc`;
export const latestRunUrl = (threadId: string) => `/api/paste-assistant-thread/${threadId}/runs`;
export const runUrl = (threadId: string, runId: string) => `/api/paste-assistant-thread/${threadId}/run/${runId}`;
/** The run's event stream; `cursor` says what the reader already has (lib/shared/stream-protocol.ts). */
export const runEventsUrl = (threadId: string, runId: string, cursor?: string) =>
  `${runUrl(threadId, runId)}/events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
/** A stored question's screenshots, for the reader who owns the thread (lib/assistant/message-images.ts). */
export const messageImagesUrl = (threadId: string, messageId: string) => `/api/paste-assistant-messages/${threadId}/${messageId}/images`;
export const votesUrl = (threadId: string) => `/api/paste-assistant-message-vote?threadId=${threadId}`;

export function listOf<T extends { id: string }>(data: T[]): TList<T> {
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: false };
}

/** A new thread, with the version of the docs where the reader starts it, when they have versions (./docs-version.ts). */
export const createThread = () => apiFetch<TThread>('/api/paste-assistant-thread', { method: 'POST', body: newThreadBody() });

export const updateThreadTitle = (threadId: string, title: string) =>
  apiFetch<TThread>(threadUrl(threadId), { method: 'PUT', body: { metadata: { threadTitle: title } } });

export const deleteThread = (threadId: string) =>
  apiFetch<{ id: string; deleted: true }>(threadUrl(threadId), { method: 'DELETE' });

/**
 * Sends the reader's message. By default the route waits for the run (bounded); with `isWaiting: false` it
 * answers at once with the queued run, for a client that follows the run's event stream.
 */
/**
 * What a message is about: the docs page (`page`: the assistant's search leans towards it), and the passage the reader
 * selected on it (`quote`, "Ask about this"), with the page it came from when that is not a docs page (`url`, `title`).
 */
export type TMessageContext = { page?: string; quote?: string; url?: string; title?: string };

export const sendMessage = (
  threadId: string,
  message: string,
  { isWaiting = true, context, mode = 'quick', images = [] }: { isWaiting?: boolean; context?: TMessageContext | null; mode?: TRunMode; images?: TStoredImage[] } = {},
) =>
  withChallenge((challenge) =>
    apiFetch<{ run: TRun }>('/api/paste-assistant-message', {
      method: 'POST',
      headers: CHALLENGE_HEADERS,
      body: {
        threadId,
        message,
        ...(isWaiting ? {} : { wait: false }),
        ...(context ? { context } : {}),
        ...(mode === 'research' ? { mode } : {}),
        ...(images.length > 0 ? { images } : {}),
        ...(challenge ? { challenge } : {}),
      },
    }),
  );

/**
 * The reader opened a source the answer cites: a signal the maintainers' grade of the answer reads. Best effort: a
 * failure is nobody's concern but the figures'.
 */
export const reportSourceOpened = (threadId: string, messageId: string, url: string) =>
  apiFetch<{ recorded: boolean }>('/api/paste-assistant-source-opened', { method: 'POST', body: { threadId, messageId, url } }).catch(() => undefined);

/** Retry, or Research this (`mode: "research"`): a new run for the thread's last question, which is not sent again. */
export const rerunMessage = (threadId: string, messageId: string, { isWaiting = true, mode = 'quick' }: { isWaiting?: boolean; mode?: TRunMode } = {}) =>
  withChallenge((challenge) =>
    apiFetch<{ run: TRun }>(latestRunUrl(threadId), {
      method: 'POST',
      headers: CHALLENGE_HEADERS,
      body: { messageId, ...(isWaiting ? {} : { wait: false }), ...(mode === 'research' ? { mode } : {}), ...(challenge ? { challenge } : {}) },
    }),
  );

/** The conversation's hand-off to the maintainers, and what the site offers (GET …/handoff). */
export const getHandoff = (threadId: string) =>
  apiFetch<{ handoff: THandoffView | null; offer: THandoffOffer }>(handoffUrl(threadId));

/** Hands the conversation to the maintainers (POST …/handoff); asked again, the same hand-off. Challenged as a question. */
export const requestHandoff = (threadId: string, { note, email }: { note?: string; email?: string }) =>
  withChallenge((challenge) =>
    apiFetch<THandoffView>(handoffUrl(threadId), {
      method: 'POST',
      headers: CHALLENGE_HEADERS,
      body: { ...(note ? { note } : {}), ...(email ? { email } : {}), ...(challenge ? { challenge } : {}) },
    }),
  );

const handoffUrl = (threadId: string) => `/api/paste-assistant-thread/${threadId}/handoff`;

/** This page solves proof-of-work challenges: near its hourly limits the server asks it to (lib/limits/challenge.ts). */
const CHALLENGE_HEADERS = { [CHALLENGE_HEADER]: CHALLENGE_CAPABILITY };

/** Sends; on 429 challenge_required, solves the challenge ("Checking your browser…") and sends once more with the solution. */
async function withChallenge<T>(send: (challenge?: string) => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!isApiError(error) || error.code !== CHALLENGE_REQUIRED || !isChallenge(error.challenge)) throw error;
    return send(await solveInBrowser(error.challenge));
  }
}

/** Deletes every thread of this reader. */
export const deleteAllThreads = () =>
  apiFetch<{ object: 'thread.deleted_all'; deleted: true; count: number }>('/api/paste-assistant-thread', { method: 'DELETE' });

export const cancelRun = (threadId: string, runId: string) =>
  apiFetch<TRun>(`${runUrl(threadId, runId)}/cancel`, { method: 'POST' });

export const voteOnMessage = (threadId: string, messageId: string, vote: TVote | null, reason?: string) =>
  apiFetch<{ message_id: string; vote: TVote | null }>('/api/paste-assistant-message-vote', {
    method: 'POST',
    body: reason ? { threadId, messageId, vote, reason } : { threadId, messageId, vote },
  });

const TITLE_PROMPT =
  'Write a title of at most six words for a conversation that starts with the question in the context. ' +
  'Answer with the title only.';

/** A short title for a thread, from its first question (the model behind the server decides how). */
export async function generateTitle(question: string): Promise<string> {
  const completion = await apiFetch<TCompletion>('/api/paste-assistant-simple-completion', {
    method: 'POST',
    body: { prompt: TITLE_PROMPT, context: question.slice(0, 8000) },
  });
  return completion.choices[0]?.message.content.trim() || DEFAULT_THREAD_TITLE;
}

export { messageText };

import type { TReaderAccess } from '../audiences';
import { listMessagesByThread } from '../db/messages';
import type { TMessageRow } from '../db/rows';
import { createHandoffWithinLimits, getChatThreadByAnswer, listHandoffsByThread, setHandoffResultById, type THandoffRow } from '../db/handoffs';
import type { TDb } from '../db/types';
import { isCitedPageHidden } from '../docs/gate';
import { AppError } from '../errors';
import type { TGithubClient } from '../github/client';
import { handoffBuckets, handoffLimited, type TClient } from '../limits';
import { enforceHandoffChallenge, type TChallengeRequest } from '../limits/challenge';
import type { TChallengeConfig, TRateLimitConfig } from '../limits/settings';
import type { TLogger } from '../log';
import { DEFAULT_PRIVACY, type TPrivacy } from '../privacy/mask';
import { isMaintainerReply, messageText } from '../shared/messages';
import { boundQuote, readQuote } from '../shared/quote';
import type { THandoffOffer, THandoffView } from '../shared/handoff';
import { githubFailure, openHandoffOnGithub, type THandoffPost } from './github';
import { recordHandoff, recordHandoffRefused } from '../telemetry';
import { isHandoffOn, type THandoffConfig } from './settings';

// A reader hands their conversation to the maintainers (POST /api/paste-assistant-thread/[tid]/handoff): one row per
// channel HANDOFF_TO names (supabase/schemas/65_handoffs.sql), so that asking again answers the same hand-off and
// opens no second issue or post. Only the request that made a channel's row opens its issue (or retries one that
// failed); the review channel's post is queued in the same transaction. A hand-off carries a question the assistant
// answered (409 handoff_needs_answer otherwise: nothing to hand over, or an answer still to come), and has its own
// hourly limits per reader, per address and for the site (lib/limits handoffBuckets), taken in the SQL that creates
// it, so that no script turns fresh sessions into hundreds of issues; a browser near them solves a challenge first
// (lib/limits/challenge.ts). What goes out is masked as stored text is (lib/privacy/mask.ts) and quoted inertly on
// GitHub (./github.ts); the reader's address stays in the `email` row, for e-mailing replies once confirmed (./email.ts).

/** The newest messages read for the question handed over (a thread holds at most RATE_LIMIT_THREAD_MESSAGES questions). */
const MAX_MESSAGES = 60;

export type THandoffDeps = {
  db: TDb;
  log: TLogger;
  privacy?: TPrivacy;
  config: { siteUrl: string; rateLimits: TRateLimitConfig; challenge?: TChallengeConfig; handoff?: THandoffConfig | null };
  sessionSecret?: string;
  /** The GitHub client hand-offs open issues with (HANDOFF_GITHUB_REPO); null without the github channel. */
  handoffGithub: TGithubClient | null;
  /** Wakes the review channel's delivery (a hand-off's Slack post was queued). */
  reviewChannel: { wake(): void };
  /** Runs the e-mail round now: an address was left, whose confirmation goes at once (./email.ts). */
  handoffJobs?: { kickEmails(): void } | null;
};

/** What the reader is offered: the channels configured, and whether an address for replies is asked for. */
export function handoffOffer(config: { handoff?: THandoffConfig | null }): THandoffOffer {
  const channels = config.handoff?.channels ?? [];
  return { isOn: isHandoffOn(config), channels: [...channels], isEmailOffered: channels.includes('email') };
}

/** The conversation's hand-off, or null when it has none; 404 when it is not the caller's. */
export async function getHandoffForCaller({ deps, owner, threadId }: { deps: Pick<THandoffDeps, 'db' | 'config'>; owner: string; threadId: string }) {
  const rows = await listHandoffsByThread({ db: deps.db, owner, threadId });
  return { handoff: rows.length > 0 ? toHandoffView(rows, deps.config.handoff) : null, offer: handoffOffer(deps.config) };
}

export async function requestHandoffForCaller({
  deps,
  owner,
  client,
  threadId,
  note,
  email,
  challenge,
  isInReviewChannel = true,
}: {
  deps: THandoffDeps;
  owner: string;
  client: TClient;
  threadId: string;
  note?: string;
  email?: string;
  challenge?: TChallengeRequest;
  /** False for a conversation the review channel never shows (the Slack door's): the `slack` channel is left out. */
  isInReviewChannel?: boolean;
}): Promise<{ handoff: THandoffView; isNew: boolean }> {
  const configured = deps.config.handoff;
  const config = configured && !isInReviewChannel ? { ...configured, channels: configured.channels.filter((channel) => channel !== 'slack') } : configured;
  if (!config || !isHandoffOn({ handoff: config }) || primaryChannel(config) === 'email') {
    throw new AppError('handoff_not_configured', 'This site does not hand conversations to its maintainers: no channel is configured (HANDOFF_TO).');
  }
  if (email !== undefined && config.email === null) {
    throw new AppError('bad_request', 'email: this site does not e-mail the maintainers’ replies; leave it out.', { param: 'email' });
  }
  // Asked again: the same hand-off, without taking from the limits (404 here when the conversation is not theirs).
  const existing = await listHandoffsByThread({ db: deps.db, owner, threadId });
  const isComplete = (rows: THandoffRow[]) => rows.some((row) => row.channel === primaryChannel(config)) && rows.every((row) => row.status !== 'failed');
  if (existing.length > 0 && isComplete(existing)) return { handoff: toHandoffView(existing, config), isNew: false };

  const privacy = deps.privacy ?? DEFAULT_PRIVACY;
  const asked = await answeredQuestion({ db: deps.db, owner, threadId });
  await enforceHandoffLimitsChallenge(deps, client, challenge);
  const maskedNote = note === undefined || note.trim() === '' ? null : privacy.mask(note.trim()).text;
  const channels = config.channels
    .filter((channel) => channel !== 'email' || email !== undefined)
    .map((channel) => (channel === 'email' ? { channel, email } : { channel }));
  const created = await createHandoffWithinLimits({
    db: deps.db,
    owner,
    threadId,
    channels,
    note: maskedNote,
    slackPayload: config.slack ? { mention: config.slack.mention } : null,
    buckets: handoffBuckets(deps.config.rateLimits, client),
  });
  if (created.refused) {
    recordHandoffRefused(created.refused.limit);
    throw handoffLimited(deps.config.rateLimits, created.refused);
  }
  if (created.created.includes('slack')) deps.reviewChannel.wake();
  if (created.created.includes('email')) deps.handoffJobs?.kickEmails();
  for (const channel of created.created) recordHandoff(channel);
  const rows = [...created.handoffs];
  const githubIndex = rows.findIndex((row) => row.channel === 'github');
  const github = rows[githubIndex];
  if (github && config.github && deps.handoffGithub && (created.created.includes('github') || github.status === 'failed')) {
    const post = await postForRepository(deps.db, config.github.access, handoffPost({ asked, note: maskedNote, privacy }));
    try {
      const opened = await openHandoffOnGithub({ github: deps.handoffGithub, repo: config.github, post, siteUrl: deps.config.siteUrl });
      rows[githubIndex] = (await setHandoffResultById({ db: deps.db, id: github.id, status: 'opened', externalId: opened.externalId, externalUrl: opened.url })) ?? github;
      deps.log.info({ threadId, handoff: github.id, url: opened.url }, 'handoff: opened on GitHub');
    } catch (error) {
      const reason = githubFailure(error);
      await setHandoffResultById({ db: deps.db, id: github.id, status: 'failed', error: reason });
      deps.log.warn({ threadId, handoff: github.id, reason }, 'handoff: GitHub refused or could not be reached');
      throw new AppError('unavailable', 'GitHub could not take the hand-off just now. Ask again in a moment: it is kept, and no second issue is opened.', { detail: reason });
    }
  }
  return { handoff: toHandoffView(rows, config), isNew: created.created.length > 0 };
}

/**
 * A chat door's "Ask the maintainers" button under an answer (lib/chat-doors/render.ts): the hand-off of that answer's
 * conversation, as its door's conversation owner asks it. Null when the answer is not one of that door's.
 */
export async function requestHandoffForChatAnswer({
  deps,
  messageId,
  ownerPrefix,
  clicker,
}: {
  deps: THandoffDeps;
  messageId: string;
  ownerPrefix: string;
  /** Who clicked, as the door's limits count them. */
  clicker: string;
}): Promise<THandoffView | null> {
  const found = await getChatThreadByAnswer({ db: deps.db, messageId, ownerPrefix });
  if (!found) return null;
  const { handoff } = await requestHandoffForCaller({ deps, owner: found.owner, client: { sessionId: clicker, ip: found.owner }, threadId: found.thread_id });
  return handoff;
}

/** The first channel HANDOFF_TO names where maintainers read hand-offs (github or slack; email only brings replies). */
function primaryChannel(config: THandoffConfig) {
  return config.channels.find((channel) => channel !== 'email') ?? config.channels[0];
}

function toHandoffView(rows: THandoffRow[], config: THandoffConfig | null | undefined): THandoffView {
  const order = config?.channels ?? ['github', 'slack', 'email'];
  const sorted = [...rows].sort((a, b) => rank(a.channel) - rank(b.channel));
  const primary = sorted.find((row) => row.channel !== 'email') ?? sorted[0]!;
  const replied = rows.map((row) => row.replied_at).filter((value): value is string => value !== null).sort()[0] ?? null;
  return {
    channel: primary.channel,
    ...(primary.external_url ? { url: primary.external_url } : {}),
    status: primary.status,
    created_at: seconds(primary.created_at),
    replied_at: replied === null ? null : seconds(replied),
    is_emailed: rows.some((row) => row.channel === 'email' && row.has_email),
    is_email_confirmed: rows.some((row) => row.channel === 'email' && row.is_email_confirmed),
  };

  function rank(channel: string) {
    const index = (order as string[]).indexOf(channel);
    return index === -1 ? order.length : index;
  }
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Near the reader's or the address's hand-off limit, a browser solves a challenge first (the limits are taken in SQL). */
async function enforceHandoffLimitsChallenge(deps: THandoffDeps, client: TClient, challenge: TChallengeRequest | undefined) {
  if (!deps.config.challenge || deps.sessionSecret === undefined) return;
  await enforceHandoffChallenge({ deps: { db: deps.db, rateLimits: deps.config.rateLimits, challenge: deps.config.challenge, sessionSecret: deps.sessionSecret }, client, request: challenge });
}

/** The conversation's last question and the assistant's latest answer to it; 409 when there is no question, or no answer yet. */
async function answeredQuestion({ db, owner, threadId }: { db: TDb; owner: string; threadId: string }): Promise<{ question: TMessageRow; answer: TMessageRow }> {
  const page = await listMessagesByThread({ db, owner, threadId, limit: MAX_MESSAGES, order: 'desc' });
  const messages: TMessageRow[] = [...page.data].reverse();
  const questionIndex = findLastIndex(messages, (message) => message.role === 'user');
  const question = messages[questionIndex];
  if (!question || messageText(question).trim() === '') {
    throw new AppError('handoff_needs_answer', 'There is no question in this conversation to hand to the maintainers: ask it here first, then ask the maintainers if the answer does not help.');
  }
  // The latest answer: a question researched after its quick answer ("Research this") has both, the research one last.
  const answer = messages.slice(questionIndex + 1).findLast((message) => message.role === 'assistant' && !isMaintainerReply(message) && message.status === 'completed');
  if (!answer) {
    throw new AppError('handoff_needs_answer', 'Your last question has no answer yet: wait for the assistant’s answer (or ask again), then ask the maintainers if it does not help.');
  }
  return { question, answer };
}

/** What the maintainers get: the reader's last question (masked again), its answer's sources, the note. */
function handoffPost({ asked, note, privacy }: { asked: { question: TMessageRow; answer: TMessageRow }; note: string | null; privacy: TPrivacy }): THandoffPost {
  const sources = new Map<string, string>();
  for (const part of asked.answer.content ?? []) {
    for (const annotation of part.text.annotations ?? []) {
      if (annotation.type === 'url_citation' && !sources.has(annotation.url)) sources.set(annotation.url, annotation.title ?? annotation.url);
    }
  }
  // The passage the question asked about goes with it, masked again (it was when stored) and bounded.
  const quote = readQuote(asked.question.metadata);
  return {
    question: privacy.mask(messageText(asked.question)).text,
    quote: quote ? { text: privacy.mask(boundQuote(quote.text)).text, ...(quote.title ? { title: privacy.mask(quote.title).text } : {}) } : null,
    isNotCovered: asked.answer.metadata?.no_docs_match === true,
    sources: [...sources].map(([url, title]) => ({ url, title })),
    note,
  };
}

/**
 * A post as the hand-off repository's readers may read it (issue 68): a repository on GitHub is a place whose readers
 * we do not know, so the answer's sources it names are only those its access may read (HANDOFF_GITHUB_AUDIENCES;
 * public pages by default). The post says how many it left out, never which.
 */
async function postForRepository(db: TDb, access: TReaderAccess, post: THandoffPost): Promise<THandoffPost> {
  const sources: THandoffPost['sources'] = [];
  for (const source of post.sources) if (!(await isCitedPageHidden({ db, url: source.url, access }))) sources.push(source);
  return { ...post, sources, withheldSources: post.sources.length - sources.length };
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) if (test(items[index]!)) return index;
  return -1;
}

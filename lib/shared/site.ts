// The site's name and what the assistant says about the site it serves, before the first question: shared by
// the server (which reads them from the docs folder, lib/docs/site/site-config.ts) and the browser (the docs header,
// components/assistant/EmptyState.tsx).

import type { TUiKey } from './i18n/en';
import { formatUiText } from './i18n/text';

/** The name the site falls back to when neither its config nor its folder name one (a folder called `docs`). */
export const GENERIC_SITE_NAME = 'Docs';

export type TAssistantIntro = {
  /** The site's name, e.g. "Paste". */
  siteName: string;
  /** The panel's name (ASSISTANT_NAME, or `assistant.name` in site.config.json); null: "Assistant". */
  assistantName: string | null;
  /** One or two sentences: what the assistant answers questions about. */
  intro: string;
  /** Questions these docs answer, offered as buttons. Empty when the site configures none. */
  questions: string[];
};

/**
 * The docs as a whole, for page titles, /llms.txt and the MCP server: the site's name plus " docs", unless the
 * name already says so ("Paste" → "Paste docs"; "Acme Docs", "Widget documentation", "Docs" stay as they are).
 */
export function docsTitleName(siteName: string): string {
  return /\b(docs|documentation)$/i.test(siteName.trim()) ? siteName.trim() : `${siteName.trim()} docs`;
}

/** A page's `<title>`: "Button · Paste docs"; a page titled with the site's name is just "Paste docs". */
export function pageTitle(title: string, siteName: string): string {
  const docs = docsTitleName(siteName);
  return title.trim() === siteName.trim() || title.trim() === docs ? docs : `${title} · ${docs}`;
}

/** Where a reader's messages go besides this site's database: what the empty state's privacy note says. */
export type TMessageDestinations = {
  isSharedInSlack: boolean;
  isSentToModelProvider: boolean;
  /**
   * Whether anyone reads readers' votes and their reasons: the review channel posts them (Slack), or the maintainers'
   * dashboard opens with MAINTAINER_TOKEN. False: the panel thanks the reader and promises no reader.
   */
  isFeedbackRead: boolean;
};

/** GET /api/assistant-intro's `data`: the site's introduction, and where messages go on this server. */
export type TAssistantIntroView = TAssistantIntro & { destinations: TMessageDestinations };

/**
 * The privacy note under the introduction, true to how this server is configured, in the reader's language: `t`
 * is the panel's text function (components/assistant/ui-text.ts), English by default.
 */
export function describeMessageDestinations(
  { isSharedInSlack, isSentToModelProvider, isFeedbackRead }: Pick<TMessageDestinations, 'isSharedInSlack' | 'isSentToModelProvider' | 'isFeedbackRead'>,
  t: (key: TUiKey) => string = (key) => formatUiText(null, key),
): string {
  // Maintainers are said to read the messages only where they can (the review channel, or the dashboard).
  const kept = isSharedInSlack ? 'intro.keptInSlack' : isFeedbackRead ? 'intro.keptHere' : 'intro.keptUnread';
  return [t(kept), t(isSentToModelProvider ? 'intro.sentToModel' : 'intro.noModel'), t('intro.noPersonalData')].join(' ');
}

import type { TMessageContent } from './api-objects';

// A shared conversation as its read-only page shows it (lib/assistant/share.ts keeps it when the reader shares;
// pages/shared/[id].tsx renders it). A snapshot: what the conversation was when it was shared, never its later
// messages. It carries no identity: no session, thread or message id, no maintainer's name.

export type TSharedMessage = {
  role: 'user' | 'assistant';
  /** A maintainer's reply (shown as "A maintainer"), not the assistant's answer. */
  isMaintainer: boolean;
  /** The text with its citations (url_citation annotations): the sources. */
  content: TMessageContent;
  status: 'completed' | 'incomplete';
  /** Unix seconds. */
  createdAt: number;
  /** A question's passage ("Ask about this", lib/shared/quote.ts), masked again when shared; never the host page's address. */
  quote?: { text: string; title?: string };
};

export type TSharedConversation = { title: string; messages: TSharedMessage[] };
export type TSharedConversationView = TSharedConversation & { sharedAt: string };

/** A share link's id: 32 characters of base64url, 192 random bits (lib/assistant/share.ts). */
export const SHARE_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

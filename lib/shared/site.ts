// The site's name and what the assistant says about the site it serves, before the first question: shared by
// the server (which reads them from the docs folder, lib/docs/site-config.ts) and the browser (the docs header,
// components/assistant/EmptyState.tsx).

/** The name the site falls back to when neither its config nor its folder name one (a folder called `docs`). */
export const GENERIC_SITE_NAME = 'Docs';

export type TAssistantIntro = {
  /** The site's name, e.g. "Paste". */
  siteName: string;
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

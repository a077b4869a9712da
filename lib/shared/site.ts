// What the assistant says about the site it serves, before the first question: shared by the server (which
// reads it from the docs folder, lib/docs/site-config.ts) and the browser (components/assistant/EmptyState.tsx).

export type TAssistantIntro = {
  /** The site's name, e.g. "Paste". */
  siteName: string;
  /** One or two sentences: what the assistant answers questions about. */
  intro: string;
  /** Questions these docs answer, offered as buttons. Empty when the site configures none. */
  questions: string[];
};

// What a reader is shown of a research run as it works (issue 71): each step it took — a search (what it searched,
// how many results), or a read (which page or file, how many sections or excerpts) — in the order taken. The site's
// run object carries them (`research_steps`, only on a research run); they are read off the run's recorded tool
// rounds (lib/assistant/research-steps.ts), never stored apart, so a run resumed after a restart shows the same steps.
// Plain text only: a query and a title are shown as text, never as links or markup.

export type TResearchStep =
  /** `results`: null while the search is under way. */
  | { kind: 'search'; query: string; results: number | null }
  /** `title`: the page's title or the file's path; `sections`: null while the read is under way. */
  | { kind: 'read'; title: string; sections: number | null };

/** A step's query or title is cut to this many characters. */
export const RESEARCH_STEP_TEXT_CHARS = 160;
/** A run shows at most this many steps (its first ones). */
export const MAX_RESEARCH_STEPS_SHOWN = 40;

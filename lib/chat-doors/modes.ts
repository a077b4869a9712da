import { z } from 'zod';
import { RUN_MODES, type TRunMode } from '../shared/runs';

// How a chat door's reader asks for a research run (issue 71) instead of a quick answer: Slack's words, "research:"
// before the question (a mention, a DM, a follow-up in an answered thread); Discord's `/ask` option `mode`
// (./doors/discord/commands.ts). Either way the run is the site's research run, one at a time per reader.

/** A door's `mode` as the reader gave it (Discord's option): quick or research; anything else is refused. */
export const ZChatRunMode = z.enum(RUN_MODES);

/** The word before a question that asks for research: "research: why does…" (any case; the colon or a dash). */
const RESEARCH_PREFIX = /^\s*research\s*[:\-–—]\s*/i;

/** A question's text and the mode it asks for: "research: <question>" asks for research, with the word taken off. */
export function chatAskOf(text: string): { mode: TRunMode; text: string } {
  const match = RESEARCH_PREFIX.exec(text);
  if (!match) return { mode: 'quick', text };
  return { mode: 'research', text: text.slice(match[0].length).trim() };
}

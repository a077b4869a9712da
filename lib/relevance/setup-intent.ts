import { stem } from './stem';

// Questions that ask how to set something up, and the sections that do (issue 69, item 1): what the ranking (a
// question about a page's subject, lib/docs/search/ranking/subject.ts) and the offline answer (its lead) share.

/** The question asks how to set something up: connect, set up, configure, install, integrate, enable, hook up. */
export function isSetupQuestion(query: string): boolean {
  return /\b(?:connect|set\s*up|configure|install|integrate|enable|hook\s+up|wire\s+up)\b/i.test(query);
}

const SETUP_HEADING_STEMS = new Set(['configure', 'setup', 'install', 'enable', 'connect', 'integrate'].map((word) => stem(word)));

/** A heading, as its stems (space-separated), that says it sets something up: "Configure the server", "Installation". */
export function isSetupHeadingStems(headingStems: string): boolean {
  return headingStems !== '' && headingStems.split(' ').some((word) => SETUP_HEADING_STEMS.has(word));
}

/** The same, of a heading as written: its words stemmed. */
export function isSetupHeading(heading: string): boolean {
  return (heading.toLowerCase().match(/\p{L}+/gu) ?? []).some((word) => SETUP_HEADING_STEMS.has(stem(word)));
}

// Clarifying choices (issue 71 item 4): when a question's best matches are pages about different things nearly
// equally ("how do I make a popup?": Popover, Modal, Tooltip), the answer answers from the best and offers each as a
// choice that asks again naming it. Kept in the answer's metadata (`choices`), read by every door that shows answers
// (the panel's buttons, Slack's and Discord's). Bounded here, where they are made and where they are read.

export const CHOICES_METADATA_KEY = 'choices';
/** At most this many choices under one answer. */
export const MAX_CHOICES = 3;
/** A choice's label (a page's name) is cut at this many characters. */
export const MAX_CHOICE_LABEL_CHARS = 60;
/** The question a choice asks is cut at this many characters (a reader's question is longer only when pasted). */
export const MAX_CHOICE_QUESTION_CHARS = 300;

export type TChoice = { label: string; question: string };

function cut(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The choices for `labels` on `question` (the reader's question as stored: masked): each asks the question again
 * naming its label first ("Popover: how do I make a popup?"), so that the search and the answer are about it.
 * Labels are deduplicated (case aside), bounded; fewer than two is no choice at all (empty).
 */
export function choicesFor(labels: string[], question: string): TChoice[] {
  const seen = new Set<string>();
  const asked = cut(question, MAX_CHOICE_QUESTION_CHARS);
  const choices: TChoice[] = [];
  for (const raw of labels) {
    const label = cut(raw, MAX_CHOICE_LABEL_CHARS);
    if (label === '' || seen.has(label.toLowerCase())) continue;
    seen.add(label.toLowerCase());
    choices.push({ label, question: cut(asked === '' ? label : `${label}: ${asked}`, MAX_CHOICE_QUESTION_CHARS) });
    if (choices.length === MAX_CHOICES) break;
  }
  return choices.length >= 2 ? choices : [];
}

/**
 * A page's name as a choice: its title without the trailing part a crawled site adds after a dash ("Select -
 * Components" is Select), which would make every choice end alike.
 */
export function choiceLabel(title: string): string {
  const head = title.split(/\s+[-–—|]\s+/)[0]?.trim() ?? '';
  return head === '' ? title : head;
}

/** An answer's choices from its metadata, bounded again (metadata is stored jsonb: read it as untrusted). */
export function readChoices(metadata: Record<string, unknown> | null | undefined): TChoice[] {
  const value = metadata?.[CHOICES_METADATA_KEY];
  if (!Array.isArray(value)) return [];
  const choices: TChoice[] = [];
  for (const item of value.slice(0, MAX_CHOICES)) {
    if (typeof item !== 'object' || item === null) continue;
    const { label, question } = item as Record<string, unknown>;
    if (typeof label !== 'string' || typeof question !== 'string' || label.trim() === '' || question.trim() === '') continue;
    choices.push({ label: cut(label, MAX_CHOICE_LABEL_CHARS), question: cut(question, MAX_CHOICE_QUESTION_CHARS) });
  }
  return choices.length >= 2 ? choices : [];
}

/**
 * A model's structured reply (its instructions, lib/assistant/instructions.ts): a last line `Choices: A | B | C`.
 * The line is taken out of the text; its labels are returned. No such line: the text as it is, no labels.
 */
export function takeChoicesLine(text: string): { text: string; labels: string[] } {
  const match = /\n\s*Choices:[ \t]*([^\n]+)\s*$/i.exec(text);
  if (!match) return { text, labels: [] };
  const labels = (match[1] ?? '').split('|').map((label) => label.replace(/[*_`[\]]/g, '').trim()).filter((label) => label !== '');
  return { text: text.slice(0, match.index).trimEnd(), labels };
}

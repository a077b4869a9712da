// A docs section quoted in an answer: its opening prose and its first blocks (code, table, list), shortened
// without cutting any of them open. Pure text.

const CODE_EXCERPT_LINES = 16;
const TABLE_EXCERPT_ROWS = 8;
const LIST_EXCERPT_ITEMS = 5;
const LIST_ITEM_CHARS = 220;
const PROSE_BUDGET = 400;
const PROSE_AFTER_BLOCK = 160;
const MAX_BLOCKS = 2;

type TBlock = { kind: 'prose' | 'code' | 'table' | 'list'; text: string };

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

/** Sections are markdown: paragraphs, fenced code, pipe tables, lists. Split them, keeping fences whole. */
function splitBlocks(content: string): TBlock[] {
  const blocks: TBlock[] = [];
  let lines: string[] = [];
  let isInFence = false;
  const flush = () => {
    const text = lines.join('\n').replace(/^\n+|\s+$/g, '');
    lines = [];
    if (text.trim() === '') return;
    const rows = text.split('\n');
    const kind = text.trimStart().startsWith('```')
      ? 'code'
      : rows.every((line) => line.trimStart().startsWith('|'))
        ? 'table'
        : LIST_ITEM.test(rows[0] as string)
          ? 'list'
          : 'prose';
    blocks.push({ kind, text });
  };
  let isFenceInList = false;
  let isBlankInList = false;
  for (const line of content.split('\n')) {
    const isFence = line.trimStart().startsWith('```');
    // After a blank line in a list, an indented line or another item goes on with the list; anything else ends it.
    if (isBlankInList && line.trim() !== '') {
      isBlankInList = false;
      if (/^\s/.test(line) || LIST_ITEM.test(line)) lines.push('');
      else flush();
    }
    // A fence indented under a list item is part of that item: the list keeps it, re-indented as it was.
    if (!isInFence && isFence && /^\s/.test(line) && lines.length > 0 && LIST_ITEM.test(lines[0] as string)) {
      isInFence = true;
      isFenceInList = true;
      lines.push(line);
      continue;
    }
    if (isInFence && isFenceInList) {
      lines.push(line);
      if (isFence) isInFence = isFenceInList = false;
      continue;
    }
    if (!isInFence && isFence) flush();
    if (!isInFence && !isFence && line.trim() === '') {
      // A blank line inside a list (before an item's indented paragraph, or between loose items) does not end it.
      if (lines.length > 0 && LIST_ITEM.test(lines[0] as string)) isBlankInList = true;
      else flush();
      continue;
    }
    lines.push(line);
    if (isFence) {
      isInFence = !isInFence;
      if (!isInFence) flush();
    }
  }
  flush();
  return blocks;
}

/** A paragraph (or a list's last line) that ends in a colon introduces the block after it: "Set it on the server:". */
const LEAD_IN = /:\s*$/;

/**
 * An excerpt that reads as the docs do: the section's opening prose cut at a sentence, and its first code
 * block, table or list kept as markdown (shortened, never cut open), in the order the section has them. At
 * most two such blocks, and prose after them only while the budget lasts. A lead-in is never left without
 * the block it introduces: that block is kept even when its kind was shown already or the blocks are used up,
 * and the excerpt ends after it.
 */
export function excerpt(content: string): string {
  const parts: string[] = [];
  let prose = 0;
  const kept = new Set<TBlock['kind']>();
  const blocks = splitBlocks(content);
  // Index of the block the last part came from: a lead-in introduces only the block right after it.
  let lastKept = -1;
  for (const [index, block] of blocks.entries()) {
    if (block.kind === 'prose') {
      if (prose >= PROSE_BUDGET) continue;
      const text = block.text.replace(/\s*\n\s*/g, ' ').trim();
      const cut = cutAtSentence(text, PROSE_BUDGET - prose);
      prose = cut.length < text.length ? PROSE_BUDGET : prose + cut.length;
      if (cut !== '') {
        parts.push(cut);
        lastKept = index;
      }
      continue;
    }
    const isIntroduced = lastKept === index - 1 && LEAD_IN.test(parts[parts.length - 1] ?? '');
    if (kept.has(block.kind) && !isIntroduced) continue;
    const isExtra = kept.has(block.kind);
    kept.add(block.kind);
    parts.push(block.kind === 'code' ? shortCode(block.text) : block.kind === 'table' ? shortTable(block.text) : shortList(block.text));
    lastKept = index;
    const next = blocks[index + 1];
    const isLeadingIn = LEAD_IN.test(parts[parts.length - 1] ?? '') && next !== undefined && next.kind !== 'prose';
    if ((isExtra || kept.size >= MAX_BLOCKS) && !isLeadingIn) break;
    // After a block, a little more prose at most (the sentence that explains it).
    prose = Math.max(prose, PROSE_BUDGET - PROSE_AFTER_BLOCK);
  }
  return parts.join('\n\n');
}

/** Whole sentences up to `budget` characters; the first sentence whole when it alone is longer (cut at a word). */
function cutAtSentence(text: string, budget: number): string {
  if (text.length <= budget) return closeInlineCode(text);
  // A sentence ends at . ! or ? before a space and a capital (or a quote, code, a digit): "Theme.Provider" does not.
  const sentences = text.split(/(?<=[.!?]["”’)]?)\s+(?=[\p{Lu}\p{N}"“'`(<*_[])/u).map((sentence) => `${sentence} `);
  let out = '';
  for (const sentence of sentences) {
    if (out.length + sentence.length > budget) break;
    out += sentence;
  }
  if (out.trim() !== '') return closeInlineCode(out.trim());
  if (budget < 80) return '';
  const first = sentences[0] as string;
  const lastSpace = first.slice(0, budget).lastIndexOf(' ');
  return `${closeInlineCode(first.slice(0, lastSpace > budget / 2 ? lastSpace : budget).trimEnd())}…`;
}

/** Never leave inline code open: an odd backtick would swallow the rest of the answer. */
function closeInlineCode(text: string): string {
  return (text.match(/`/g) ?? []).length % 2 === 1 ? text.slice(0, text.lastIndexOf('`')).trimEnd() : text;
}

/** The code's first lines, the fence closed at the indentation it opened with (inside a list item, that keeps it there). */
function shortCode(text: string): string {
  const lines = text.split('\n');
  const indent = (lines[0] as string).match(/^\s*/)?.[0] ?? '';
  const fence = (lines[0] as string).trimStart().match(/^`{3,}/)?.[0] ?? '```';
  const isClosed = lines.length > 1 && (lines[lines.length - 1] as string).trim().startsWith(fence);
  const body = lines.slice(1, isClosed ? -1 : undefined);
  const shown = body.slice(0, CODE_EXCERPT_LINES);
  if (body.length > shown.length) shown.push(`${indent}// …`);
  return [lines[0], ...shown, `${indent}${fence}`].join('\n');
}

function shortTable(text: string): string {
  const rows = text.split('\n').map((row) => row.trim());
  const isSeparator = (row: string) => /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/.test(row);
  const header = rows[0] as string;
  const body = rows.slice(1).filter((row) => !isSeparator(row));
  const columns = Math.max(1, header.split('|').length - 2);
  const shown = body.slice(0, TABLE_EXCERPT_ROWS);
  const table = [header, `|${' --- |'.repeat(columns)}`, ...shown].join('\n');
  return body.length > shown.length ? `${table}\n\n(${body.length - shown.length} more rows in the docs)` : table;
}

/** A top-level list item: its line, and what is under it (nested items, more text, a code fence), each as lines. */
type TListItem = { line: string; details: string[][] };

function listItems(text: string): TListItem[] {
  const items: TListItem[] = [];
  let fence: string[] | null = null;
  for (const line of text.split('\n')) {
    if (fence) {
      fence.push(line);
      if (line.trimStart().startsWith('```')) fence = null;
      continue;
    }
    if (line.trim() === '') continue;
    const last = items[items.length - 1];
    if (!last || /^([-*+]|\d+[.)])\s/.test(line)) {
      items.push({ line, details: [] });
      continue;
    }
    const detail = [line];
    last.details.push(detail);
    if (line.trimStart().startsWith('```')) fence = detail;
  }
  return items;
}

/** One line of a list, its indentation and marker kept, a long one ended at a sentence. */
function shortListLine(line: string): string {
  const marker = line.match(/^\s*(?:([-*+]|\d+[.)])\s)?/)?.[0] ?? '';
  const body = line.slice(marker.length);
  return `${marker}${body.length > LIST_ITEM_CHARS ? cutAtSentence(body, LIST_ITEM_CHARS) : body}`;
}

/**
 * The list's first items, each whole: what is under an item (a step's sub-list, its note, its code) is part of
 * the step. "3. Add the bot token scopes:" without the scopes under it answered nothing.
 */
function shortList(text: string): string {
  const items = listItems(text);
  const shown = items.slice(0, LIST_EXCERPT_ITEMS);
  const lines: string[] = [];
  for (const item of shown) {
    lines.push(shortListLine(item.line));
    let previous = item.line;
    for (const detail of item.details) {
      const first = detail[0] as string;
      // A note after a sub-list is the step's own paragraph again: a blank line keeps it out of the last sub-item.
      if (!LIST_ITEM.test(first) && LIST_ITEM.test(previous) && previous !== item.line) lines.push('');
      lines.push(detail.length > 1 ? shortCode(detail.join('\n')) : shortListLine(first));
      previous = first;
    }
  }
  // What was left out is said in words: a bare "- …" after a numbered list read as an empty step.
  if (items.length > shown.length) return `${lines.join('\n')}\n\n(${items.length - shown.length} more in the docs)`;
  return lines.join('\n');
}

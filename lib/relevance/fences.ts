// Fenced code blocks (``` and ~~~), line by line, as CommonMark reads them: a fence is three or more backticks or
// tildes (a backtick fence's info string holds no backtick, else the line is inline code); the block runs to a closing
// fence of the same character, at least as long as the opening one, with nothing after it but white space, or to the
// end of the text. A fence may be indented any amount: a block nested in a list item is indented under the item's
// text. Pure text: what the docs' parser, the docs folder's partials and the reading of a reader's report all agree on.

/** A block's opening fence, as written: its line is `${indent}${marker}${info}`. */
export type TFence = {
  indent: string;
  /** The run of backticks or tildes, whole: a closing fence is at least this long. */
  marker: string;
  /** What follows the marker, as written (leading spaces kept; the language is its first word). */
  info: string;
};

/** A line as fences read it. */
export type TFencedLine = {
  /** The block the line is in (its opening fence), null outside any; a block's own fence lines are in it. */
  fence: TFence | null;
  /** Whether the line is its block's opening or closing fence: markup, not code. */
  isFence: boolean;
  /** The block still open after the line: `fence`, or null after a closing fence. */
  openAfter: TFence | null;
};

// The info string runs to the end of the line, a CRLF line's \r included (`.` would stop before it).
const FENCE_LINE = /^([ \t]*)(`{3,}|~{3,})([^\n]*)$/;

/** `line` read with `openBefore` the block open before it (null: none). */
export function fencedLine(line: string, openBefore: TFence | null): TFencedLine {
  const match = FENCE_LINE.exec(line);
  if (openBefore !== null) {
    const isClosing =
      match !== null && match[2]![0] === openBefore.marker[0] && match[2]!.length >= openBefore.marker.length && match[3]!.trim() === '';
    return { fence: openBefore, isFence: isClosing, openAfter: isClosing ? null : openBefore };
  }
  if (match === null || (match[2]![0] === '`' && match[3]!.includes('`'))) return { fence: null, isFence: false, openAfter: null };
  const fence = { indent: match[1]!, marker: match[2]!, info: match[3]! };
  return { fence, isFence: true, openAfter: fence };
}

/** Every line of a text (split at '\n'), read in order from outside any block. */
export function fencedLines(lines: readonly string[]): TFencedLine[] {
  let open: TFence | null = null;
  return lines.map((line) => {
    const read = fencedLine(line, open);
    open = read.openAfter;
    return read;
  });
}

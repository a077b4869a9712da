// What a section's markdown shows (prose, code, numbered steps) and what a question asks for (how to do something):
// the ranker ranks a section that shows how higher for a how-to question, and the offline answer leads with one.

/** A fenced code block, whole (an unclosed fence runs to the end, as markdown reads it). */
const FENCED_CODE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n[ \t]*\1[ \t]*(?=\n|$)|(?![\s\S]))/gm;
const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** A section's markdown as prose and code: its fenced code blocks (fence lines dropped) apart from the rest. */
export function splitCode(content: string): { prose: string; code: string } {
  const code: string[] = [];
  const prose = content.replace(FENCED_CODE, (block) => {
    code.push(
      block
        .split('\n')
        .slice(1)
        .filter((line) => !FENCE_LINE.test(line))
        .join('\n'),
    );
    return '\n';
  });
  return { prose, code: code.join('\n') };
}

/** A numbered list's item: steps. */
const NUMBERED_STEP = /^[ \t]*\d+[.)][ \t]+\S/m;

/** A section shows how to do something when it has code or numbered steps (its content already split by splitCode). */
export function showsHowIn({ prose, code }: { prose: string; code: string }): boolean {
  return code.trim() !== '' || NUMBERED_STEP.test(prose);
}

/** A section's markdown shows how to do something: code or numbered steps. */
export function showsHow(content: string): boolean {
  return showsHowIn(splitCode(content));
}

/**
 * A question that asks how to do something, from its first words: "How do I add a toast?", "how to configure
 * Slack", "Is there a way to …", "What's the best way to …", "Steps to …". Its answer is a section that shows how
 * (steps or code), not one that says when to use the thing. A report that says "how to" in passing ("Tooltip on a
 * disabled button … I don't know how to …") asks something else.
 */
export function isHowToQuestion(query: string): boolean {
  return /^\W*(how\s+(do|can|could|should|would|will|to|does)\b|is\s+there\s+(a|any)\s+way\b|(what'?s|what\s+is)\s+the\s+(best\s+|right\s+|recommended\s+)?way\b|steps\s+to\b)/i.test(
    query,
  );
}

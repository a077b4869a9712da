import { describe, expect, it } from 'vitest';
import { normaliseFlavours } from '@/lib/docs/parse/flavours';

// Other frameworks' block syntax rewritten before parsing (lib/docs/parse/flavours.ts), where code blocks end as
// CommonMark ends them: a line that only looks like a fence neither opens a block nor closes one.

describe('normaliseFlavours and code blocks', () => {
  it('ends a container at its own ::: after a code block that shows a shorter fence', () => {
    const source = ['::: warning Close your blocks', '````md', 'End a block with its fence:', '```', '````', ':::', '', 'After the container.'].join('\n');
    const lines = normaliseFlavours(source).split('\n');
    // The ``` line is the example's text: the ```` block, and then the container, close after it.
    expect(lines).toContain('> ```');
    expect(lines).toContain('After the container.');
    expect(lines).not.toContain('> After the container.');
  });

  it('reads a line of inline code that starts with backticks as text, and rewrites the headings after it', () => {
    const source = '```` ```js ```` opens a code block.\n\n## Setup {#setup}\n';
    expect(normaliseFlavours(source)).toContain('## Setup \\{#setup}');
  });
});

import { describe, expect, it } from 'vitest';
import { fencedLine, fencedLines } from '@/lib/relevance/fences';

// Fenced code blocks read line by line as CommonMark reads them (lib/relevance/fences.ts): the one reading the docs'
// parser, the partials and the reading of a reader's report share.

/** Each line as one letter: `o` opening fence, `c` closing fence, `i` inside a block, `.` outside. */
function shape(text: string): string {
  return fencedLines(text.split('\n'))
    .map((read) => (read.fence === null ? '.' : !read.isFence ? 'i' : read.openAfter === null ? 'c' : 'o'))
    .join('');
}

describe('fencedLines', () => {
  it('marks a block of backticks and one of tildes, fences included, and the prose around them', () => {
    expect(shape('prose\n```js\nconst a = 1;\n```\nmore\n~~~\ncode\n~~~\nend')).toBe('.oic.oic.');
  });

  it('gives each line of a block the fence that opened it: indent, marker and info as written', () => {
    const reads = fencedLines(['  ````ts title="a.ts"', '  code', '  ````', 'after']);
    const opening = { indent: '  ', marker: '````', info: 'ts title="a.ts"' };
    expect(reads.map((read) => read.fence)).toEqual([opening, opening, opening, null]);
    expect(reads.map((read) => read.openAfter)).toEqual([opening, opening, null, null]);
  });

  it('closes a block only with its own character: a ``` line inside a ~~~ block is code, and the other way round', () => {
    expect(shape('~~~md\n```js\nx\n```\n~~~\nprose')).toBe('oiiic.');
    expect(shape('```md\n~~~\nx\n~~~\n```\nprose')).toBe('oiiic.');
  });

  it('closes a block only with a fence at least as long as the opening one', () => {
    expect(shape('````md\n```\nx\n```\n````\nprose')).toBe('oiiic.');
    expect(shape('```\nx\n`````\nprose')).toBe('oic.');
  });

  it('closes a block only with a fence that has nothing after it but white space', () => {
    expect(shape('```\n```js\nx\n```  \nprose')).toBe('oiic.');
    // A CRLF line ending's \r is white space: a report pasted from Windows closes its blocks.
    expect(shape('```\r\nx\r\n```\r\nprose')).toBe('oic.');
  });

  it('leaves a block without its closing fence open to the end of the text', () => {
    expect(shape('prose\n```sh\nnpm i\nmore')).toBe('.oii');
    expect(fencedLines(['```', 'x']).at(-1)?.openAfter?.marker).toBe('```');
  });

  it('reads no fence in a line of inline code, nor in fewer than three markers', () => {
    // A backtick fence's info string holds no backtick: the line is inline code in a paragraph.
    expect(shape('```js` is a fence\ntext\n``\nmore')).toBe('....');
    // A tilde fence's may.
    expect(shape('~~~ `js`\nx\n~~~')).toBe('oic');
  });

  it('reads a fence however far it is indented: a block under a list item', () => {
    expect(shape('- step\n\n      ```bash\n      pnpm i\n      ```\n- next')).toBe('..oic.');
  });
});

describe('fencedLine', () => {
  it('reads one line after the block open before it', () => {
    const open = { indent: '', marker: '~~~', info: '' };
    expect(fencedLine('~~~~', open)).toEqual({ fence: open, isFence: true, openAfter: null });
    expect(fencedLine('```', open)).toEqual({ fence: open, isFence: false, openAfter: open });
    expect(fencedLine('text', null)).toEqual({ fence: null, isFence: false, openAfter: null });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocParseError } from '@/lib/docs/mdx';
import { MAX_SECTION_CHARS, packChunks, parseDoc, splitLongText } from '@/lib/docs/parse';
import { renderDoc } from '@/lib/docs/render';

const doc = (lines: string[]) => lines.join('\n');

describe('parseDoc: title, description and what is kept', () => {
  it('reads title and description from `export const meta`, and drops imports and other exports', () => {
    const parsed = parseDoc({
      path: 'guides/tokens.mdx',
      source: doc([
        "export const meta = {title: 'Design tokens', description: `Named values for colors and spacing.`, slug: '/tokens/'};",
        '',
        "import {Box} from '@twilio-paste/box';",
        "import Layout from '../layouts/Layout';",
        '',
        'export default Layout;',
        '',
        'export const getStaticProps = async () => ({props: {navigationData: await getNavigationData()}});',
        '',
        '## Usage',
        '',
        'Use tokens instead of raw values.',
      ]),
    });
    expect(parsed.title).toBe('Design tokens');
    expect(parsed.description).toBe('Named values for colors and spacing.');
    const text = parsed.sections.map((section) => section.content).join('\n');
    expect(text).toContain('Use tokens instead of raw values.');
    expect(text).not.toMatch(/import|getStaticProps|navigationData|export default/);
  });

  it('prefers front matter, and falls back to the first H1, then to the file name', () => {
    expect(parseDoc({ path: 'a.md', source: '---\ntitle: From front matter\ndescription: Desc\n---\n\n# Heading one\n\nBody.' }).title).toBe('From front matter');
    expect(parseDoc({ path: 'a.md', source: '# Heading one\n\nBody.' }).title).toBe('Heading one');
    expect(parseDoc({ path: 'guides/rate-limits.md', source: 'Just text.' }).title).toBe('Rate limits');
  });

  it('keeps code passed to JSX examples as template literals, and prose passed as string props', () => {
    const parsed = parseDoc({
      path: 'button.mdx',
      source: doc([
        '# Button',
        '',
        '## Primary',
        '',
        '<LivePreview scope={{Button}} language="jsx">',
        '  {`<Button variant="primary">',
        '  Save changes',
        '</Button>`}',
        '</LivePreview>',
        '',
        '<DoDont>',
        '  <Do title="Do" body="Use one primary button per view." />',
        '</DoDont>',
        '',
        '<Box marginTop="space40">Layout text is kept.</Box>',
      ]),
    });
    const section = parsed.sections.find((item) => item.heading === 'Primary');
    expect(section?.content).toMatch(/```jsx\n<Button variant="primary">\n\s*Save changes\n<\/Button>\n```/);
    expect(section?.content).toContain('Use one primary button per view.');
    expect(section?.content).toContain('Layout text is kept.');
    expect(section?.content).not.toContain('marginTop');
  });

  it('keeps nested lists (indented) and tables (as rows)', () => {
    const parsed = parseDoc({
      path: 'lists.md',
      source: doc([
        '## Steps',
        '',
        '1. Create the app',
        '   - add the `chat:write` scope',
        '   - install it',
        '2. Copy the token',
        '',
        '| Variable | Default |',
        '| --- | --- |',
        '| `RUN_LEASE_SECONDS` | 30 |',
      ]),
    });
    const content = parsed.sections[0]?.content ?? '';
    expect(content).toContain('1. Create the app\n  - add the `chat:write` scope\n  - install it\n2. Copy the token');
    expect(content).toContain('| Variable | Default |\n| `RUN_LEASE_SECONDS` | 30 |');
  });

  it('splits by heading with heading paths and GitHub anchors, including inline code and duplicates', () => {
    const parsed = parseDoc({
      path: 'config.mdx',
      source: doc(['# Config', '', 'Intro.', '', '## The `limit` option', '', 'A.', '', '### Edge cases', '', 'B.', '', '## Examples', '', 'C.', '', '## Examples', '', 'D.']),
    });
    expect(parsed.sections.map((section) => [section.heading, section.anchor, section.headingPath.join(' > ')])).toEqual([
      ['', '', ''],
      ['The limit option', 'the-limit-option', 'The limit option'],
      ['Edge cases', 'edge-cases', 'The limit option > Edge cases'],
      ['Examples', 'examples', 'Examples'],
      ['Examples', 'examples-1', 'Examples'],
    ]);
  });

  it('gives a page without body one section, so that it can still be found', () => {
    const parsed = parseDoc({ path: 'changelog.mdx', source: "export const meta = {title: 'Changelog', description: 'All releases.'};\n\n<Changelog />\n" });
    expect(parsed.sections).toEqual([{ heading: '', headingPath: [], anchor: '', content: 'All releases.' }]);
  });
});

describe('parseDoc: MDX the parser rejects', () => {
  it('keeps a stray `<` as text, with a warning', () => {
    const parsed = parseDoc({ path: 'nav.mdx', source: '## Back links\n\nUse an arrow, for example “<-- Back to list”.\n\nSee you <em>soon.\n' });
    expect(parsed.sections[0]?.content).toContain('<-- Back to list');
    expect(parsed.warnings.length).toBeGreaterThanOrEqual(2);
    expect(parsed.warnings[0]).toMatch(/line 3.*kept as text/);
  });

  it('leaves out an import repeated later in the page, with a warning', () => {
    const parsed = parseDoc({
      path: 'popover.mdx',
      source: "import {useState} from 'react';\n\n## State\n\nKeep state.\n\nimport {useState} from 'react'\n\nAfter.\n",
    });
    expect(parsed.warnings).toEqual([expect.stringMatching(/import\/export block left out/)]);
    expect(parsed.sections[0]?.content).toBe('Keep state.\n\nAfter.');
  });

  it('throws a DocParseError with the reason and position when it cannot repair', () => {
    const source = '# Broken\n\n<Box\n\nThe tag above never ends.\n';
    expect(() => parseDoc({ path: 'broken.mdx', source })).toThrow(DocParseError);
    expect(() => parseDoc({ path: 'broken.mdx', source })).toThrow(/\(line 5:\d+\)$/);
    // The same text as plain Markdown parses: only MDX is strict.
    expect(parseDoc({ path: 'broken.md', source }).sections[0]?.content).toContain('The tag above never ends.');
  });
});

describe('chunking', () => {
  it('keeps blocks whole, caps chunks, and starts each later chunk with the tail of the previous one', () => {
    const parts = Array.from({ length: 12 }, (_, index) => `Paragraph ${index} ${'word '.repeat(60).trim()}.`);
    const chunks = packChunks(parts, 1000, 120);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1000);
    for (let index = 1; index < chunks.length; index += 1) {
      expect(chunks[index]?.startsWith('…')).toBe(true);
      const tail = chunks[index]!.slice(1, 40);
      expect(chunks[index - 1]).toContain(tail);
    }
    for (const part of parts) expect(chunks.some((chunk) => chunk.includes(part))).toBe(true);
  });

  it('splits one long block at line, then word boundaries, with overlap', () => {
    const text = Array.from({ length: 300 }, (_, index) => `line${index}`).join('\n');
    const chunks = splitLongText(text, 500, 50);
    expect(chunks.every((chunk) => chunk.length <= 500)).toBe(true);
    expect(chunks.every((chunk) => /^line\d+/.test(chunk) && /line\d+$/.test(chunk))).toBe(true);
    expect(chunks.join('\n')).toContain('line299');
  });

  it('never loses a word and never exceeds the cap (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}( [a-z]{1,12}){0,80}$/), { minLength: 1, maxLength: 30 }), (parts) => {
        const chunks = packChunks(parts, 400, 60);
        const all = chunks.join(' ');
        for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(400);
        for (const word of parts.join(' ').split(' ')) expect(all).toContain(word);
      }),
      { numRuns: 60 },
    );
  });

  it('caps the sections of a real page', () => {
    const long = Array.from({ length: 40 }, (_, index) => `Sentence number ${index} explains one more detail of the option.`).join(' ');
    const parsed = parseDoc({ path: 'long.md', source: `## Long\n\n${long}\n\n${long}\n\n${long}` });
    expect(parsed.sections.length).toBeGreaterThan(1);
    expect(parsed.sections.every((section) => section.content.length <= MAX_SECTION_CHARS && section.anchor === 'long')).toBe(true);
  });
});

describe('renderDoc', () => {
  it('gives headings the same ids as the indexer anchors, and renders Callout and code examples', () => {
    const source = doc([
      '---',
      'title: Slack',
      '---',
      '',
      '## Create the `xoxb` token',
      '',
      '<Callout variant="warning" title="Careful">Keep it secret.</Callout>',
      '',
      '## Create the `xoxb` token',
      '',
      '<LivePreview>{`<Button>Go</Button>`}</LivePreview>',
    ]);
    const rendered = renderDoc({ source, path: 'slack.mdx', pageSlugs: new Set(['slack']) });
    const parsed = parseDoc({ source, path: 'slack.mdx' });
    expect(rendered.toc.map((entry) => entry.id)).toEqual(parsed.sections.map((section) => section.anchor));
    expect(rendered.toc.map((entry) => entry.id)).toEqual(['create-the-xoxb-token', 'create-the-xoxb-token-1']);
    expect(JSON.stringify(rendered.blocks)).toContain('"type":"callout","variant":"warning","title":"Careful"');
    expect(rendered.blocks).toContainEqual({ type: 'group', children: [{ type: 'code', lang: 'jsx', value: '<Button>Go</Button>' }] });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocParseError } from '@/lib/docs/parse/mdx';
import { MAX_SECTION_CHARS, packChunks, parseDoc, splitLongText } from '@/lib/docs/parse/parse';
import { renderDoc } from '@/lib/docs/site/render';

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

  it("reads an HTML element's alt and title, never its settings (an embedded iframe's allow, sandbox, style)", () => {
    const parsed = parseDoc({
      path: 'grid.mdx',
      source: doc([
        '## Loading state',
        '',
        'Use a skeleton in the cells while rows load.',
        '',
        '<iframe',
        '  src="https://codesandbox.io/embed/example"',
        '  title="Loading data grid example"',
        '  allow="accelerometer; camera; encrypted-media; geolocation; microphone"',
        '  sandbox="allow-forms allow-modals allow-popups allow-scripts"',
        '></iframe>',
        '',
        '<img src="/grid.png" alt="A grid with grey placeholder rows" class="wide shadowed framed" />',
      ]),
    });
    const text = parsed.sections.map((section) => section.content).join('\n');
    expect(text).toContain('Use a skeleton in the cells while rows load.');
    expect(text).toContain('Loading data grid example');
    expect(text).toContain('A grid with grey placeholder rows');
    expect(text).not.toMatch(/accelerometer|allow-forms|shadowed/);
  });

  it('keeps nested lists (indented) and tables (as markdown tables)', () => {
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
    expect(content).toContain('1. Create the app\n   - add the `chat:write` scope\n   - install it\n2. Copy the token');
    expect(content).toContain('| Variable | Default |\n| --- | --- |\n| `RUN_LEASE_SECONDS` | 30 |');
  });

  it('indents every line of a code fence nested in a list item, so the fence stays inside the item', () => {
    const parsed = parseDoc({
      path: 'upgrade.md',
      source: doc([
        '## Version 3',
        '',
        '- [Tabs] The `orientation` prop is required.',
        '',
        '  **Action**: add it to every Tabs.',
        '',
        '  ```jsx',
        '  // before',
        '  <Tabs>',
        '',
        '  // after',
        '  <Tabs orientation="horizontal">',
        '  ```',
        '',
        'See the change list.',
      ]),
    });
    expect(parsed.sections[0]?.content).toBe(
      doc([
        '- [Tabs] The `orientation` prop is required.',
        '  Action: add it to every Tabs.',
        '  ```jsx',
        '  // before',
        '  <Tabs>',
        '',
        '  // after',
        '  <Tabs orientation="horizontal">',
        '  ```',
        '',
        'See the change list.',
      ]),
    );
  });

  it('reads a JSX table as a markdown table, leaving out a column the page computes when it is built', () => {
    const parsed = parseDoc({
      path: 'install.mdx',
      source: doc([
        "import Pkg from '../package.json';",
        '',
        '## Requirements',
        '',
        'Install these first:',
        '',
        '<Box marginBottom="space60">',
        '  <Table tableLayout="fixed">',
        '    <THead>',
        '      <Tr>',
        '        <Th>Package</Th>',
        '        <Th>Version</Th>',
        '        <Th>Why</Th>',
        '      </Tr>',
        '    </THead>',
        '    <TBody>',
        '      <Tr>',
        '        <Td>kettle</Td>',
        "        <Td>{Pkg.peerDependencies['kettle']}</Td>",
        '        <Td>Boils the <strong>water</strong> | fast</Td>',
        '      </Tr>',
        '      <Tr>',
        '        <Td>teapot</Td><Td>{Pkg.version}</Td>',
        '',
        '        <Td>',
        '          Holds the tea.',
        '',
        '          Keeps it warm.',
        '        </Td>',
        '      </Tr>',
        '    </TBody>',
        '  </Table>',
        '</Box>',
        '',
        'Then start.',
      ]),
    });
    expect(parsed.sections[0]?.content).toBe(
      doc([
        'Install these first:',
        '',
        '| Package | Why |',
        '| --- | --- |',
        '| kettle | Boils the water \\| fast |',
        '| teapot | Holds the tea. Keeps it warm. |',
        '',
        'Then start.',
      ]),
    );
  });

  it('reads a JSX list as a markdown list, each item on one line, its code indented under it', () => {
    const parsed = parseDoc({
      path: 'checklist.mdx',
      source: doc([
        '## Before you start',
        '',
        '<UnorderedList>',
        '  <ListItem>',
        '    Name the form after what it',
        '    does for the reader.',
        '  </ListItem>',
        '  <ListItem>Ask only what you need.</ListItem>',
        '</UnorderedList>',
        '',
        '<ol>',
        '  <li>Open the panel.</li>',
        '  <li>',
        '    Paste the token:',
        '',
        '    ```bash',
        '    export TOKEN=abc',
        '    ```',
        '  </li>',
        '</ol>',
      ]),
    });
    expect(parsed.sections[0]?.content).toBe(
      doc([
        '- Name the form after what it does for the reader.',
        '- Ask only what you need.',
        '',
        '1. Open the panel.',
        '2. Paste the token:',
        '   ```bash',
        '   export TOKEN=abc',
        '   ```',
      ]),
    );
  });

  it('reads a JSX table without a header row as the blocks it lays out', () => {
    const parsed = parseDoc({
      path: 'browsers.mdx',
      source: doc(['## Browsers', '', '<Table>', '  <TBody>', '    <Tr>', '      <Td>', '        <strong>Firefox</strong>', '', '        Opens a calendar.', '      </Td>', '    </Tr>', '  </TBody>', '</Table>']),
    });
    expect(parsed.sections[0]?.content).toBe('Firefox\n\nOpens a calendar.');
  });

  it('keeps a link written as JSX on its own line in its sentence, and drops expressions it cannot evaluate', () => {
    const parsed = parseDoc({
      path: 'panel.mdx',
      source: doc([
        '## About',
        '',
        '<Callout variant="warning">',
        '  <CalloutHeading as="h4">One panel at a time</CalloutHeading>',
        '  <CalloutText>',
        "    Only one panel can be open. For questions, open{' '}",
        '    <Anchor href="https://example.com/discussions" showExternal>',
        '      a discussion',
        '    </Anchor>',
        '    .',
        '  </CalloutText>',
        '</Callout>',
        '',
        '<Paragraph>',
        '  Version {pkg.version} ships with',
        '  <strong>',
        '    both themes',
        '  </strong>',
        '  by default.',
        '</Paragraph>',
        '',
        '<CardHeading>',
        '  A heading',
        '</CardHeading>',
        '',
        '<CardBody>',
        '  Text of its own.',
        '</CardBody>',
      ]),
    });
    expect(parsed.sections[0]?.content).toBe(
      doc([
        'One panel at a time',
        '',
        'Only one panel can be open. For questions, open a discussion.',
        '',
        'Version ships with both themes by default.',
        '',
        'A heading',
        '',
        'Text of its own.',
      ]),
    );
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

  it('splits a long table at rows, each piece under the header, with no half row carried over', () => {
    const rows = Array.from({ length: 30 }, (_, index) => `| item ${index} | ${'detail '.repeat(8).trim()} ${index} |`);
    const table = ['| Item | Detail |', '| --- | --- |', ...rows].join('\n');
    const chunks = packChunks(['Intro.', table, 'After the table.'], 600, 120);
    expect(chunks.length).toBeGreaterThan(2);
    const tableRows = chunks.flatMap((chunk) => chunk.split('\n').filter((line) => line.startsWith('| item')));
    expect(tableRows).toEqual(rows);
    for (const chunk of chunks.filter((item) => item.includes('| item'))) {
      expect(chunk.slice(chunk.indexOf('| Item |'))).toMatch(/^\| Item \| Detail \|\n\| --- \| --- \|\n\| item/);
      expect(chunk.length).toBeLessThanOrEqual(600);
    }
    expect(chunks.some((chunk) => chunk.startsWith('…') && chunk.includes('|'))).toBe(false);
  });

  it('splits a long code block at lines, each piece a fenced block with its language, no line lost or carried over', () => {
    const lines = Array.from({ length: 80 }, (_, index) => `  transformIndexHtml${index}(url: string, html: string): Promise<string | null>`);
    const code = ['```ts', 'interface DevServer {', ...lines, '}', '```'].join('\n');
    const chunks = packChunks(['The server object:', code, 'After the code.'], 900, 120);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(900);
      // Every fence a chunk opens, it closes: a quote of any chunk reads its code as code.
      expect((chunk.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const codeChunks = chunks.filter((chunk) => chunk.includes('transformIndexHtml'));
    for (const chunk of codeChunks) expect(chunk.slice(chunk.indexOf('```'))).toMatch(/^```ts\n[^`]*\n```(\n\n|$)/);
    const codeLines = codeChunks.flatMap((chunk) => chunk.split('\n').filter((line) => line.includes('transformIndexHtml')));
    expect(codeLines).toEqual(lines);
    expect(chunks.some((chunk) => chunk.startsWith('…') && chunk.includes('transformIndexHtml'))).toBe(false);
  });

  it('carries no end of a code block into the next chunk: its overlap starts after the fence', () => {
    const code = ['```tsx', ...Array.from({ length: 12 }, (_, index) => `<Paragraph>Line ${index} of the example</Paragraph>`), '```'].join('\n');
    // The code and a short sentence fill the first chunk; the long paragraph after them starts the second, which opens
    // with the first chunk's tail: the sentence, and before the fix the example's last lines and its closing fence.
    const parts = [code, 'Break the text.', `More prose ${'again '.repeat(120).trim()}.`];
    const chunks = packChunks(parts, 900, 200);
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) expect((chunk.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(chunks[1]!.startsWith('…Break the text.')).toBe(true);
  });

  it('splits one long block at line, then word boundaries, with overlap', () => {
    const text = Array.from({ length: 300 }, (_, index) => `line${index}`).join('\n');
    const chunks = splitLongText(text, 500, 50);
    expect(chunks.every((chunk) => chunk.length <= 500)).toBe(true);
    expect(chunks.every((chunk) => /^line\d+/.test(chunk) && /line\d+$/.test(chunk))).toBe(true);
    expect(chunks.join('\n')).toContain('line299');
  });

  it('closes a code block a long list item holds where the text is cut, and opens it again in the next piece', () => {
    const code = Array.from({ length: 40 }, (_, index) => `  const value${index} = compute(${index});`).join('\n');
    const list = `- Install the plugin first.\n- Then configure it:\n\n  \`\`\`ts\n${code}\n  \`\`\`\n\n- Restart the server.`;
    const pieces = splitLongText(list, 600, 80);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(600);
      // Each piece has its fences paired: an opening with its language, then a closing.
      const fences = piece.match(/^[ \t]*```.*$/gm) ?? [];
      expect(fences.length % 2, piece).toBe(0);
      fences.forEach((fence, at) => expect(fence.trim()).toBe(at % 2 === 0 ? '```ts' : '```'));
    }
    expect(pieces.join('\n')).toContain('const value39 = compute(39);');
  });

  it('reads a line of inline code that starts with backticks as prose: no piece of a long list is fenced for it', () => {
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const list = `- Open a block:\n  \`\`\`\` \`\`\`js \`\`\`\` starts it.\n- Then ${words}.\n- Last ${words}.`;
    const pieces = splitLongText(list, 600, 80);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.split('\n')).not.toContain('  ````');
    expect(pieces[1]!.startsWith('word')).toBe(true);
  });

  it('cuts a long text whose fence line is longer than half the cap (the room for fences never takes the whole piece)', () => {
    const info = `ts ${'title="x" '.repeat(40)}`;
    const code = Array.from({ length: 60 }, (_, index) => `  const value${index} = compute(${index});`).join('\n');
    const list = `- Configure it:\n\n  \`\`\`${info}\n${code}\n  \`\`\`\n\n- Restart the server.`;
    const pieces = splitLongText(list, 600, 80);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThan(20);
    expect(pieces.join('\n')).toContain('const value59 = compute(59);');
    expect(pieces.at(-1)).toContain('Restart the server.');
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

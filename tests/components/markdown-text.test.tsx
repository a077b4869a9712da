// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Nodes } from 'mdast';
import { Markdown, parseMarkdown } from '@/components/assistant/markdown';
import { closeOpenMarkdown, inlineMarkdownAsText, markdownAsPlainBlocks } from '@/components/assistant/markdown-text';
import { renderWithProviders } from '../helpers/dom';
import { offlineAnswerTo } from '../helpers/offline-answer';

// What a message shows while its Markdown renderer loads (components/assistant/LazyMarkdown.tsx): the text its
// Markdown says, never the syntax; and a draft's unfinished end, closed before the renderer sees it. Checked
// against the renderer itself: the stand-in says the same words as the rendered answer.

const SYNTAX = /\*\*|```|~~~|~~|^#{1,6} |\]\(|<https?:|`/m;

const plain = (markdown: string) => markdownAsPlainBlocks(markdown).map((block) => block.text).join('\n\n');

/** The words and signs of a text, without spacing or list bullets: what the stand-in and the renderer must share. */
const letters = (text: string) => text.replace(/[\s•]+/g, '');

/** The text nodes of a Markdown tree, in order. */
function textOf(node: Nodes): string {
  if (node.type === 'text' || node.type === 'html') return node.value;
  return 'children' in node ? node.children.map((child) => textOf(child as Nodes)).join('') : '';
}

const SAMPLE = [
  '# Setting up',
  '',
  'From **Slack setup › Replies from Slack**: use *emphasis*, _this_, ~~not this~~ and `DATA_DIR` (a snake_case_name stays).',
  '',
  '- first [the Slack guide](/docs/guides/slack "Slack") and <https://example.com/x>',
  '- [x] done',
  '* second ![a diagram](https://example.com/d.png)',
  '',
  '1. one',
  '2. two',
  '',
  '> quoted **words**',
  '',
  '```bash',
  'npm ci',
  'echo "**not bold**" # a comment',
  '```',
  '',
  '| Variable | Default |',
  '| --- | ---: |',
  '| `RUN_EXPIRY_SECONDS` | 600 |',
  '',
  '---',
  '',
  'Escaped \\*stars\\* and a literal 2 * 3, with raw <b>HTML</b> kept as text.',
].join('\n');

describe('an answer’s Markdown as plain text', () => {
  it('keeps the words and the code, drops the syntax', () => {
    const blocks = markdownAsPlainBlocks(SAMPLE);
    expect(blocks.filter((block) => block.kind === 'code')).toEqual([{ kind: 'code', text: 'npm ci\necho "**not bold**" # a comment' }]);
    const text = blocks.filter((block) => block.kind === 'text').map((block) => block.text).join('\n\n');
    expect(text).not.toMatch(SYNTAX);
    expect(text).toContain('Setting up');
    expect(text).toContain('From Slack setup › Replies from Slack: use emphasis, this, not this and DATA_DIR (a snake_case_name stays).');
    expect(text).toContain('• first the Slack guide and https://example.com/x');
    expect(text).toContain('☑ done');
    expect(text).toContain('• second Image: a diagram');
    expect(text).toContain('1. one\n2. two');
    expect(text).toContain('quoted words');
    expect(text).toContain('Variable   Default\nRUN_EXPIRY_SECONDS   600');
    expect(text).toContain('Escaped *stars* and a literal 2 * 3, with raw <b>HTML</b> kept as text.');
    expect(text).not.toContain('---');
  });

  it('says what the renderer shows, word for word', async () => {
    const offline = await offlineAnswerTo('How do I reply from Slack?', [
      { title: 'Slack setup', heading: 'Replies from Slack', url: '/docs/guides/slack#replies-from-slack', content: 'A maintainer replies in the thread.\n\n```bash\nnpm run dev\n```' },
      { title: 'Configuration', heading: 'SLACK_SIGNING_SECRET', url: '/docs/configuration#slack_signing_secret', content: 'Set **SLACK_SIGNING_SECRET** to verify requests.' },
    ]);
    expect(offline.text).toMatch(/\*\*|```/);
    for (const markdown of [SAMPLE, offline.text]) {
      const rendered = renderWithProviders(<Markdown text={markdown} />).container;
      // The renderer's text, less what it says for screen readers alone (a link leaving the site) and an ordered
      // list's numbers (drawn by CSS).
      const shown = (rendered.textContent ?? '').replaceAll('(link takes you to an external page)', '');
      expect(letters(plain(markdown).replace(/^\s*\d+[.)]\s/gm, ''))).toBe(letters(shown));
      const text = markdownAsPlainBlocks(markdown).filter((block) => block.kind === 'text');
      expect(text.map((block) => block.text).join('\n')).not.toMatch(SYNTAX);
    }
  });

  it('loses the markers of text cut mid-way', () => {
    expect(inlineMarkdownAsText('From **Slack setup › Re')).toBe('From Slack setup › Re');
    expect(inlineMarkdownAsText('See [the guide](/docs/gui')).toBe('See the guide');
    expect(inlineMarkdownAsText('See [the gui')).toBe('See the gui');
    expect(inlineMarkdownAsText('Set `DATA_')).toBe('Set DATA_');
    expect(markdownAsPlainBlocks('Run:\n\n```bash\nnpm ci')).toEqual([
      { kind: 'text', text: 'Run:' },
      { kind: 'code', text: 'npm ci' },
    ]);
  });
});

describe('a draft’s unfinished end', () => {
  it('is closed, so that the renderer shows no syntax', () => {
    expect(closeOpenMarkdown('From **Slack setup › Re')).toBe('From **Slack setup › Re**');
    expect(closeOpenMarkdown('From **Slack setup › Replies** and **')).toBe('From **Slack setup › Replies** and');
    expect(closeOpenMarkdown('It is ~~old')).toBe('It is ~~old~~');
    expect(closeOpenMarkdown('Set `DATA_')).toBe('Set `DATA_`');
    expect(closeOpenMarkdown('Set **`DATA_')).toBe('Set **`DATA_`**');
    expect(closeOpenMarkdown('It is ~~old~')).toBe('It is ~~old~~');
    expect(closeOpenMarkdown('It is **~~old~')).toBe('It is **~~old~~**');
    expect(closeOpenMarkdown('Read [the Slack guide](/docs/gu')).toBe('Read the Slack guide');
    expect(closeOpenMarkdown('Read [the Slack gu')).toBe('Read the Slack gu');
    expect(closeOpenMarkdown('**Done.**\n\nNext, see [a](/docs/a) and [b')).toBe('**Done.**\n\nNext, see [a](/docs/a) and b');
    // Inside an open fence it is code, shown as written; a finished text is left as it is.
    expect(closeOpenMarkdown('Run:\n\n```bash\nnpm run **dev')).toBe('Run:\n\n```bash\nnpm run **dev');
    expect(closeOpenMarkdown('Use `**` for bold, and **bold** it is.')).toBe('Use `**` for bold, and **bold** it is.');
  });

  it('renders without syntax at every length', () => {
    const answer = 'From **Slack setup › Replies from Slack**: set `SLACK_SIGNING_SECRET`, then read [the guide](/docs/guides/slack) and ~~nothing~~ else.';
    for (let end = 1; end <= answer.length; end += 1) {
      // What the renderer shows as text: its tree's text (components/assistant/markdown.tsx renders each as written).
      const shown = textOf(parseMarkdown(closeOpenMarkdown(answer.slice(0, end))));
      expect(shown, answer.slice(0, end)).not.toMatch(/\*\*|~~|`|\]\(|\[/);
    }
  });
});

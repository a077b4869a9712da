// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { AssistantMessage, sourcesOf, UserMessage } from '@/components/assistant/Messages';
import { Markdown } from '@/components/assistant/markdown';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';

// Answers are markdown rendered into Paste components, never HTML; links are kept safe.

const INJECTION = '<img src=x onerror=alert(1)>';

function renderMarkdown(text: string) {
  return renderWithProviders(<Markdown text={text} />).container;
}

describe('markdown rendering', () => {
  it('renders headings, lists, tables, emphasis and inline code as elements', () => {
    const container = renderMarkdown(
      [
        '# Setting up',
        '',
        'Use **bold**, *emphasis* and `DATA_DIR`.',
        '',
        '- first',
        '- second',
        '',
        '1. one',
        '2. two',
        '',
        '| Variable | Default |',
        '| --- | ---: |',
        '| `RUN_EXPIRY_SECONDS` | 600 |',
      ].join('\n'),
    );
    expect(screen.getByRole('heading', { name: 'Setting up' }).tagName).toBe('H3');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('em')?.textContent).toBe('emphasis');
    expect(Array.from(container.querySelectorAll('code')).map((code) => code.textContent)).toEqual(['DATA_DIR', 'RUN_EXPIRY_SECONDS']);
    const lists = screen.getAllByRole('list');
    expect(lists.map((list) => list.tagName)).toEqual(['UL', 'OL']);
    expect(within(lists[1]!).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['one', 'two']);
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Variable', 'Default']);
    expect(within(table).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['RUN_EXPIRY_SECONDS', '600']);
  });

  it('renders fenced code in a CodeBlock with its language and a copy button', () => {
    const container = renderMarkdown('```bash\nnpm run quickstart\n```');
    expect(container.textContent).toContain('bash');
    expect(container.querySelector('pre')?.textContent).toContain('npm run quickstart');
    expect(screen.getByRole('button', { name: /copy/i })).toBeTruthy();
  });

  it('shows raw HTML as text and never creates its elements', () => {
    const container = renderMarkdown(`Before ${INJECTION} after\n\n<script>alert(2)</script>\n\n<a href="javascript:alert(3)">x</a>`);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toContain(INJECTION);
    expect(container.textContent).toContain('<script>alert(2)</script>');
  });

  it('links docs paths in-site, opens external links safely, and drops dangerous schemes', () => {
    renderMarkdown(
      '[Slack](/docs/configuration#slack), [OpenAI](https://platform.openai.com/docs), [bad](javascript:alert(1)), [data](data:text/html,hi) and [proto](//evil.example)',
    );
    const internal = screen.getByRole('link', { name: 'Slack' });
    expect(internal.getAttribute('href')).toBe('/docs/configuration#slack');
    expect(internal.getAttribute('target')).toBeNull();
    const external = screen.getByRole('link', { name: /OpenAI/ });
    expect(external.getAttribute('href')).toBe('https://platform.openai.com/docs');
    expect(external.getAttribute('target')).toBe('_blank');
    expect(external.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.queryByRole('link', { name: 'bad' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'data' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'proto' })).toBeNull();
    expect(screen.getByText(/bad/)).toBeTruthy();
  });

  it('does not load images; their alt text links to them instead', () => {
    const container = renderMarkdown('![diagram](https://example.com/a.png)');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: /Image: diagram/ }).getAttribute('href')).toBe('https://example.com/a.png');
  });
});

describe('messages', () => {
  it('shows a user message as plain text, HTML included', () => {
    const { container } = renderWithProviders(
      <AIChatLog>
        <UserMessage text={`Is this safe? ${INJECTION}`} />
      </AIChatLog>,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('listitem').textContent).toContain(INJECTION);
  });

  it('lists an answer\'s sources from its annotations, once each, numbered, under the text', () => {
    const text = 'See [Slack](/docs/configuration#slack) and [Slack again](/docs/configuration#slack), then [API](/docs/api).';
    const slackStart = text.indexOf('[Slack]');
    const annotations = [
      { type: 'url_citation' as const, url: '/docs/configuration#slack', title: 'Configuration › Slack', start_index: slackStart, end_index: slackStart + 38 },
      { type: 'url_citation' as const, url: '/docs/configuration#slack', title: 'Configuration › Slack', start_index: 45, end_index: 90 },
      { type: 'url_citation' as const, url: '/docs/api', title: 'API routes', start_index: 97, end_index: 113 },
    ];
    expect(sourcesOf(annotations).map((source) => [source.number, source.title])).toEqual([
      [1, 'Configuration › Slack'],
      [2, 'API routes'],
    ]);
    renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={buildMessage({ text, annotations })} />
      </AIChatLog>,
    );
    const source = screen.getByRole('link', { name: 'Configuration › Slack' });
    expect(source.getAttribute('href')).toBe('/docs/configuration#slack');
    expect(screen.getByRole('link', { name: 'API routes' }).getAttribute('href')).toBe('/docs/api');
    expect(screen.getByText('Sources')).toBeTruthy();
  });

  it('marks offline answers and says how to enable AI answers', () => {
    renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={buildMessage({ text: 'Excerpts', metadata: { offline: true } })} />
        <AssistantMessage message={buildMessage({ text: 'Written answer', metadata: {} })} />
      </AIChatLog>,
    );
    const [offline, written] = screen.getAllByRole('listitem');
    expect(offline!.textContent).toMatch(/Offline answer: these are excerpts/);
    expect(within(offline!).getByRole('link', { name: 'Configuration › Model' }).getAttribute('href')).toBe('/docs/configuration#model');
    expect(offline!.textContent).toContain('OPENAI_API_KEY');
    expect(written!.textContent).not.toMatch(/Offline answer/);
  });

  it('copies the answer and toggles a vote', async () => {
    const onVote = vi.fn();
    const message = buildMessage({ text: 'The **answer**.' });
    const { rerender } = renderWithProviders(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} />
      </AIChatLog>,
    );
    // user-event provides the clipboard, as a browser would.
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('The **answer**.');
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();

    const helpful = screen.getByRole('button', { name: 'Helpful' });
    expect(helpful.getAttribute('aria-pressed')).toBe('false');
    await user.click(helpful);
    expect(onVote).toHaveBeenLastCalledWith(message.id, 'up');
    rerender(
      <AIChatLog>
        <AssistantMessage message={message} onVote={onVote} vote="up" />
      </AIChatLog>,
    );
    expect(screen.getByRole('button', { name: 'Helpful' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Helpful' }));
    expect(onVote).toHaveBeenLastCalledWith(message.id, null);
    await user.click(screen.getByRole('button', { name: 'Not helpful' }));
    expect(onVote).toHaveBeenLastCalledWith(message.id, 'down');
  });
});

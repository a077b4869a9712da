// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef } from 'react';
import { describe, expect, it } from 'vitest';
import { useCodeCopyButtons } from '@/components/docs/code-copy';
import { renderDocBlocksHtml, renderDocsNavHtml, renderParseErrorHtml } from '@/components/docs/static-html';
import { StaticHtml } from '@/components/docs/StaticHtml';
import type { TStaticHtml } from '@/components/docs/static-html';

// A docs page's content and navigation come as HTML rendered on the server; React shows it as it is, and the code
// blocks' copy buttons work by delegation from the page's container.

function Page({ content }: { content: TStaticHtml }) {
  const ref = useRef<HTMLElement>(null);
  useCodeCopyButtons(ref);
  return (
    <main ref={ref}>
      <StaticHtml content={content} />
    </main>
  );
}

describe('docs pages as static HTML', () => {
  it('renders the blocks to HTML that needs no props: headings with their anchors, links, code', () => {
    const { html } = renderDocBlocksHtml([
      { type: 'heading', depth: 2, id: 'slack', text: 'Slack', children: [{ type: 'text', value: 'Slack' }] },
      { type: 'paragraph', children: [{ type: 'link', href: 'https://api.slack.com', children: [{ type: 'text', value: 'the API' }] }] },
      { type: 'code', lang: 'bash', value: 'npm start' },
    ]);
    render(<Page content={{ html }} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Slack' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Link to Slack' }).getAttribute('href')).toBe('#slack');
    const external = screen.getByRole('link', { name: /the API/ });
    expect(external.getAttribute('target')).toBe('_blank');
    expect(document.querySelector('pre')?.getAttribute('aria-label')).toBe('bash code');
    expect(document.querySelector('pre code')?.textContent).toBe('npm start');
  });

  it('a page whose file does not parse shows the error as an error callout, labelled for screen readers', () => {
    render(<Page content={renderParseErrorHtml('Unexpected character `<` at 3:1')} />);
    expect(screen.getByRole('heading', { level: 2, name: 'This page could not be read' })).toBeTruthy();
    expect(screen.getByText('Unexpected character `<` at 3:1')).toBeTruthy();
    expect(document.querySelector('.callout.callout-error .visually-hidden')?.textContent).toBe('(error)');
  });

  it('copies a code block from its button and says so for two seconds', async () => {
    const user = userEvent.setup();
    render(<Page content={renderDocBlocksHtml([{ type: 'code', lang: 'bash', value: 'npm run build\nnpm start' }])} />);
    const button = screen.getByRole('button', { name: 'Copy bash to clipboard' });
    expect(button.textContent).toBe('Copy');
    await user.click(button);
    expect(await navigator.clipboard.readText()).toBe('npm run build\nnpm start');
    await screen.findByText('Copied');
    await screen.findByText('Copy', {}, { timeout: 3000 });
  });

  it('marks the current page in the navigation, and gives each rendering its own ids', () => {
    const nav = renderDocsNavHtml([{ label: 'Guides', pages: [{ href: '/docs/a', title: 'A' }, { href: '/docs/b', title: 'B' }] }], '/docs/b');
    render(<StaticHtml content={nav} />);
    expect(screen.getByRole('link', { name: 'B' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'A' }).getAttribute('aria-current')).toBeNull();
    const content = renderDocBlocksHtml([{ type: 'paragraph', children: [{ type: 'link', href: 'https://example.com', children: [{ type: 'text', value: 'x' }] }] }]);
    expect(content.html).toMatch(/id="[^"]*doc-[^"]*"/);
  });

  it("lists a page's own pages in a list under its link, the current one marked", () => {
    const nav = renderDocsNavHtml(
      [{ label: 'Components', pages: [{ href: '/docs/badge', title: 'Badge', children: [{ href: '/docs/badge/api', title: 'API' }, { href: '/docs/badge/changelog', title: 'Changelog' }] }, { href: '/docs/button', title: 'Button' }] }],
      '/docs/badge/api',
    );
    render(<StaticHtml content={nav} />);
    const badge = screen.getByRole('link', { name: 'Badge' }).closest('li')!;
    const own = within(badge).getByRole('list');
    expect(within(own).getAllByRole('link').map((link) => link.textContent)).toEqual(['API', 'Changelog']);
    expect(within(own).getByRole('link', { name: 'API' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Badge' }).getAttribute('aria-current')).toBeNull();
    expect(within(screen.getByRole('link', { name: 'Button' }).closest('li')!).queryByRole('list')).toBeNull();
  });
});

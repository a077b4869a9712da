// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HostSearch, TopWindowLinks } from '@/components/assistant/links';
import { Markdown } from '@/components/assistant/markdown';
import { renderWithProviders } from '../helpers/dom';

// In the embed, an answer's "search the docs" link (/docs?q=…) leads to the host's own search (widget.js's
// data-search-url) in a new tab, never this server's /docs in the host's top window; without a search URL it is
// plain text. Other in-site links keep opening in the top window.

const ANSWER = 'The docs don\'t cover this. You can [search the docs](/docs?q=card+sizes) with other words, or read [Button](/docs/button).';

function renderEmbedAnswer(searchUrl: string | null) {
  return renderWithProviders(
    <TopWindowLinks value={true}>
      <HostSearch value={searchUrl}>
        <Markdown text={ANSWER} />
      </HostSearch>
    </TopWindowLinks>,
  ).container;
}

describe('"search the docs" in the embed', () => {
  it('goes to the host\'s search, with the words in its {query}, in a new tab', () => {
    renderEmbedAnswer('https://host.example/search?query={query}&lang=en');
    const link = screen.getByRole('link', { name: /search the docs/ });
    expect(link.getAttribute('href')).toBe('https://host.example/search?query=card%20sizes&lang=en');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    // Other in-site links are unchanged: the docs page, in the top window.
    expect(screen.getByRole('link', { name: 'Button' }).getAttribute('target')).toBe('_top');
  });

  it('adds the words as q to a search URL without {query}', () => {
    renderEmbedAnswer('https://host.example/search');
    expect(screen.getByRole('link', { name: /search the docs/ }).getAttribute('href')).toBe('https://host.example/search?q=card+sizes');
  });

  it('is plain text when the host configured no search', () => {
    const container = renderEmbedAnswer(null);
    expect(screen.queryByRole('link', { name: /search the docs/ })).toBeNull();
    expect(container.textContent).toContain('You can search the docs with other words');
    expect(screen.getByRole('link', { name: 'Button' })).toBeTruthy();
  });
});

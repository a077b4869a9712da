// The links of a docs page's "page actions" menu (components/docs/PageActions.tsx): its markdown twin, and a
// new chat in ChatGPT or Claude that starts with a question about the page. Plain links that carry the page's
// URL and the question in their query: nothing from those sites is loaded into ours.

/** `/docs` → `/docs.md`, `/docs/guides/slack` → `/docs/guides/slack.md` (served by pages/api/docs-markdown/[[...path]].ts). */
export function markdownHref(href: string): string {
  return `${href.replace(/[#?].*$/, '').replace(/\/+$/, '')}.md`;
}

export function pageQuestion({ pageUrl, title }: { pageUrl: string; title: string }): string {
  return `Read ${pageUrl} (as markdown: ${markdownHref(pageUrl)}) so that I can ask you questions about "${title}".`;
}

export function chatGptHref(question: string): string {
  return `https://chatgpt.com/?${new URLSearchParams({ hints: 'search', q: question }).toString()}`;
}

export function claudeHref(question: string): string {
  return `https://claude.ai/new?${new URLSearchParams({ q: question }).toString()}`;
}

import type { TStaticHtml } from './static-html';

/**
 * HTML rendered on the server by components/docs/static-html.tsx, shown as it is: React neither builds nor
 * hydrates what is inside. The wrapper takes no box of its own (`display: contents`, styles/site.css), so the
 * content lays out as if it were its container's own children. Its interactive parts work by delegation
 * (components/docs/code-copy.ts).
 */
export function StaticHtml({ content }: { content: TStaticHtml }) {
  return <div className="static-html" dangerouslySetInnerHTML={{ __html: content.html }} />;
}

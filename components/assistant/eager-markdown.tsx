import type { ReactNode } from 'react';
import { MarkdownRenderer, type TMarkdownProps } from './LazyMarkdown';
import { Markdown, MarkdownCodeRenderer, type TCodeProps } from './markdown';
import { MarkdownCode } from './markdown-code';

const renderMarkdown = (props: TMarkdownProps) => <Markdown {...props} />;
const renderCode = (props: TCodeProps) => <MarkdownCode {...props} />;

/**
 * Messages' markdown rendered at once, code blocks included, instead of loaded lazily: for a page rendered on the
 * server (the shared conversation, pages/shared/[id].tsx; the maintainers' transcript, pages/maintainers/threads/[tid].tsx).
 * A lazy part suspends the server's render: Next then streams it after the page behind inline scripts, which the
 * pages' script policy refuses, so without this the reader sees the plain stand-in and React fails to hydrate the
 * part (error #419). The page's bundle carries the renderer and the highlighter; the panel's does not (it imports
 * this file nowhere).
 */
export function EagerMarkdown({ children }: { children: ReactNode }) {
  return (
    <MarkdownRenderer value={renderMarkdown}>
      <MarkdownCodeRenderer value={renderCode}>{children}</MarkdownCodeRenderer>
    </MarkdownRenderer>
  );
}

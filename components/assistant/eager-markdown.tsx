import type { ReactNode } from 'react';
import { MarkdownRenderer, type TMarkdownProps } from './LazyMarkdown';
import { Markdown, MarkdownCodeRenderer, type TCodeProps } from './markdown';
import { MarkdownCode } from './markdown-code';

const renderMarkdown = (props: TMarkdownProps) => <Markdown {...props} />;
const renderCode = (props: TCodeProps) => <MarkdownCode {...props} />;

/**
 * Messages' markdown rendered at once, code blocks included, instead of loaded lazily: for a page whose server HTML
 * must be complete without JavaScript (the shared conversation, pages/shared/[id].tsx). The page's bundle carries
 * the renderer and the highlighter; the panel's does not (it imports this file nowhere).
 */
export function EagerMarkdown({ children }: { children: ReactNode }) {
  return (
    <MarkdownRenderer value={renderMarkdown}>
      <MarkdownCodeRenderer value={renderCode}>{children}</MarkdownCodeRenderer>
    </MarkdownRenderer>
  );
}

import { createContext, lazy, Suspense, useContext, type ReactNode } from 'react';
import { Box } from '@twilio-paste/core/box';

// The messages' markdown (components/assistant/markdown.tsx: remark, GFM and the Paste components it maps to)
// loads with the first message shown, not with the panel: a panel opened on a new conversation has none. Until it
// has loaded, a message shows as its plain text, marked `data-markdown="pending"` (browser tests wait for it to go).
// A page rendered on the server for readers without JavaScript (the shared conversation) provides the renderer
// itself (components/assistant/eager-markdown.tsx): the server's HTML then holds the rendered markdown, not the
// stand-in (Next streams a lazy part after the page's shell, and only a script would swap it in).

export type TMarkdownProps = { text: string; footnotes?: Map<number, number[]> };

/** Renders a message's markdown at once, when a page provides it. */
const MarkdownRendererContext = createContext<((props: TMarkdownProps) => ReactNode) | null>(null);
export const MarkdownRenderer = MarkdownRendererContext.Provider;

const LoadedMarkdown = lazy(() => import('./markdown').then(({ Markdown }) => ({ default: Markdown })));

export function Markdown({ text, footnotes }: TMarkdownProps) {
  const render = useContext(MarkdownRendererContext);
  if (render) return render({ text, footnotes });
  return (
    <Suspense
      fallback={
        <Box as="p" marginTop="space0" marginBottom="space40" whiteSpace="pre-wrap" data-markdown="pending">
          {text}
        </Box>
      }
    >
      <LoadedMarkdown text={text} footnotes={footnotes} />
    </Suspense>
  );
}

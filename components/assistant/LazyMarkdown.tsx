import { createContext, lazy, Suspense, useContext, useMemo, useState, type ReactNode } from 'react';
import { Box } from '@twilio-paste/core/box';
import { markdownAsPlainBlocks } from './markdown-text';

// The messages' markdown (components/assistant/markdown.tsx: remark, GFM and the Paste components it maps to) is
// a chunk of its own, fetched when a conversation is first shown (`preloadMarkdown`: the panel, /assistant and the
// embed call it as their log mounts), not with the docs page. Until it has arrived, which on a slow network or a
// loaded machine can be after the answer is complete, a message shows as the plain text its Markdown says, without
// the syntax (components/assistant/markdown-text.ts), marked `data-markdown="pending"` (browser tests wait for it to
// go). Once it has arrived, messages render with it at once, without suspending.
// A page rendered on the server (the shared conversation, the maintainers' transcript) provides the renderer itself
// (components/assistant/eager-markdown.tsx): the server's HTML then holds the rendered markdown, not the stand-in
// (Next streams a lazy part after the page's shell, and only a script would swap it in).

export type TMarkdownProps = { text: string; footnotes?: Map<number, number[]> };

/** Renders a message's markdown at once, when a page provides it. */
const MarkdownRendererContext = createContext<((props: TMarkdownProps) => ReactNode) | null>(null);
export const MarkdownRenderer = MarkdownRendererContext.Provider;

type TRenderer = (typeof import('./markdown'))['Markdown'];
let loadedRenderer: TRenderer | null = null;
let loadingRenderer: Promise<TRenderer> | null = null;

/** Starts fetching the renderer; safe to call often (one request, tried again after a failure). */
export function preloadMarkdown(): Promise<TRenderer> {
  loadingRenderer ??= import('./markdown').then(
    ({ Markdown: renderer }) => (loadedRenderer = renderer),
    (error: unknown) => {
      loadingRenderer = null;
      throw error;
    },
  );
  return loadingRenderer;
}

const LoadedMarkdown = lazy(() => preloadMarkdown().then((renderer) => ({ default: renderer })));

/** The message's text without its Markdown syntax, while the renderer loads: paragraphs, and code as code. */
function PlainMarkdown({ text }: { text: string }) {
  const blocks = useMemo(() => markdownAsPlainBlocks(text), [text]);
  return (
    <Box data-markdown="pending">
      {blocks.map((block, index) =>
        block.kind === 'code' ? (
          <Box key={index} as="pre" marginTop="space0" marginBottom="space40" whiteSpace="pre-wrap" fontFamily="fontFamilyCode" fontSize="fontSize30">
            {block.text}
          </Box>
        ) : (
          <Box key={index} as="p" marginTop="space0" marginBottom="space40" whiteSpace="pre-wrap">
            {block.text}
          </Box>
        ),
      )}
    </Box>
  );
}

export function Markdown({ text, footnotes }: TMarkdownProps) {
  const render = useContext(MarkdownRendererContext);
  // Decided once per message, so that it is never mounted again when the renderer arrives: a message first shown
  // after that renders with it directly (a lazy component suspends on its first render even when its code is there).
  const [Renderer] = useState(() => loadedRenderer);
  if (render) return render({ text, footnotes });
  if (Renderer) return <Renderer text={text} footnotes={footnotes} />;
  return (
    <Suspense fallback={<PlainMarkdown text={text} />}>
      <LoadedMarkdown text={text} footnotes={footnotes} />
    </Suspense>
  );
}

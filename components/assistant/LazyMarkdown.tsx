import { lazy, Suspense } from 'react';
import { Box } from '@twilio-paste/core/box';

// The messages' markdown (components/assistant/markdown.tsx: remark, GFM and the Paste components it maps to)
// loads with the first message shown, not with the panel: a panel opened on a new conversation has none. Until it
// has loaded, a message shows as its plain text, marked `data-markdown="pending"` (browser tests wait for it to go).

const LoadedMarkdown = lazy(() => import('./markdown').then(({ Markdown }) => ({ default: Markdown })));

export function Markdown({ text, footnotes }: { text: string; footnotes?: Map<number, number[]> }) {
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

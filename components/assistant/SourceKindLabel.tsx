import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { answeredByText, SOURCE_KIND_NAMES, THREAD_STATE_NAMES, type TCitedSource, type TPublicSourceKind, type TThreadState } from '@/lib/shared/docs';

// Beside a source in an answer's source list: what kind of source it is when it is not a page of these docs, and
// a thread's number and state, so that a reader tells a docs page from a two-year-old issue at a glance; a
// maintainers' answer reads "Answered by the maintainers (date)". Words, not colour alone: an open thread says it
// is not fixed.

const STATE_VARIANTS: Record<TThreadState, 'warning' | 'neutral' | 'success'> = { open: 'warning', closed: 'neutral', merged: 'success' };

const kindName = (kind: string) => (Object.hasOwn(SOURCE_KIND_NAMES, kind) ? SOURCE_KIND_NAMES[kind as TPublicSourceKind] : kind);

/** Nothing for a docs page (or a source that says nothing of itself); else its kind, number and state. */
export function SourceKindLabel({ source }: { source: TCitedSource | undefined }) {
  if (!source || source.kind === 'docs') return null;
  const state = source.state && Object.hasOwn(THREAD_STATE_NAMES, source.state) ? source.state : undefined;
  return (
    <Box as="span" display="inline-flex" columnGap="space20" marginLeft="space20" verticalAlign="middle" data-testid="source-kind">
      <ScreenReaderOnly>(</ScreenReaderOnly>
      <Badge as="span" variant="neutral">
        {source.kind === 'answer' ? answeredByText(source.answeredAt) : kindName(source.kind)}
        {source.number !== undefined ? ` #${source.number}` : ''}
      </Badge>
      {state ? (
        <Badge as="span" variant={STATE_VARIANTS[state]}>
          {state === 'open' ? `${THREAD_STATE_NAMES.open}: not fixed yet` : THREAD_STATE_NAMES[state]}
        </Badge>
      ) : null}
      <ScreenReaderOnly>)</ScreenReaderOnly>
    </Box>
  );
}

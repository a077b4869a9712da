import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import type { TCitedSource, TThreadState } from '@/lib/shared/docs';
import type { TUiKey } from '@/lib/shared/i18n/en';
import { useUiText } from './ui-text';

// Beside a source in an answer's source list: what kind of source it is when it is not a page of these docs, and
// a thread's number and state, so that a reader tells a docs page from a two-year-old issue at a glance; a
// maintainers' answer reads "Answered by the maintainers (date)". Words, not colour alone: an open thread says it
// is not fixed. In the reader's language (lib/shared/i18n/).

const STATE_VARIANTS: Record<TThreadState, 'warning' | 'neutral' | 'success'> = { open: 'warning', closed: 'neutral', merged: 'success' };

const KIND_KEYS: Record<string, TUiKey> = { page: 'source.kind.page', thread: 'source.kind.thread', answer: 'source.kind.answer', api: 'source.kind.api' };
const STATE_KEYS: Record<TThreadState, TUiKey> = { open: 'source.state.open', closed: 'source.state.closed', merged: 'source.state.merged' };

/** Nothing for a docs page (or a source that says nothing of itself); else its kind, number and state. */
export function SourceKindLabel({ source }: { source: TCitedSource | undefined }) {
  const t = useUiText();
  if (!source || source.kind === 'docs') return null;
  const state = source.state && Object.hasOwn(STATE_KEYS, source.state) ? source.state : undefined;
  // A kind this build does not know (stored data is not trusted to be one) is shown as it is.
  const kindName = Object.hasOwn(KIND_KEYS, source.kind) ? t(KIND_KEYS[source.kind]!) : source.kind;
  return (
    <Box as="span" display="inline-flex" columnGap="space20" marginLeft="space20" verticalAlign="middle" data-testid="source-kind">
      <ScreenReaderOnly>(</ScreenReaderOnly>
      <Badge as="span" variant="neutral">
        {source.kind === 'answer' ? (source.answeredAt ? t('source.answeredByOn', { day: source.answeredAt }) : t('source.answeredBy')) : kindName}
        {source.number !== undefined ? ` #${source.number}` : ''}
      </Badge>
      {state ? (
        <Badge as="span" variant={STATE_VARIANTS[state]}>
          {t(STATE_KEYS[state])}
        </Badge>
      ) : null}
      <ScreenReaderOnly>)</ScreenReaderOnly>
    </Box>
  );
}

import { useEffect, useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Table, TBody, Td, Th, THead, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import type { TDeflectionView, TRateView } from '@/lib/shared/deflection';
import type { TDashboardView } from '@/lib/shared/maintainers-dashboard';
import type { TMaintainerLink } from './use-maintainer-list';

// Deflection and sources on the maintainers' dashboard, for the dashboard's period: the rates of the questions,
// citations per kind of source and per source, pages no answer cited, questions per page read, shared
// conversations, and the same as CSV. Loaded in the browser from /api/maintainers/deflection.

const RATES: { key: keyof TDeflectionView['rates']; label: string }[] = [
  { key: 'deflected', label: 'Deflected (answered, not voted down, no maintainer needed)' },
  { key: 'answered', label: 'Answered from the docs' },
  { key: 'notCovered', label: '“The docs don’t cover this”' },
  { key: 'downVoted', label: 'Voted down' },
  { key: 'byMaintainer', label: 'Answered by a maintainer' },
  { key: 'handedOff', label: 'Handed to the maintainers' },
  { key: 'withoutAnswer', label: 'Without an answer' },
];

const pct = (rate: TRateView) => (rate.rate === null ? '–' : `${Math.round(rate.rate * 1000) / 10}%`);
const ratio = (value: number | null) => (value === null ? '–' : value.toFixed(2));

/** The API's address for the dashboard's period (and the link's signature, when the dashboard was opened by one). */
export function deflectionEndpoint(period: TDashboardView['period'], link: TMaintainerLink, format?: 'csv'): string {
  const params = new URLSearchParams();
  if (period.preset !== null) params.set('days', String(period.preset));
  else {
    params.set('from', period.from.slice(0, 10));
    params.set('to', new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10));
  }
  if (format) params.set('format', format);
  if (link) {
    params.set('exp', link.exp);
    params.set('sig', link.sig);
  }
  return `/api/maintainers/deflection?${params.toString()}`;
}

export function DeflectionSection({ period, link }: { period: TDashboardView['period']; link: TMaintainerLink }) {
  const [view, setView] = useState<TDeflectionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const endpoint = deflectionEndpoint(period, link);

  useEffect(() => {
    let isCancelled = false;
    fetch(endpoint, { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<TDeflectionView>) : Promise.reject(new Error(`(${response.status})`))))
      .then(
        (loaded) => {
          if (!isCancelled) setView(loaded);
        },
        (caught: unknown) => {
          if (!isCancelled) setError(`Could not load the deflection figures ${(caught as Error).message}`);
        },
      );
    return () => {
      isCancelled = true;
    };
  }, [endpoint]);

  return (
    <Box as="section" aria-labelledby="deflection-heading" marginBottom="space80" data-testid="deflection">
      <Heading as="h2" variant="heading30" id="deflection-heading">
        Deflection and sources
      </Heading>
      <Paragraph>
        What share of the questions the docs answered, which sources the answers cited, and the pages none cited.{' '}
        <Anchor href={deflectionEndpoint(period, link, 'csv')}>Download as CSV</Anchor>
      </Paragraph>
      {error ? <Paragraph>{error}</Paragraph> : null}
      {view === null && !error ? <Paragraph>Loading…</Paragraph> : null}
      {view ? <DeflectionFigures view={view} /> : null}
    </Box>
  );
}

function DeflectionFigures({ view }: { view: TDeflectionView }) {
  return (
    <>
      <Box overflowX="auto" marginBottom="space60">
        <Table>
          <THead>
            <Tr>
              <Th>Of {view.questions} questions</Th>
              <Th textAlign="right">Count</Th>
              <Th textAlign="right">Rate</Th>
            </Tr>
          </THead>
          <TBody>
            {RATES.map(({ key, label }) => (
              <Tr key={key}>
                <Td>{label}</Td>
                <Td textAlign="right">{view.rates[key].count}</Td>
                <Td textAlign="right">{pct(view.rates[key])}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Box>
      <Paragraph>
        Citations per kind of source: {view.kinds.map((kind) => `${kind.kind} ${kind.citations}`).join(' · ')}. Shared conversations:{' '}
        {view.shares.conversations}
        {view.shares.revoked > 0 ? ` (${view.shares.revoked} links revoked since)` : ''}.
      </Paragraph>
      <Heading as="h3" variant="heading40">
        Most cited sources
      </Heading>
      {view.sources.length === 0 ? (
        <Paragraph>No answer cited a source in this period.</Paragraph>
      ) : (
        <Box as="ol" margin="space0" paddingLeft="space60" marginBottom="space60">
          {view.sources.slice(0, 15).map((source) => (
            <Box as="li" key={source.url}>
              <Anchor href={source.url}>{source.title}</Anchor>{' '}
              <Text as="span" color="colorTextWeak" fontSize="fontSize20">
                {source.kind} · cited {source.citations}× · read {source.reads}×{source.isIndexed ? '' : ' · no longer indexed'}
              </Text>
            </Box>
          ))}
        </Box>
      )}
      <Heading as="h3" variant="heading40">
        Pages never cited
      </Heading>
      <Paragraph>
        {view.neverCited.count} of {view.indexedPages} indexed pages
        {Object.keys(view.neverCited.byKind).length > 0
          ? ` (${Object.entries(view.neverCited.byKind)
              .map(([kind, count]) => `${kind} ${count}`)
              .join(', ')})`
          : ''}
        ; the most read first.
      </Paragraph>
      {view.neverCited.pages.length > 0 ? (
        <Box as="ul" margin="space0" paddingLeft="space60" marginBottom="space60">
          {view.neverCited.pages.slice(0, 15).map((page) => (
            <Box as="li" key={page.url}>
              <Anchor href={page.url}>{page.title}</Anchor>{' '}
              <Text as="span" color="colorTextWeak" fontSize="fontSize20">
                {page.kind} · read {page.reads}×
              </Text>
            </Box>
          ))}
        </Box>
      ) : null}
      <Heading as="h3" variant="heading40">
        Questions per page read
      </Heading>
      <Paragraph>
        {view.reads.total} page reads (counted per page and day, nothing about the reader): {ratio(view.reads.questionsPerRead)} questions per read.
        Pages readers asked from most:
      </Paragraph>
      {view.reads.pages.length > 0 ? (
        <Box as="ul" margin="space0" paddingLeft="space60">
          {view.reads.pages.slice(0, 15).map((page) => (
            <Box as="li" key={page.url}>
              <Anchor href={page.url}>{page.title}</Anchor>{' '}
              <Text as="span" color="colorTextWeak" fontSize="fontSize20">
                {page.questions} questions · {page.reads} reads · {ratio(page.questionsPerRead)} per read
              </Text>
            </Box>
          ))}
        </Box>
      ) : null}
    </>
  );
}

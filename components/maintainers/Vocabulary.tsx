import { useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import type { TVocabularyStatus, TVocabularyView } from '@/lib/shared/vocabulary';
import { type TMaintainerLink, useMaintainerList } from './use-maintainer-list';

// The learned search vocabulary on the maintainers' dashboard: readers' words that led to a page the words are
// not on (from opened search results and thumbs-up answers), to approve (search then finds the page by that
// word) or reject; and the approved words, to withdraw. Loaded in the browser from /api/maintainers/vocabulary.

export function VocabularySection({ link }: { link: TMaintainerLink }) {
  const list = useMaintainerList<TVocabularyView>({ path: '/api/maintainers/vocabulary', link, what: 'the vocabulary' });
  const { view, error } = list;
  const [busy, setBusy] = useState<string | null>(null);

  const decide = async (word: string, path: string, status: TVocabularyStatus | null) => {
    setBusy(`${word}|${path}`);
    try {
      await list.decide({ word, path, status });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box as="section" aria-labelledby="vocabulary-heading" marginBottom="space80">
      <Heading as="h2" variant="heading30" id="vocabulary-heading">
        Readers’ words for pages
      </Heading>
      <Paragraph>
        Words readers used to reach a page that the page does not contain (they opened it from search, or voted up an answer citing it). Approve
        a word and search finds the page by it.
      </Paragraph>
      {error ? <Paragraph>{error}</Paragraph> : null}
      {view === null && !error ? <Paragraph>Loading…</Paragraph> : null}
      {view && view.suggestions.length === 0 ? <Paragraph>No suggestions yet.</Paragraph> : null}
      {view && view.suggestions.length > 0 ? (
        <Box as="ul" margin="space0" paddingLeft="space0" listStyleType="none" data-testid="vocabulary-suggestions">
          {view.suggestions.map((item) => (
            <Box as="li" key={`${item.word}|${item.path}`} marginBottom="space40" display="flex" columnGap="space30" alignItems="center" flexWrap="wrap">
              <Box as="span" flexGrow={1}>
                “{item.word}” → {item.path} ({item.count}×, {item.sources.join(' and ')}; e.g. “{item.examples[0] ?? ''}”)
              </Box>
              <Button variant="primary" size="small" disabled={busy !== null} onClick={() => void decide(item.word, item.path, 'approved')}>
                Approve
              </Button>
              <Button variant="secondary" size="small" disabled={busy !== null} onClick={() => void decide(item.word, item.path, 'rejected')}>
                Reject
              </Button>
            </Box>
          ))}
        </Box>
      ) : null}
      {view && view.approved.length > 0 ? (
        <>
          <Heading as="h3" variant="heading40">
            Approved
          </Heading>
          <Box as="ul" margin="space0" paddingLeft="space0" listStyleType="none">
            {view.approved.map((item) => (
              <Box as="li" key={`${item.word}|${item.path}`} marginBottom="space30" display="flex" columnGap="space30" alignItems="center">
                <Box as="span" flexGrow={1}>
                  “{item.word}” → {item.path}
                </Box>
                <Button variant="link" size="small" disabled={busy !== null} onClick={() => void decide(item.word, item.path, null)}>
                  Withdraw
                </Button>
              </Box>
            ))}
          </Box>
        </>
      ) : null}
    </Box>
  );
}

import { useEffect, useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Text } from '@twilio-paste/core/text';
import type { TGapDraft, TGapsView, TGapTopic } from '@/lib/shared/docs-gaps';
import type { TMaintainerLink } from './use-maintainer-list';

// The Topics section of the maintainers' dashboard: the period's questions the docs failed, grouped into topics
// (largest first) with their trend, examples and nearest docs sections; each topic's drafted fix (a pull request or
// an issue on GitHub, or a patch to download), why GitHub refused one with a retry, and the topics the re-indexed
// docs now answer ("N questions now answered"). Loaded in the browser from /api/maintainers/gaps.

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
const KIND_LABELS = { not_covered: 'not covered', voted_down: 'rated not helpful', maintainer: 'answered by a maintainer' } as const;

function withLink(path: string, link: TMaintainerLink, query: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...query, ...(link ? { exp: link.exp, sig: link.sig } : {}) });
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function trendLabel(topic: TGapTopic): string {
  const { trend } = topic;
  if (trend.direction === 'new') return 'new this period';
  if (trend.direction === 'same') return `as many as the period before (${trend.previous})`;
  return `${trend.change > 0 ? '↑' : '↓'} ${trend.change > 0 ? '+' : ''}${trend.change} vs the period before (${trend.previous})`;
}

/**
 * Where a draft is read: on GitHub, or (target patch) its download, built here for this visit: a kept address carries
 * no signed link (an earlier one, from whoever drafted it, would have expired or been theirs).
 */
function draftHref(draft: TGapDraft, link: TMaintainerLink): string | null {
  if (draft.target === 'patch') return withLink(`/api/maintainers/gaps/drafts/${draft.id}`, link);
  return draft.url;
}

function DraftLine({ draft, link, isBusy, retry }: { draft: TGapDraft; link: TMaintainerLink; isBusy: boolean; retry: (draft: TGapDraft) => void }) {
  const what = draft.target === 'patch' ? (draft.kind === 'pull' ? 'patch' : 'issue text') : draft.kind === 'pull' ? 'pull request' : 'issue';
  if (draft.status === 'failed') {
    return (
      <Box marginTop="space30" data-testid="gap-draft-failed">
        <Text as="p" color="colorTextError">
          The drafted {what} could not be opened on GitHub: {draft.error ?? 'no reason given'} (tried {draft.attempts}×). The draft is kept.
        </Text>
        <Button variant="secondary" size="small" disabled={isBusy} onClick={() => retry(draft)}>
          Retry on GitHub
        </Button>
      </Box>
    );
  }
  const href = draftHref(draft, link);
  return (
    <Text as="p" marginTop="space30" data-testid="gap-draft">
      Drafted {what} ({day(draft.createdAt)}): {href ? <Anchor href={href}>{draft.target === 'patch' ? 'download' : href}</Anchor> : 'being opened'}
      {draft.closedAt ? ` · closed ${day(draft.closedAt)}: ${draft.answered ?? 0} questions now answered` : ''}
    </Text>
  );
}

function TopicItem({
  topic,
  index,
  link,
  isBusy,
  draft,
  retry,
}: {
  topic: TGapTopic;
  index: number;
  link: TMaintainerLink;
  isBusy: boolean;
  draft: (topic: TGapTopic, target: 'github' | 'patch') => void;
  retry: (draft: TGapDraft) => void;
}) {
  return (
    <Box as="li" marginBottom="space60" paddingBottom="space50" borderBottomStyle="solid" borderBottomWidth="borderWidth10" borderBottomColor="colorBorderWeaker" data-testid="gap-topic">
      <Heading as="h3" variant="heading50">
        {index + 1}. “{topic.topic}”
      </Heading>
      <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space20" marginBottom="space30">
        <Badge as="span" variant="neutral">
          {topic.count} {topic.count === 1 ? 'question' : 'questions'}
        </Badge>
        <Badge as="span" variant={topic.trend.direction === 'up' || topic.trend.direction === 'new' ? 'warning' : 'info'}>
          {trendLabel(topic)}
        </Badge>
        {(['not_covered', 'voted_down', 'maintainer'] as const).map((kind) =>
          topic.counts[kind] > 0 ? (
            <Badge as="span" variant="neutral" key={kind}>
              {topic.counts[kind]} {KIND_LABELS[kind]}
            </Badge>
          ) : null,
        )}
      </Box>
      <Box as="ul" margin="space0" paddingLeft="space60">
        {topic.questions.map((question) => (
          <Box as="li" key={`${question.messageId}-${question.kind}`} marginBottom="space20">
            <Text as="span">“{question.text}”</Text>{' '}
            <Text as="span" color="colorTextWeak" fontSize="fontSize20">
              {day(question.createdAt)} · {KIND_LABELS[question.kind]}
              {question.reason ? ` · missing: “${question.reason}”` : ''}
            </Text>
          </Box>
        ))}
      </Box>
      <Text as="p" marginTop="space30" color="colorTextWeak">
        Nearest docs:{' '}
        {topic.nearest.length === 0
          ? 'nothing near; it likely needs a new page.'
          : topic.nearest.map((section, position) => (
              <span key={section.url}>
                {position > 0 ? ' · ' : ''}
                <Anchor href={section.url}>{section.heading && section.heading !== section.title ? `${section.title} › ${section.heading}` : section.title}</Anchor>
              </span>
            ))}
      </Text>
      {topic.draft ? <DraftLine draft={topic.draft} link={link} isBusy={isBusy} retry={retry} /> : null}
      <Box display="flex" columnGap="space30" marginTop="space30">
        <Button variant="secondary" size="small" disabled={isBusy} onClick={() => draft(topic, 'github')}>
          {topic.draft ? 'Draft again on GitHub' : 'Draft a fix on GitHub'}
        </Button>
        <Button variant="secondary" size="small" disabled={isBusy} onClick={() => draft(topic, 'patch')}>
          Draft a patch
        </Button>
      </Box>
    </Box>
  );
}

export function GapTopicsSection({ link, days }: { link: TMaintainerLink; days: number }) {
  const [view, setView] = useState<TGapsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    fetch(withLink('/api/maintainers/gaps', link, { days: String(days) }), { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<TGapsView>) : Promise.reject(new Error(`(${response.status})`))))
      .then(
        (loaded) => {
          if (!isCancelled) setView(loaded);
        },
        (caught: unknown) => {
          if (!isCancelled) setError(`Could not load the topics ${(caught as Error).message}`);
        },
      );
    return () => {
      isCancelled = true;
    };
  }, [link, days, version]);

  const post = async (path: string, body: unknown) => {
    setIsBusy(true);
    try {
      const response = await fetch(withLink(path, link), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json().catch(() => null)) as { url?: string; error?: { message?: string } } | null;
      if (!response.ok) setError(answer?.error?.message ?? `The draft failed (${response.status})`);
      else {
        setError(null);
        if (answer?.url && typeof window !== 'undefined') window.open(answer.url, '_blank', 'noopener');
      }
    } finally {
      setIsBusy(false);
      setVersion((current) => current + 1);
    }
  };

  return (
    <Box as="section" aria-labelledby="topics-heading" marginBottom="space80">
      <Heading as="h2" variant="heading30" id="topics-heading">
        Topics
      </Heading>
      <Paragraph>
        The questions the docs failed in the last {days} days (not covered, rated not helpful, or answered by a maintainer), grouped into topics, largest
        first. Draft a fix: with a model, a change to the page that should hold the answer; without one, an issue listing the questions.
      </Paragraph>
      {error ? (
        <Text as="p" color="colorTextError" marginBottom="space40">
          {error}
        </Text>
      ) : null}
      {view && view.closed.length > 0 ? (
        <Box marginBottom="space60" data-testid="gaps-closed">
          <Heading as="h3" variant="heading50">
            Closed gaps
          </Heading>
          <Box as="ul" margin="space0" paddingLeft="space60">
            {view.closed.map((draft) => {
              const href = draftHref(draft, link);
              return (
                <Box as="li" key={draft.id}>
                  “{draft.topic}”: {draft.answered ?? 0} questions now answered (closed {day(draft.closedAt)}){href ? ' · ' : ''}
                  {href ? <Anchor href={href}>the fix</Anchor> : null}
                </Box>
              );
            })}
          </Box>
        </Box>
      ) : null}
      {!view ? (
        error ? null : <Paragraph>Loading the topics…</Paragraph>
      ) : view.gaps.length === 0 ? (
        <Paragraph>No gaps in this period.</Paragraph>
      ) : (
        <Box as="ol" margin="space0" paddingLeft="space0" listStyleType="none">
          {view.gaps.map((topic, index) => (
            <TopicItem
              key={topic.id}
              topic={topic}
              index={index}
              link={link}
              isBusy={isBusy}
              draft={(chosen, target) => void post(`/api/maintainers/gaps/${chosen.id}/draft`, { target, days })}
              retry={(chosen) => void post(`/api/maintainers/gaps/drafts/${chosen.id}`, {})}
            />
          ))}
        </Box>
      )}
    </Box>
  );
}

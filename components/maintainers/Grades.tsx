import { useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { Option, Select } from '@twilio-paste/core/select';
import { Table, TBody, Td, Th, THead, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';
import { useTheme } from '@twilio-paste/core/theme';
import {
  formatRate,
  GRADE_LABELS,
  gradeReasonText,
  type TEvalCaseView,
  type TGradeGroupView,
  type TGradesView,
  type TWorstAnswerView,
} from '@/lib/shared/answer-grades';
import { BarChart, formatDay } from './BarChart';
import type { TMaintainerLink } from './use-maintainer-list';

// Where answers go wrong: every answer graded (answered, partly, not answered) from what the reader did, and by the
// model on a sampled share (lib/maintainers/grades). The answered rate per day (the days the docs were re-indexed or
// the model changed marked), by topic, source kind and door, as tables with a bar each; the week's worst answers with
// why, each made an eval case in one step (the page that should have answered, chosen from the docs' pages); and the
// eval cases, downloadable as the JSONL `npm run eval` reads.

const withLink = (path: string, link: TMaintainerLink, extra = '') => {
  const query = [extra, link ? `exp=${encodeURIComponent(link.exp)}&sig=${encodeURIComponent(link.sig)}` : ''].filter(Boolean).join('&');
  return query ? `${path}?${query}` : path;
};

const GRADE_BADGE = { answered: 'success', partly: 'warning', not_answered: 'error' } as const;

function RateTable({ caption, groups, nameHeader }: { caption: string; groups: TGradeGroupView[]; nameHeader: string }) {
  return (
    <Box as="figure" margin="space0" padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30" minWidth="0">
      <Heading as="h3" variant="heading40">
        {caption}
      </Heading>
      {groups.length === 0 ? (
        <Paragraph marginBottom="space0">No graded answers in this period.</Paragraph>
      ) : (
        <Box overflowX="auto">
          <Table scrollHorizontally>
            <caption style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>{caption}</caption>
            <THead>
              <Tr>
                <Th>{nameHeader}</Th>
                <Th textAlign="right">Answered</Th>
                <Th textAlign="right">Graded</Th>
                <Th textAlign="right">Partly</Th>
                <Th textAlign="right">Not answered</Th>
              </Tr>
            </THead>
            <TBody>
              {groups.map((group) => (
                <Tr key={group.key}>
                  <Td>{group.label}</Td>
                  <Td textAlign="right">
                    <Box display="flex" alignItems="center" justifyContent="flex-end" columnGap="space20">
                      {/* The bar repeats the figure beside it: a picture for the eye, the number for everyone. */}
                      <Box aria-hidden="true" width="size10" height="sizeIcon10" backgroundColor="colorBackgroundStrong" borderRadius="borderRadius20" overflow="hidden">
                        <Box height="100%" backgroundColor="colorBackgroundPrimary" style={{ width: `${Math.round((group.rate ?? 0) * 100)}%` }} />
                      </Box>
                      <Text as="span">{formatRate(group.rate)}</Text>
                    </Box>
                  </Td>
                  <Td textAlign="right">{group.graded}</Td>
                  <Td textAlign="right">{group.partly}</Td>
                  <Td textAlign="right">{group.notAnswered}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}

function EvalCaseForm({ answer, pages, link }: { answer: TWorstAnswerView; pages: TGradesView['pages']; link: TMaintainerLink }) {
  const [isOpen, setIsOpen] = useState(false);
  const [path, setPath] = useState('');
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'error'; message?: string }>({ kind: answer.evalCaseId ? 'saved' : 'idle' });
  const selectId = `eval-page-${answer.messageId}`;
  async function save() {
    setStatus({ kind: 'saving' });
    try {
      const response = await fetch(withLink('/api/maintainers/eval-cases', link), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ messageId: answer.messageId, path }),
      });
      const body = (await response.json().catch(() => null)) as { error?: { message: string } } | null;
      if (!response.ok) throw new Error(body?.error?.message ?? `Could not save the eval case (${response.status})`);
      setStatus({ kind: 'saved' });
      setIsOpen(false);
    } catch (error) {
      setStatus({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }
  return (
    <Box marginTop="space30">
      {!isOpen ? (
        <Box display="flex" flexWrap="wrap" alignItems="center" columnGap="space30" rowGap="space20">
          <Button variant="secondary" size="small" onClick={() => setIsOpen(true)}>
            {status.kind === 'saved' ? 'Change the eval case' : 'Make an eval case'}
            <ScreenReaderOnly>{` from “${answer.question}”`}</ScreenReaderOnly>
          </Button>
          <Box aria-live="polite">{status.kind === 'saved' ? <Text as="span" color="colorTextSuccess">Kept as an eval case.</Text> : null}</Box>
        </Box>
      ) : (
        <Box display="flex" flexWrap="wrap" alignItems="flex-end" columnGap="space30" rowGap="space30">
          <Box minWidth="0" width={['100%', 'auto']} maxWidth="100%">
            <Label htmlFor={selectId}>The page that should have answered</Label>
            <Select id={selectId} value={path} onChange={(event) => setPath(event.target.value)}>
              <Option value="">Choose a page…</Option>
              {pages.map((page) => (
                <Option key={page.path} value={page.path}>
                  {page.title} ({page.path})
                </Option>
              ))}
            </Select>
          </Box>
          <Button variant="primary" size="small" disabled={path === '' || status.kind === 'saving'} loading={status.kind === 'saving'} onClick={() => void save()}>
            Save the eval case
          </Button>
          <Button variant="link" size="small" onClick={() => setIsOpen(false)}>
            Cancel
          </Button>
        </Box>
      )}
      {status.kind === 'error' ? (
        <Text as="p" color="colorTextError" role="alert">
          {status.message}
        </Text>
      ) : null}
    </Box>
  );
}

function WorstAnswer({ answer, pages, link }: { answer: TWorstAnswerView; pages: TGradesView['pages']; link: TMaintainerLink }) {
  return (
    <Box as="li" marginBottom="space60" paddingBottom="space50" borderBottomStyle="solid" borderBottomWidth="borderWidth10" borderBottomColor="colorBorderWeaker" data-testid="worst-answer">
      <Text as="p" fontWeight="fontWeightSemibold">
        “{answer.question}”
      </Text>
      <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space20" marginY="space30">
        <Badge as="span" variant={GRADE_BADGE[answer.grade]}>
          {GRADE_LABELS[answer.grade]}
        </Badge>
        {answer.reasons.map((reason) => (
          <Badge as="span" variant="neutral" key={reason}>
            {gradeReasonText(reason)}
          </Badge>
        ))}
      </Box>
      {answer.judge ? (
        <Text as="p" fontSize="fontSize20">
          The model judged it {answer.judge.grade === 'unreadable' ? 'unreadably' : GRADE_LABELS[answer.judge.grade as keyof typeof GRADE_LABELS]?.toLowerCase() ?? answer.judge.grade}
          {answer.judge.reason ? `: “${answer.judge.reason}”` : ''}
        </Text>
      ) : null}
      <Text as="p" color="colorTextWeak" fontSize="fontSize20">
        {answer.answeredAt.slice(0, 10)} · {answer.door} · {answer.topic ? `from “${answer.topic}”` : 'no source cited'} ·{' '}
        <Anchor href={answer.transcriptUrl}>
          transcript<ScreenReaderOnly>{` of “${answer.question}”`}</ScreenReaderOnly>
        </Anchor>
      </Text>
      <EvalCaseForm answer={answer} pages={pages} link={link} />
    </Box>
  );
}

function EvalCases({ cases, link }: { cases: TEvalCaseView[]; link: TMaintainerLink }) {
  return (
    <Box marginTop="space70">
      <Heading as="h3" variant="heading40" id="eval-cases-heading">
        Eval cases
      </Heading>
      <Paragraph>
        Questions you turned into eval cases, each with the page that should answer it. Download them and run{' '}
        <Text as="code" fontFamily="fontFamilyCode">
          npm run eval -- eval-cases.jsonl
        </Text>{' '}
        in CI so that they stay answered.
      </Paragraph>
      {cases.length === 0 ? (
        <Paragraph>None yet: make one from an answer above.</Paragraph>
      ) : (
        <>
          <Box as="ul" margin="space0" paddingLeft="space60" marginBottom="space40" aria-labelledby="eval-cases-heading">
            {cases.map((item) => (
              <Box as="li" key={item.id} marginBottom="space20">
                “{item.question}” →{' '}
                <Text as="span" fontWeight="fontWeightSemibold">
                  {item.expectedTitle || item.expectedPath}
                </Text>{' '}
                <Text as="span" color="colorTextWeak" fontSize="fontSize20">
                  ({item.expectedPath}, {item.createdAt.slice(0, 10)})
                </Text>
              </Box>
            ))}
          </Box>
          <Anchor href={withLink('/api/maintainers/eval-cases', link, 'format=jsonl')} download="eval-cases.jsonl">
            Download the eval cases (JSONL)
          </Anchor>
        </>
      )}
    </Box>
  );
}

export function GradesSection({ grades, link }: { grades: TGradesView; link: TMaintainerLink }) {
  const theme = useTheme();
  const colors = ((theme as { dataVisualization?: Record<string, string> }).dataVisualization ?? {}) as Record<string, string | undefined>;
  const { totals, week } = grades;
  const marks = grades.marks.map((mark) => ({ day: mark.day, label: mark.kind === 'reindex' ? 'docs re-indexed' : `model changed to ${mark.detail}` }));
  return (
    <Box as="section" aria-labelledby="grades-heading" marginBottom="space80" data-testid="grades">
      <Heading as="h2" variant="heading30" id="grades-heading">
        Where answers go wrong
      </Heading>
      <Paragraph>
        Every answer is graded once its conversation has been idle a while: <strong>not answered</strong> when it said the docs don’t cover the
        question, was voted down or handed to the maintainers; <strong>partly</strong> when the reader asked the same again in other words
        within minutes; else <strong>answered</strong>.
        {grades.judge.sample > 0
          ? ` A model also judges ${Math.round(grades.judge.sample * 100)}% of them (${grades.judge.judged} in this period, ${grades.judge.worse} graded worse by it).`
          : ' No model judges them: the offline model is in use, or EVAL_SAMPLE is 0.'}
      </Paragraph>
      <Box display="grid" gridTemplateColumns={['1fr', '1fr 1fr', 'repeat(3, 1fr)']} columnGap="space40" rowGap="space40" marginBottom="space60">
        <Box padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30">
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            Answered, this period
          </Text>
          <Text as="p" fontSize="fontSize70" lineHeight="lineHeight70" fontWeight="fontWeightSemibold" data-testid="answered-rate">
            {formatRate(totals.rate)}
          </Text>
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            {totals.answered} of {totals.graded} graded · {totals.partly} partly · {totals.notAnswered} not
          </Text>
        </Box>
        <Box padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30">
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            Answered, last 7 days
          </Text>
          <Text as="p" fontSize="fontSize70" lineHeight="lineHeight70" fontWeight="fontWeightSemibold">
            {formatRate(week.totals.rate)}
          </Text>
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            the 7 before: {formatRate(week.previous.rate)} ({week.previous.graded} graded)
          </Text>
        </Box>
        <Box padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30">
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            Worst topic, last 7 days
          </Text>
          <Text as="p" fontSize="fontSize40" lineHeight="lineHeight40" fontWeight="fontWeightSemibold" wordBreak="break-word">
            {week.worstTopic ? week.worstTopic.label : 'None'}
          </Text>
          <Text as="p" fontSize="fontSize20" color="colorTextWeak">
            {week.worstTopic ? `${week.worstTopic.graded - week.worstTopic.answered} of ${week.worstTopic.graded} not fully answered` : 'every answer with a source was answered'}
          </Text>
        </Box>
      </Box>
      <Box display="grid" gridTemplateColumns={['minmax(0, 1fr)', 'minmax(0, 1fr)', 'repeat(2, minmax(0, 1fr))']} columnGap="space60" rowGap="space60">
        <BarChart
          title="Answer grades per day"
          summary={`${totals.answered} answered, ${totals.partly} partly and ${totals.notAnswered} not answered of ${totals.graded} graded answers; ${formatRate(totals.rate)} answered.${marks.length > 0 ? ` Marked: ${marks.map((mark) => `${formatDay(mark.day)} ${mark.label}`).join(', ')}.` : ''}`}
          mode="stacked"
          days={grades.days.map((entry) => entry.day)}
          marks={marks}
          series={[
            { key: 'answered', label: 'Answered', color: colors.colorDataVisualization4 ?? '#008cff', values: grades.days.map((entry) => entry.answered) },
            { key: 'partly', label: 'Partly', color: colors.colorDataVisualization6 ?? '#f2be5a', values: grades.days.map((entry) => entry.partly) },
            { key: 'not-answered', label: 'Not answered', color: colors.colorDataVisualization10 ?? '#ec5b5b', values: grades.days.map((entry) => entry.notAnswered) },
          ]}
        />
        <RateTable caption="Answered by topic (the first page cited)" nameHeader="Topic" groups={grades.topics} />
        <RateTable caption="Answered by source kind" nameHeader="Source kind" groups={grades.kinds} />
        <RateTable caption="Answered by door" nameHeader="Door" groups={grades.doors} />
      </Box>

      <Box marginTop="space70">
        <Heading as="h3" variant="heading40" id="worst-heading">
          The week’s worst answers
        </Heading>
      </Box>
      <Paragraph>
        Not answered first, then partly; those with the most signs of trouble first ({week.from.slice(0, 10)} to{' '}
        {new Date(Date.parse(week.to) - 1).toISOString().slice(0, 10)}).
      </Paragraph>
      {week.worst.length === 0 ? (
        <Paragraph>Every graded answer of the week was answered.</Paragraph>
      ) : (
        <Box as="ol" margin="space0" padding="space0" listStyleType="none" aria-labelledby="worst-heading">
          {week.worst.map((answer) => (
            <WorstAnswer key={answer.messageId} answer={answer} pages={grades.pages} link={link} />
          ))}
        </Box>
      )}
      <EvalCases cases={grades.evalCases} link={link} />
    </Box>
  );
}

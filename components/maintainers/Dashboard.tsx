import { Anchor } from '@twilio-paste/core/anchor';
import { Badge } from '@twilio-paste/core/badge';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { Select, Option } from '@twilio-paste/core/select';
import { Text } from '@twilio-paste/core/text';
import { useTheme } from '@twilio-paste/core/theme';
import { DASHBOARD_PRESETS, type TDashboardView, type TQuestionGroupView } from '@/lib/shared/maintainers-dashboard';
import { BarChart } from './BarChart';
import { MaintainerAnswersSection } from './Answers';
import { DeflectionSection } from './Deflection';
import { GradesSection } from './Grades';
import { GapTopicsSection } from './Topics';
import { VocabularySection } from './Vocabulary';

// The maintainers' dashboard: a period picker (a plain GET form, so it works without script), four figures, four
// charts per day, the unanswered questions grouped by similarity with links to their transcripts, and the reasons
// readers gave with a thumbs-down.

// Where a conversation came from: the app's own sources here, each chat door's from the doors' registry (the page
// passes them: DOOR_THREAD_SOURCES, lib/chat-doors/doors/index.ts), so a new door needs no edit here.
const APP_SOURCE_LABELS: Record<string, string> = { site: 'the site', mcp: 'MCP', api: 'the API' };
type TSourceLabel = (source: string) => string;
const labelsOf = (doorLabels: Record<string, string>): TSourceLabel => (source) => APP_SOURCE_LABELS[source] ?? doorLabels[source] ?? source;

const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`);
const day = (iso: string) => iso.slice(0, 10);

function Figure({ label, value, detail }: { label: string; value: number | string; detail?: string }) {
  return (
    <Box padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30">
      <Text as="p" fontSize="fontSize20" color="colorTextWeak">
        {label}
      </Text>
      <Text as="p" fontSize="fontSize70" lineHeight="lineHeight70" fontWeight="fontWeightSemibold">
        {value}
      </Text>
      {detail ? (
        <Text as="p" fontSize="fontSize20" color="colorTextWeak">
          {detail}
        </Text>
      ) : null}
    </Box>
  );
}

function PeriodForm({ view, link }: { view: TDashboardView; link: { exp: string; sig: string } | null }) {
  const { period } = view;
  const lastDay = day(new Date(Date.parse(period.to) - 1).toISOString());
  return (
    <form method="get" action="/maintainers" aria-label="Choose the period">
      <Box display="flex" flexWrap="wrap" alignItems="flex-end" columnGap="space50" rowGap="space40" marginBottom="space70">
      {link ? (
        <>
          <input type="hidden" name="exp" value={link.exp} />
          <input type="hidden" name="sig" value={link.sig} />
        </>
      ) : null}
      <Box minWidth="size20">
        <Label htmlFor="period-days">Period</Label>
        <Select id="period-days" name="days" defaultValue={period.preset === null ? '' : String(period.preset)}>
          {DASHBOARD_PRESETS.map((days) => (
            <Option key={days} value={String(days)}>
              Last {days} days
            </Option>
          ))}
          <Option value="">From–to (below)</Option>
        </Select>
      </Box>
      <Box>
        <Label htmlFor="period-from">From</Label>
        <Input id="period-from" name="from" type="date" defaultValue={period.preset === null ? day(period.from) : ''} />
      </Box>
      <Box>
        <Label htmlFor="period-to">To</Label>
        <Input id="period-to" name="to" type="date" defaultValue={period.preset === null ? lastDay : ''} />
      </Box>
      <Button type="submit" variant="primary">
        Show
      </Button>
      </Box>
    </form>
  );
}

function QuestionGroup({ group, index, sourceLabel }: { group: TQuestionGroupView; index: number; sourceLabel: TSourceLabel }) {
  return (
    <Box as="li" marginBottom="space60" paddingBottom="space50" borderBottomStyle="solid" borderBottomWidth="borderWidth10" borderBottomColor="colorBorderWeaker">
      <Heading as="h3" variant="heading50">
        {index + 1}. “{group.label}”
      </Heading>
      <Box display="flex" flexWrap="wrap" columnGap="space30" rowGap="space20" marginBottom="space30">
        <Badge as="span" variant="neutral">
          asked {group.count}× in {group.threads} {group.threads === 1 ? 'conversation' : 'conversations'}
        </Badge>
        {group.notCovered > 0 ? (
          <Badge as="span" variant="warning">
            {group.notCovered} not covered
          </Badge>
        ) : null}
        {group.votedDown > 0 ? (
          <Badge as="span" variant="error">
            {group.votedDown} not helpful
          </Badge>
        ) : null}
        {group.sources.map((source) => (
          <Badge as="span" variant="info" key={source}>
            from {sourceLabel(source)}
          </Badge>
        ))}
      </Box>
      <Box as="ul" margin="space0" paddingLeft="space60">
        {group.questions.map((question, position) => (
          <Box as="li" key={`${question.threadId}-${position}`} marginBottom="space20">
            <Text as="span">“{question.text}”</Text>{' '}
            <Text as="span" color="colorTextWeak" fontSize="fontSize20">
              {day(question.createdAt)} · from {sourceLabel(question.source)} · {question.kind === 'not_covered' ? 'not covered' : 'rated not helpful'}
              {question.reason ? ` · why: “${question.reason}”` : ''} ·{' '}
            </Text>
            <Anchor href={question.transcriptUrl}>
              transcript<ScreenReaderOnly>{` of the conversation ${question.threadId}`}</ScreenReaderOnly>
            </Anchor>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

export function MaintainerDashboard({
  view,
  link,
  doorLabels,
}: {
  view: TDashboardView;
  link: { exp: string; sig: string } | null;
  /** Each chat door's label by its source (its name). */
  doorLabels: Record<string, string>;
}) {
  const sourceLabel = labelsOf(doorLabels);
  const theme = useTheme();
  // Paste's data-visualization palette; the fallbacks are its values, for a theme that leaves the palette out.
  const colors = ((theme as { dataVisualization?: Record<string, string> }).dataVisualization ?? {}) as Record<string, string | undefined>;
  const { totals, days } = view;
  const dayKeys = days.map((entry) => entry.day);
  const answeredTotal = totals.answered + totals.notCovered;
  return (
    <Box as="main" maxWidth="size120" marginX="auto" paddingX={['space50', 'space70', 'space90']} paddingY="space80">
      <Heading as="h1" variant="heading20">
        Maintainers’ dashboard
      </Heading>
      <Paragraph>
        What readers asked and where the docs failed them, {day(view.period.from)} to {day(new Date(Date.parse(view.period.to) - 1).toISOString())} (UTC,{' '}
        {view.period.days} days).
      </Paragraph>
      <PeriodForm view={view} link={link} />

      <Box as="section" aria-labelledby="figures-heading" marginBottom="space80">
        <Heading as="h2" variant="heading30" id="figures-heading">
          The period in figures
        </Heading>
        <Box display="grid" gridTemplateColumns={['1fr 1fr', '1fr 1fr', 'repeat(4, 1fr)']} columnGap="space40" rowGap="space40">
          <Figure
            label="Questions"
            value={totals.questions}
            detail={`${totals.maintainerReplies} ${totals.maintainerReplies === 1 ? 'reply' : 'replies'} from maintainers`}
          />
          <Figure label="Not covered by the docs" value={totals.notCovered} detail={`${percent(totals.notCovered, answeredTotal)} of ${answeredTotal} answers`} />
          <Figure label="Rated helpful / not helpful" value={`${totals.up} / ${totals.down}`} detail={`${percent(totals.up, totals.up + totals.down)} helpful`} />
          <Figure label="Searches without results" value={totals.searchesWithoutResults} detail={`of ${totals.searches} searches`} />
        </Box>
        <Box marginTop="space50">
          <Paragraph marginBottom="space0">
            Where the questions came from:{' '}
            {view.sources.length === 0
              ? 'no questions in this period.'
              : view.sources.map((entry) => `${sourceLabel(entry.source)} ${entry.questions}`).join(' · ')}
          </Paragraph>
        </Box>
      </Box>

      <Box as="section" aria-labelledby="charts-heading" marginBottom="space80">
        <Heading as="h2" variant="heading30" id="charts-heading">
          Per day
        </Heading>
        <Box display="grid" gridTemplateColumns={['minmax(0, 1fr)', 'minmax(0, 1fr)', 'repeat(2, minmax(0, 1fr))']} columnGap="space60" rowGap="space60">
          <BarChart
            title="Questions per day"
            summary={`${totals.questions} questions in ${days.length} days, at most ${Math.max(0, ...days.map((entry) => entry.questions))} in a day.`}
            days={dayKeys}
            series={[{ key: 'questions', label: 'Questions', color: colors.colorDataVisualization1 ?? '#001489', values: days.map((entry) => entry.questions) }]}
          />
          <BarChart
            title="Answered vs not covered"
            summary={`${totals.answered} answers from the docs, ${totals.notCovered} that said the docs do not cover the question.`}
            mode="stacked"
            days={dayKeys}
            series={[
              { key: 'answered', label: 'Answered', color: colors.colorDataVisualization4 ?? '#008cff', values: days.map((entry) => entry.answered) },
              { key: 'not-covered', label: 'Not covered', color: colors.colorDataVisualization10 ?? '#ec5b5b', values: days.map((entry) => entry.notCovered) },
            ]}
          />
          <BarChart
            title="Helpful and not helpful"
            summary={`${totals.up} answers rated helpful, ${totals.down} rated not helpful.`}
            days={dayKeys}
            series={[
              { key: 'up', label: 'Helpful', color: colors.colorDataVisualization2 ?? '#0e7c3a', values: days.map((entry) => entry.up) },
              { key: 'down', label: 'Not helpful', color: colors.colorDataVisualization9 ?? '#750c0c', values: days.map((entry) => entry.down) },
            ]}
          />
          <BarChart
            title="Searches with no result"
            summary={`${totals.searchesWithoutResults} of ${totals.searches} docs searches (site and assistant) found nothing.`}
            days={dayKeys}
            series={[
              {
                key: 'empty',
                label: 'Searches with no result',
                color: colors.colorDataVisualization7 ?? '#6d2ed1',
                values: days.map((entry) => entry.searchesWithoutResults),
              },
            ]}
          />
        </Box>
      </Box>

      {view.grades ? <GradesSection grades={view.grades} link={link} /> : null}

      <Box as="section" aria-labelledby="unanswered-heading" marginBottom="space80">
        <Heading as="h2" variant="heading30" id="unanswered-heading">
          Top unanswered questions
        </Heading>
        <Paragraph>
          Questions whose answer said the docs do not cover them, or whose answer a reader rated not helpful, grouped when they share most of
          their words.
        </Paragraph>
        {view.groups.length === 0 ? (
          <Paragraph>None in this period.</Paragraph>
        ) : (
          <Box as="ol" margin="space0" padding="space0" listStyleType="none">
            {view.groups.map((group, index) => (
              <QuestionGroup key={`${group.label}-${index}`} group={group} index={index} sourceLabel={sourceLabel} />
            ))}
          </Box>
        )}
      </Box>

      {view.handoffs !== undefined ? (
        <Box as="section" aria-labelledby="handoffs-heading" marginBottom="space80" data-testid="handoffs">
          <Heading as="h2" variant="heading30" id="handoffs-heading">
            Handed to the maintainers
          </Heading>
          <Paragraph>Conversations readers handed to you with “Ask the maintainers”: where each went, and whether someone replied.</Paragraph>
          {view.handoffs.length === 0 ? (
            <Paragraph>None in this period.</Paragraph>
          ) : (
            <Box as="ul" margin="space0" paddingLeft="space60">
              {view.handoffs.map((handoff) => (
                <Box as="li" key={handoff.transcriptUrl} marginBottom="space40">
                  <Text as="p" fontWeight="fontWeightSemibold">
                    “{handoff.question}”
                  </Text>
                  <Text as="p" color="colorTextWeak" fontSize="fontSize20">
                    {handoff.url ? <Anchor href={handoff.url}>{handoff.channel === 'github' ? 'GitHub' : handoff.channel}</Anchor> : handoff.channel}
                    {handoff.status === 'failed' ? ' (not delivered)' : ''} · {day(handoff.createdAt)} ·{' '}
                    {handoff.repliedAt ? `replied ${day(handoff.repliedAt)}` : 'no reply yet'}
                    {handoff.isEmailed ? ' · reply e-mailed to the reader' : ''} · {handoff.source} · <Anchor href={handoff.transcriptUrl}>transcript</Anchor>
                  </Text>
                </Box>
              ))}
            </Box>
          )}
        </Box>
      ) : null}

      <Box as="section" aria-labelledby="reasons-heading" marginBottom="space80">
        <Heading as="h2" variant="heading30" id="reasons-heading">
          Why readers rated an answer not helpful
        </Heading>
        {view.reasons.length === 0 ? (
          <Paragraph>No reasons given in this period.</Paragraph>
        ) : (
          <Box as="ul" margin="space0" paddingLeft="space60">
            {view.reasons.map((reason, index) => (
              <Box as="li" key={`${reason.threadId}-${index}`} marginBottom="space40">
                <Text as="p" fontWeight="fontWeightSemibold">
                  “{reason.reason}”
                </Text>
                <Text as="p" color="colorTextWeak" fontSize="fontSize20">
                  on “{reason.text}” · {day(reason.createdAt)} · <Anchor href={reason.transcriptUrl}>transcript</Anchor>
                </Text>
              </Box>
            ))}
          </Box>
        )}
      </Box>

      <DeflectionSection period={view.period} link={link} />
      <GapTopicsSection link={link} days={view.period.days} />

      <MaintainerAnswersSection link={link} />

      <VocabularySection link={link} />

      <Box as="section" aria-labelledby="searches-heading">
        <Heading as="h2" variant="heading30" id="searches-heading">
          Searches with no result
        </Heading>
        {view.searchesWithoutResults.length === 0 ? (
          <Paragraph>None in this period.</Paragraph>
        ) : (
          <Box as="ul" margin="space0" paddingLeft="space60">
            {view.searchesWithoutResults.map((search) => (
              <Box as="li" key={search.query}>
                “{search.query}” ({search.count}×)
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
}

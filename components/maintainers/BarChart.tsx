import { useId } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Heading } from '@twilio-paste/core/heading';
import { Table, TBody, Td, Th, THead, Tr } from '@twilio-paste/core/table';
import { Text } from '@twilio-paste/core/text';

// A bar chart per day, drawn as SVG on the server (no chart library, no script): an image with a title and a
// summary for assistive technology, a legend in text, and the same numbers as a table under "Show the numbers".
// Colours are CSS (style, not the fill attribute): the theme's tokens are CSS variables that follow light and dark.
// Colour is never the only cue: the legend names each series, every bar has a tooltip, the table has it all.

export type TChartSeries = { key: string; label: string; color: string; values: number[] };
/** A day marked on the chart (a dashed line, named in the legend and the table): the docs re-indexed, the model changed. */
export type TChartMark = { day: string; label: string };

const WIDTH = 560;
const HEIGHT = 230;
const MARGIN = { top: 12, right: 8, bottom: 34, left: 40 };
const FONT_SIZE = 14;

const DAY_LABEL = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const formatDay = (day: string) => DAY_LABEL.format(new Date(`${day}T00:00:00Z`));

/** 0 and three more round steps above the largest value. */
function ticksFor(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? magnitude * 10);
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) ticks.push(value);
  return ticks;
}

export function BarChart({
  title,
  summary,
  days,
  series,
  mode = 'grouped',
  marks = [],
}: {
  title: string;
  /** One or two sentences with the totals: what the chart says, for those who do not see it. */
  summary: string;
  days: string[];
  series: TChartSeries[];
  mode?: 'grouped' | 'stacked';
  marks?: TChartMark[];
}) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const totals = days.map((_, index) => series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0));
  const largest = mode === 'stacked' ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((entry) => entry.values));
  const ticks = ticksFor(largest);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const band = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(1, band * 0.72);
  const labelEvery = Math.ceil(days.length / 7);

  return (
    <Box as="figure" margin="space0" padding="space50" borderStyle="solid" borderWidth="borderWidth10" borderColor="colorBorderWeak" borderRadius="borderRadius30" minWidth="0">
      <Heading as="h3" variant="heading40">
        {title}
      </Heading>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ display: 'block', maxWidth: '100%', height: 'auto', fontFamily: 'inherit' }}
        data-chart={title}
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{summary}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="currentColor" strokeOpacity={tick === 0 ? 0.6 : 0.15} />
            <text x={MARGIN.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle" fontSize={FONT_SIZE} fill="currentColor" fillOpacity={0.75}>
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x0 = MARGIN.left + index * band + (band - barWidth) / 2;
          let stackBase = 0;
          return (
            <g key={day}>
              {series.map((entry, seriesIndex) => {
                const value = entry.values[index] ?? 0;
                if (value <= 0) return null;
                const label = `${formatDay(day)}: ${value} ${entry.label.toLowerCase()}`;
                if (mode === 'stacked') {
                  const rect = (
                    <rect key={entry.key} x={x0} width={barWidth} y={y(stackBase + value)} height={y(stackBase) - y(stackBase + value)} style={{ fill: entry.color }}>
                      <title>{label}</title>
                    </rect>
                  );
                  stackBase += value;
                  return rect;
                }
                const width = barWidth / series.length;
                return (
                  <rect key={entry.key} x={x0 + seriesIndex * width} width={Math.max(width - 0.5, 0.5)} y={y(value)} height={y(0) - y(value)} style={{ fill: entry.color }}>
                    <title>{label}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 ? (
                <text x={MARGIN.left + index * band + band / 2} y={HEIGHT - MARGIN.bottom + 20} textAnchor="middle" fontSize={FONT_SIZE} fill="currentColor" fillOpacity={0.75}>
                  {formatDay(day)}
                </text>
              ) : null}
            </g>
          );
        })}
        {marks.map((mark) => {
          const index = days.indexOf(mark.day);
          if (index < 0) return null;
          const x = MARGIN.left + index * band + band / 2;
          return (
            <line key={`${mark.day}-${mark.label}`} data-mark={mark.day} x1={x} x2={x} y1={MARGIN.top} y2={HEIGHT - MARGIN.bottom} stroke="currentColor" strokeOpacity={0.7} strokeDasharray="4 3">
              <title>{`${formatDay(mark.day)}: ${mark.label}`}</title>
            </line>
          );
        })}
      </svg>
      {marks.length > 0 ? (
        <Text as="p" fontSize="fontSize20" marginTop="space30">
          Dashed lines: {marks.map((mark) => `${formatDay(mark.day)} ${mark.label}`).join(' · ')}
        </Text>
      ) : null}
      <Box as="ul" aria-label={`Legend: ${title}`} display="flex" flexWrap="wrap" columnGap="space50" rowGap="space20" margin="space0" marginTop="space30" padding="space0" listStyleType="none">
        {series.map((entry) => (
          <Box as="li" key={entry.key} display="flex" alignItems="center" columnGap="space20">
            <svg width="12" height="12" aria-hidden="true" focusable="false">
              <rect width="12" height="12" rx="2" style={{ fill: entry.color }} />
            </svg>
            <Text as="span" fontSize="fontSize20">
              {entry.label}: {entry.values.reduce((sum, value) => sum + value, 0)}
            </Text>
          </Box>
        ))}
      </Box>
      <Box as="details" marginTop="space30">
        <Box as="summary" cursor="pointer" fontSize="fontSize20" color="colorTextLink">
          Show the numbers
        </Box>
        <Box marginTop="space30" overflowX="auto">
          <Table scrollHorizontally>
            <caption style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>{title}, per day (UTC)</caption>
            <THead>
              <Tr>
                <Th>Day</Th>
                {series.map((entry) => (
                  <Th key={entry.key} textAlign="right">
                    {entry.label}
                  </Th>
                ))}
                {marks.length > 0 ? <Th>Marked</Th> : null}
              </Tr>
            </THead>
            <TBody>
              {days.map((day, index) => (
                <Tr key={day}>
                  <Td>{day}</Td>
                  {series.map((entry) => (
                    <Td key={entry.key} textAlign="right">
                      {entry.values[index] ?? 0}
                    </Td>
                  ))}
                  {marks.length > 0 ? (
                    <Td>
                      {marks
                        .filter((mark) => mark.day === day)
                        .map((mark) => mark.label)
                        .join(', ')}
                    </Td>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </Table>
        </Box>
      </Box>
    </Box>
  );
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectSources, extractCitations } from '@/lib/model/citations';
import { capToolOutput, estimateItemTokens, fitInputToBudget, MAX_TOOL_OUTPUT_CHARS } from '@/lib/model/context';
import { stripThinking } from '@/lib/model/shared';
import type { TInputItem } from '@/lib/model/types';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

const user = (content: string): TInputItem => ({ type: 'message', role: 'user', content });
const assistant = (content: string): TInputItem => ({ type: 'message', role: 'assistant', content });
const call = (id: string): TInputItem => ({ type: 'function_call', call_id: id, name: 'get_relevant_docs', arguments: '{"prompt":"x"}' });
const output = (id: string, text: string): TInputItem => ({ type: 'function_call_output', call_id: id, output: text });
const fit = (input: TInputItem[], budgetTokens: number) => fitInputToBudget({ input, instructions: 'Be brief.', tools: TOOL_DEFINITIONS, budgetTokens });
const words = (n: number) => 'word '.repeat(n).trim();

describe('fitInputToBudget', () => {
  it('sends everything when it fits', () => {
    const input = [user('q1'), assistant('a1'), user('q2'), call('c'), output('c', '{"results":[]}')];
    expect(fit(input, 10_000)).toMatchObject({ items: input, droppedTurns: 0 });
  });

  it('drops the oldest whole turns first and keeps the current question with its tool round', () => {
    const input = [user(words(200)), assistant(words(200)), user(words(200)), assistant(words(200)), user('now?'), call('c'), output('c', 'out')];
    const oneTurn = estimateItemTokens(input[0]!) + estimateItemTokens(input[1]!);
    const fixed = fit([user('now?'), call('c'), output('c', 'out')], 1_000_000).estimatedTokens;
    const result = fit(input, fixed + oneTurn + 1);
    expect(result.droppedTurns).toBe(1);
    expect(result.items).toEqual(input.slice(2));
  });

  it('keeps the current turn even when it alone is over the budget', () => {
    const input = [user('old'), assistant('old answer'), user(words(3000)), call('c'), output('c', words(1000))];
    const result = fit(input, 100);
    expect(result.items).toEqual(input.slice(2));
    expect(result.droppedTurns).toBe(1);
  });

  it('caps oversized tool outputs', () => {
    const result = fit([user('q'), call('c'), output('c', 'x'.repeat(MAX_TOOL_OUTPUT_CHARS * 3))], 1_000_000);
    const sent = result.items[2] as { output: string };
    expect(sent.output.length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT_CHARS);
  });

  it('always sends a suffix of whole turns followed by the whole current turn (property)', () => {
    const turn = fc.tuple(fc.nat(400), fc.nat(400)).map(([q, a]) => [user(`q ${words(q)}`), assistant(`a ${words(a)}`)]);
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 12 }), fc.nat(300), fc.integer({ min: 0, max: 5_000 }), (turns, q, budget) => {
        const current = [user(`current ${words(q)}`), call('c1'), output('c1', 'result')];
        const input = [...turns.flat(), ...current];
        const result = fit(input, budget);
        expect(result.items.slice(-3)).toEqual(current);
        const history = result.items.slice(0, -3);
        expect(history).toEqual(turns.flat().slice(turns.flat().length - history.length));
        expect(history.length % 2).toBe(0);
        expect(result.droppedTurns).toBe(turns.length - history.length / 2);
        if (result.droppedTurns > 0) expect(result.estimatedTokens).toBeLessThanOrEqual(Math.max(budget, fit(current, budget).estimatedTokens));
      }),
    );
  });
});

describe('capToolOutput', () => {
  it('shortens every section evenly, keeping valid JSON with every title and URL', () => {
    const results = Array.from({ length: 5 }, (_, index) => ({
      title: `Page ${index}`,
      heading: `Section ${index}`,
      url: `/docs/page-${index}#section-${index}`,
      content: `"quoted" ${'content '.repeat(600)}`,
    }));
    const capped = capToolOutput(JSON.stringify({ query: 'q', results }), 4_000);
    expect(capped.length).toBeLessThanOrEqual(4_000);
    const parsed = JSON.parse(capped);
    expect(parsed.results.map((result: { url: string }) => result.url)).toEqual(results.map((result) => result.url));
    expect(parsed.results[4].content.startsWith('"quoted" content')).toBe(true);
  });

  it('leaves small outputs alone and cuts other text', () => {
    expect(capToolOutput('{"error":"x"}')).toBe('{"error":"x"}');
    expect(capToolOutput('y'.repeat(500), 100).length).toBeLessThanOrEqual(100);
  });
});

describe('citations', () => {
  const sources = collectSources([
    output('c1', JSON.stringify({ query: 'q', results: [{ title: 'Buttons', heading: 'Destructive button', url: '/docs/buttons#destructive', content: '…' }] })),
    output('c2', JSON.stringify({ error: 'Unknown tool' })),
    output('c3', 'not json'),
  ]);

  it('annotates each docs link over its [text](url) span, titled from the tool results, with its normalised path', () => {
    const text = 'Use it ([Destructive](/docs/buttons#destructive)). Also [Install](http://docs.example/docs/install) and [MDN](https://developer.mozilla.org/).';
    const annotations = extractCitations({ text, sources, siteUrl: 'http://docs.example' });
    expect(annotations).toEqual([
      { type: 'url_citation', url: '/docs/buttons#destructive', title: 'Buttons › Destructive button', start_index: 8, end_index: 48 },
      {
        type: 'url_citation',
        url: '/docs/install',
        title: 'Install',
        start_index: text.indexOf('[Install]'),
        end_index: text.indexOf(' and [MDN]'),
      },
    ]);
    expect(text.slice(8, 48)).toBe('[Destructive](/docs/buttons#destructive)');
  });

  it('ignores link syntax inside code, and resolves reference-style links', () => {
    const text = [
      'Write `[a](/docs/a)` in code.',
      '',
      '```md',
      '[b](/docs/b)',
      '```',
      '',
      'See [the buttons page][buttons].',
      '',
      '[buttons]: /docs/buttons#destructive',
    ].join('\n');
    const annotations = extractCitations({ text, sources, siteUrl: 'http://docs.example' });
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ url: '/docs/buttons#destructive', title: 'Buttons › Destructive button' });
    expect(text.slice(annotations[0]!.start_index, annotations[0]!.end_index)).toBe('[the buttons page][buttons]');
  });

  it('cites only links that resolve to the docs of this site, never links a browser reads as another host', () => {
    // As a model (or a prompt injection through a docs page or a question) could write them. `&#9;` and `&#10;`
    // are character references: the markdown parser hands the link a TAB or a newline, which browsers drop.
    const hostile = [
      '[a](</\t/evil.example/a>)',
      '[b](/\\evil.example/b)',
      '[c](/&#9;/evil.example/c)',
      '[d](/&#10;/evil.example/d)',
      '[e](<\\\\\\\\evil.example/e>)', // after markdown's escapes: two backslashes, then evil.example/e
      '[f](//evil.example/docs/f)',
      '[g](http://docs.example@evil.example/docs/g)',
      '[h](https://evil.example/docs/h)',
      '[i](/docsevil)',
      '[j](javascript:alert(1))',
      '[k](JaVaScRiPt:alert(1))',
      '[l](data:text/html,hi)',
      '[m](/docs/../\\evil.example)',
      '[n](mailto:a@example.com)',
      '[o](/%5Cevil.example)',
    ];
    const safe = ['[p](< /docs/buttons#destructive >)', '[q](HTTP://DOCS.EXAMPLE/docs/x)', '[r](/docs/buttons/../buttons#destructive)', '[s](/docs)'];
    const text = [...hostile, ...safe].join(' ');
    const annotations = extractCitations({ text, sources, siteUrl: 'http://docs.example' });
    expect(annotations.map((annotation) => [text.slice(annotation.start_index, annotation.end_index), annotation.url, annotation.title])).toEqual([
      ['[p](< /docs/buttons#destructive >)', '/docs/buttons#destructive', 'Buttons › Destructive button'],
      ['[q](HTTP://DOCS.EXAMPLE/docs/x)', '/docs/x', 'q'],
      ['[r](/docs/buttons/../buttons#destructive)', '/docs/buttons#destructive', 'Buttons › Destructive button'],
      ['[s](/docs)', '/docs', 's'],
    ]);
  });

  it('strips a leading <think> block that some local models emit', () => {
    expect(stripThinking('<think>\nhmm\n</think>\n\nThe answer.')).toBe('\n\nThe answer.');
    expect(stripThinking('No thinking <think>kept</think>')).toBe('No thinking <think>kept</think>');
  });
});

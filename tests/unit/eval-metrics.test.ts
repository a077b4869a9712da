import { describe, expect, it } from 'vitest';
import { parseJudgeReply } from '@/scripts/lib/eval-judge';
import {
  costPerAnswer,
  firstRightRank,
  isRightPage,
  missingMentions,
  NO_USAGE,
  pageKeys,
  parseEnvFile,
  parseQuestionsJsonl,
  parseThreshold,
  QuestionFileError,
  summarize,
  thresholdFailures,
  type TQuestionOutcome,
} from '@/scripts/lib/eval-metrics';

// npm run eval's pure part: which pages count as right, the metrics, the thresholds and the question file.

const outcome = (fields: Partial<TQuestionOutcome>): TQuestionOutcome => ({
  rank: null,
  isCitedRight: null,
  isMentioned: null,
  latencyMs: 100,
  usage: NO_USAGE,
  isFailed: false,
  ...fields,
});

describe('expected pages', () => {
  it('match a URL by its path, whatever the host, trailing slash, query or #anchor', () => {
    expect(isRightPage(['/docs/guides/slack#create-the-app'], ['https://docs.example.com/docs/guides/slack/'])).toBe(true);
    expect(isRightPage(['https://other.host/docs/guides/slack?x=1'], ['/docs/guides/slack'])).toBe(true);
    expect(isRightPage(['/docs/guides/slackers'], ['/docs/guides/slack'])).toBe(false);
  });

  // Issue 54, friction 11: an API operation is a page of its own; a wrong operation of the right spec is no right page.
  it('match an API operation by its own page, written as its URL or as its spec page’s anchor', () => {
    const create = '/docs/reference/twilio_api_v2010/operation/CreateMessage';
    expect(isRightPage([create], ['/docs/reference/twilio_api_v2010#operation/CreateMessage'])).toBe(true);
    expect(isRightPage(['/docs/reference/twilio_api_v2010#operation/CreateMessage'], [create])).toBe(true);
    expect(isRightPage(['/docs/reference/twilio_api_v2010/operation/DeleteMessage', 'reference/twilio_api_v2010/operation/DeleteMessage'], [create])).toBe(false);
    expect(isRightPage(['/docs/reference/twilio_api_v2010/operation/DeleteMessage'], ['/docs/reference/twilio_api_v2010#operation/CreateMessage'])).toBe(false);
    expect(isRightPage(['/docs/reference/twilio_api_v2010#operation/DeleteMessage'], ['/docs/reference/twilio_api_v2010#operation/CreateMessage'])).toBe(false);
  });

  it('match docs paths and slugs as evals/*.json name them, the /docs/ prefix aside', () => {
    expect(isRightPage(['/docs/guides/slack#anchor'], ['guides/slack.mdx'])).toBe(true);
    expect(isRightPage(['guides/slack.mdx'], ['guides/slack'])).toBe(true);
    expect(isRightPage(['/docs'], ['index.mdx'])).toBe(true);
    expect(isRightPage(['/docs/modes'], ['modes/index.md'])).toBe(true);
    expect(isRightPage(['/docs/guides/indexing'], ['guides/slack.mdx'])).toBe(false);
    // A docs folder with its own docs/ folder: /docs/docs/foo is docs/foo.mdx, not foo.mdx.
    expect(isRightPage(['/docs/docs/foo'], ['docs/foo.mdx'])).toBe(true);
    expect(isRightPage(['/docs/docs/foo'], ['foo.mdx'])).toBe(false);
  });

  it('match a page published elsewhere (DOCS_BASE_URL) by its path', () => {
    expect(isRightPage(['https://docs.example.com/guide/setup/#install'], ['guide/setup.md'])).toBe(true);
    expect(pageKeys('https://docs.example.com/guide/setup.html')).toEqual(['guide/setup']);
  });

  it('rank the first source on a right page, any of its references counting', () => {
    const sources = [['a.mdx', 'a', '/docs/a'], ['b.mdx', 'b', '/docs/b#x'], ['c.mdx', 'c', '/docs/c']];
    expect(firstRightRank(sources, ['https://site/docs/c'])).toBe(2);
    expect(firstRightRank(sources, ['b', 'c.mdx'])).toBe(1);
    expect(firstRightRank(sources, ['z.mdx'])).toBe(-1);
  });

  it('say which phrases an answer misses, case and spacing ignored', () => {
    expect(missingMentions('Set  SLACK_BOT_TOKEN and the\nchannel id.', ['slack_bot_token', 'Channel ID', 'SLACK_CHANNEL_ID'])).toEqual(['SLACK_CHANNEL_ID']);
  });
});

describe('totals', () => {
  it('recall@1, recall@5 and MRR over the questions that list expected pages', () => {
    const totals = summarize([
      outcome({ rank: 0 }),
      outcome({ rank: 1 }),
      outcome({ rank: 4 }),
      outcome({ rank: 5 }),
      outcome({ rank: -1 }),
      outcome({}), // no expected pages: outside recall and MRR
    ]);
    expect(totals.questions).toBe(6);
    expect(totals.recallAt1).toEqual({ count: 1, of: 5, rate: 0.2 });
    expect(totals.recallAt5).toEqual({ count: 3, of: 5, rate: 0.6 });
    expect(totals.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 5 + 1 / 6 + 0) / 5, 10);
  });

  it('cited-right and mention rates count only the questions that say', () => {
    const totals = summarize([
      outcome({ isCitedRight: true, isMentioned: false }),
      outcome({ isCitedRight: false, isMentioned: true }),
      outcome({ isCitedRight: true }),
    ]);
    expect(totals.citedRight).toEqual({ count: 2, of: 3, rate: 2 / 3 });
    expect(totals.mentioned).toEqual({ count: 1, of: 2, rate: 0.5 });
    expect(summarize([outcome({})]).recallAt5.rate).toBeNull();
    expect(summarize([outcome({})]).mrr).toBeNull();
  });

  it('latency p50 and p95 by nearest rank, tokens per answer as a mean, failures counted', () => {
    const latencies = [50, 10, 40, 20, 30, 60, 70, 80, 90, 1000];
    const totals = summarize(
      latencies.map((latencyMs, at) =>
        outcome({ latencyMs, isFailed: at === 0, usage: { prompt_tokens: at * 10, completion_tokens: at, total_tokens: at * 11 } }),
      ),
    );
    expect(totals.latencyP50Ms).toBe(50);
    expect(totals.latencyP95Ms).toBe(1000);
    expect(totals.tokensPerAnswer).toBeCloseTo(49.5, 10);
    expect(totals.promptTokensPerAnswer).toBeCloseTo(45, 10);
    expect(totals.failed).toBe(1);
  });

  it('cost per answer: the model\'s prices per million tokens; 0 offline; null without a price', () => {
    const totals = summarize([outcome({ usage: { prompt_tokens: 1_000_000, completion_tokens: 500_000, total_tokens: 1_500_000 } })]);
    const prices = { 'gpt-x': { inputPerMillion: 0.4, outputPerMillion: 1.6 } };
    expect(costPerAnswer({ model: 'gpt-x', isOffline: false, totals, prices })).toBeCloseTo(0.4 + 0.8, 10);
    expect(costPerAnswer({ model: 'other', isOffline: false, totals, prices })).toBeNull();
    expect(costPerAnswer({ model: 'offline', isOffline: true, totals, prices: {} })).toBe(0);
  });
});

describe('thresholds', () => {
  const totals = summarize([outcome({ rank: 0, isCitedRight: true }), outcome({ rank: 7, isCitedRight: false })]);

  it('pass when met, and name each one missed with its figure', () => {
    expect(thresholdFailures(totals, { minRecall: 0.5, minCited: 0.5 })).toEqual([]);
    expect(thresholdFailures(totals, {})).toEqual([]);
    expect(thresholdFailures(totals, { minRecall: 0.75, minCited: 0.6 })).toEqual([
      '--min-recall 0.75 failed: recall@5 is 0.500 (1 of 2)',
      '--min-cited 0.6 failed: the share of answers citing a right page is 0.500 (1 of 2)',
    ]);
  });

  it('fail when the file gives nothing to measure them on', () => {
    expect(thresholdFailures(summarize([outcome({})]), { minRecall: 0.1 })).toEqual([
      '--min-recall 0.1 failed: no question lists expected pages, so recall@5 was not measured',
    ]);
  });

  it('take a number from 0 to 1', () => {
    expect(parseThreshold('--min-recall', '0.8')).toBe(0.8);
    expect(parseThreshold('--min-recall', undefined)).toBeUndefined();
    expect(() => parseThreshold('--min-recall', '80')).toThrow('--min-recall takes a number from 0 to 1, not "80"');
    expect(() => parseThreshold('--min-cited', 'high')).toThrow('--min-cited');
  });
});

describe('the question file (JSONL)', () => {
  it('reads one question per line, blank lines skipped, each with its line number', () => {
    const questions = parseQuestionsJsonl('{"question": "a?"}\n\n{"question": "b?", "expected": ["x.mdx"], "mustMention": ["y"]}\r\n', 'q.jsonl');
    expect(questions).toEqual([
      { question: 'a?', line: 1 },
      { question: 'b?', expected: ['x.mdx'], mustMention: ['y'], line: 3 },
    ]);
  });

  it('names the file and the line of a line that is not JSON', () => {
    expect(() => parseQuestionsJsonl('{"question": "a?"}\n{"question": "b?",}\n', 'q.jsonl')).toThrow(/^q\.jsonl line 2: not JSON/);
  });

  it('names the line and the field of a line that is not a question', () => {
    const errorOf = (text: string) => {
      try {
        parseQuestionsJsonl(text, 'q.jsonl');
      } catch (error) {
        expect(error).toBeInstanceOf(QuestionFileError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(errorOf('{"question": "a?"}\n{"question": "b?", "expected": "x.mdx"}')).toMatch(/^q\.jsonl line 2: expected: /);
    expect(errorOf('{"question": "  "}')).toMatch(/^q\.jsonl line 1: question: question must not be empty/);
    expect(errorOf('{"q": "a?"}')).toMatch(/^q\.jsonl line 1: /);
    expect(errorOf('{"question": "a?", "expect": ["x"]}')).toMatch(/^q\.jsonl line 1: .*expect/);
    expect(errorOf('\n\n')).toBe('q.jsonl: no questions (one JSON object per line)');
  });
});

describe('--compare files and the judge', () => {
  it('reads an env file: comments, export, quotes; an empty value stays empty (unset by the config)', () => {
    expect(parseEnvFile('# a model\nexport OPENAI_MODEL="gpt-x"\nOPENAI_BASE_URL=http://h/v1  # local\nDOCS_SEARCH_RERANK=\nnot a line\n')).toEqual({
      OPENAI_MODEL: 'gpt-x',
      OPENAI_BASE_URL: 'http://h/v1',
      DOCS_SEARCH_RERANK: '',
    });
  });

  it('reads the judge\'s verdict from bare or fenced JSON, and nothing from prose', () => {
    expect(parseJudgeReply('```json\n{"verdict": "partly", "unsupported": ["x"], "reason": "r"}\n```')).toEqual({ verdict: 'partly', unsupported: ['x'], reason: 'r' });
    expect(parseJudgeReply('{"verdict": "supported"}')).toEqual({ verdict: 'supported', unsupported: [], reason: '' });
    expect(parseJudgeReply('Looks supported to me.')).toBeNull();
    expect(parseJudgeReply('{"verdict": "maybe"}')).toBeNull();
  });
});

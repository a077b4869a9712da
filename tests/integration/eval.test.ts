import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/log';
import { runEval } from '@/scripts/eval';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { FIXTURE_DOCS_DIR, TEST_SESSION_SECRET } from '../helpers/app';
import { createSeededDataDir } from '../helpers/pglite-template';

// `npm run eval` in process with the offline model, on the fixture docs in an embedded store (a migrated DATA_DIR):
// what it prints per question and in total, and its exit status for a CI's thresholds and for a bad question file.

const QUESTIONS = [
  { question: 'How do I create a bot token for Slack?', expected: ['guides/slack.mdx'], mustMention: ['xoxb'] },
  { question: 'When should I use the destructive button?', expected: ['/docs/guides/buttons#destructive-button'], mustMention: ['confirm'] },
  { question: 'What happens past the rate limit?', expected: ['https://docs.example.com/docs/reference/'], mustMention: ['429'] },
  { question: 'How do I install the widget toolkit?', expected: ['index.mdx'], mustMention: ['npm install widget-toolkit'] },
  // No such page: the miss every threshold below is held against.
  { question: 'How do I rotate the signing keys?', expected: ['guides/keys.mdx'] },
];

async function evaluate(argv: string[], { lines = QUESTIONS.map((question) => JSON.stringify(question)) }: { lines?: string[] } = {}) {
  const dir = makeTempDir('pa-eval-test-');
  writeFileSync(path.join(dir, 'questions.jsonl'), `${lines.join('\n')}\n`);
  const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: await createSeededDataDir(), DOCS_DIR: FIXTURE_DOCS_DIR, SESSION_SECRET: TEST_SESSION_SECRET };
  const out: string[] = [];
  const err: string[] = [];
  const code = await runEval({
    argv: ['questions.jsonl', ...argv],
    env,
    cwd: dir,
    envLabel: 'test env',
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    log: createLogger({ level: 'silent' }),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run eval, in process, offline model', () => {
  it('prints each question\'s sources and checks, then the totals, and passes thresholds it meets', async () => {
    const { code, out, err } = await evaluate(['--min-recall', '0.8', '--min-cited', '0.8']);
    expect(err).toBe('');
    expect(code).toBe(0);
    // The one page the index lacks is named before the questions: a 0 there is not the assistant's.
    expect(out).toContain('1 expected page is not in the index, so 1 of 5 questions cannot find a right page (another DOCS_DIR?):\n     guides/keys.mdx\n');
    expect(out).toContain('[1/5] How do I create a bot token for Slack?  (line 1)');
    expect(out).toContain('sources: 1. guides/slack.mdx › Creating a bot token');
    expect(out).toContain('search: right page at #1; in the top 5: yes   answer: cites a right page: yes; mentions: 1 of 1');
    expect(out).toContain('search: no right page in the first 10; in the top 5: no   answer: cites a right page: no; mentions: —');
    for (const row of [
      '| questions | 5 |',
      '| recall@1 | 0.800 (4 of 5) |',
      '| recall@5 | 0.800 (4 of 5) |',
      '| MRR (first 10 sources) | 0.800 |',
      '| answer cites a right page | 0.800 (4 of 5) |',
      '| answer mentions what it must | 1.000 (4 of 4) |',
      '| answers that failed | 0 |',
      '| tokens per answer (in / out) | 0 (0 / 0) |',
      '| cost per answer | $0 (offline) |',
    ]) {
      expect(out).toContain(row);
    }
    expect(out).toMatch(/\| latency p50 \| \d+ ms \|/);
    expect(out).toMatch(/\| latency p95 \| \d+ ms \|/);
  });

  it('exits 1 below a threshold, with a line saying which', async () => {
    const { code, err } = await evaluate(['--min-recall', '0.9', '--min-cited', '0.5']);
    expect(code).toBe(1);
    expect(err).toBe('FAILED --min-recall 0.9 failed: recall@5 is 0.800 (4 of 5)');
  });

  it('gives machines the same figures as JSON', async () => {
    const { code, out } = await evaluate(['--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.columns[0]).toMatchObject({ label: 'test env', model: 'offline', costPerAnswer: 0 });
    expect(report.columns[0].totals.recallAt5).toEqual({ count: 4, of: 5, rate: 0.8 });
    expect(report.questions[2].results[0]).toMatchObject({ rightRank: 1, isInTop5: true, isCitedRight: true, missingMentions: [] });
    expect(report.questions[4].results[0]).toMatchObject({ rightRank: -1, isInTop5: false, isCitedRight: false });
  });

  it('refuses a bad line by its number, and --judge without a model, before asking anything (exit 2)', async () => {
    const badLine = await evaluate([], { lines: [JSON.stringify(QUESTIONS[0]), '{"question": "b?", "mustMention": "xoxb"}'] });
    expect(badLine.code).toBe(2);
    expect(badLine.err).toMatch(/^questions\.jsonl line 2: mustMention: /);
    expect(badLine.out).toBe('');
    const judge = await evaluate(['--judge']);
    expect(judge.code).toBe(2);
    expect(judge.err).toContain('--judge needs a model');
    expect(judge.out).toBe('');
  });
});

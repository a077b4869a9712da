import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDb } from '@/lib/db/pglite';
import { searchDocs } from '@/lib/docs/search/search';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createSeededDataDir } from '../helpers/pglite-template';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Operator activity is not readers' (issue 67, friction 3.10): the scripts that run in process against the configured
// store — `npm run docs:search`, `npm run eval` (in process), `npm run report` itself — store nothing that the report
// or the dashboard count as readers' (top docs queries, searches without results, threads, messages, runs, votes,
// page reads, shares). A reader's search on the same store, afterwards, is counted: the report would show theirs.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OPERATOR_QUERY = 'how do I configure slack operator';
const READER_QUERY = 'how do I add a reader token';
let dataDir: string;
let questionsFile: string;

beforeAll(async () => {
  dataDir = await createSeededDataDir('pa-operator-');
  const dir = makeTempDir('pa-operator-questions-');
  questionsFile = path.join(dir, 'questions.jsonl');
  writeFileSync(
    questionsFile,
    [
      { question: 'How do I get every conversation posted to our Slack channel?', expected: ['/docs/guides/slack'] },
      { question: 'Zorblax quantum frobnicator settings?' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n'),
  );
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A script as `npm run` runs it (tsx), on this DATA_DIR, with the embedded store and the offline model. */
function runScript(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'silent' };
  for (const name of Object.keys(env)) if (/^(OPENAI_|EMBEDDINGS_|SLACK_|DATABASE_URL|SUPABASE_|SITE_URL|NODE_ENV|DOCS_)/.test(name)) delete env[name];
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, script), ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function report(): Promise<any> {
  const result = await runScript('scripts/report.ts', ['--json', '--days', '1']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

async function deflection(): Promise<any> {
  const result = await runScript('scripts/report.ts', ['--deflection', '--json', '--days', '1']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('scripts run in process store no reader activity', () => {
  it('docs:search, eval and report leave the report and the deflection figures empty; a reader’s search afterwards is counted', { timeout: 300_000 }, async () => {
    const search = await runScript('scripts/docs-search.ts', [OPERATOR_QUERY]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain(`results for "${OPERATOR_QUERY}"`);
    const evaluation = await runScript('scripts/eval.ts', [questionsFile]);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout).toContain('[2/2] Zorblax quantum frobnicator settings?');

    const quiet = await report();
    expect(quiet.docs_queries).toEqual({ total: 0, site: 0, assistant: 0, without_results: 0 });
    expect(quiet.top_queries).toEqual([]);
    expect(quiet.queries_without_results).toEqual([]);
    expect([quiet.threads, quiet.messages, quiet.runs.total, quiet.votes.up, quiet.votes.down]).toEqual([0, { user: 0, assistant: 0, maintainer: 0 }, 0, 0, 0]);
    const figures = await deflection();
    expect([figures.questions, figures.reads.total, figures.shares.conversations]).toEqual([0, 0, 0]);

    // The same store, a reader's search (the site's deps: no `activity`): the report counts it, and only it.
    const db = await createPgliteDb({ dataDir });
    try {
      await searchDocs({ deps: { db, log: createLogger({ level: 'silent' }), embedder: null }, prompt: READER_QUERY, source: 'site', access: PUBLIC_ACCESS });
    } finally {
      await db.close();
    }
    const counted = await report();
    expect(counted.docs_queries.total).toBe(1);
    expect(counted.top_queries.map((row: { query: string }) => row.query)).toEqual([READER_QUERY.toLowerCase()]);
  });
});

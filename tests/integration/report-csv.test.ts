import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createSeededDataDir } from '../helpers/pglite-template';

// `npm run report -- --deflection --csv` as the docs write it, for a file: `npm run` prints its banner on stdout, so
// a redirect caught it with the CSV. The documented ways — `--out FILE`, and `npm run -s` when redirecting — give
// a CSV that parses: the header the docs name, then rows of as many cells.

const ROOT = path.resolve(import.meta.dirname, '../..');
const HEADER = ['section', 'name', 'title', 'kind', 'count', 'rate', 'reads', 'questions'];
let dataDir: string;
let outDir: string;

beforeAll(async () => {
  dataDir = await createSeededDataDir('pa-report-csv-');
  outDir = makeTempDir('pa-report-out-');
});
afterAll(() => {
  for (const dir of [dataDir, outDir]) rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'silent' };
  for (const name of ['DATABASE_URL', 'SUPABASE_URL', 'NODE_ENV', 'SITE_URL']) delete env[name];
  const child = spawn(command, args, { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** RFC 4180: rows of cells, quoted cells with doubled quotes and line breaks inside; throws on a stray quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (char === '"' && cell === '') {
      const end = /^"((?:[^"]|"")*)"/.exec(text.slice(at));
      if (!end) throw new Error(`unterminated quote at ${at}`);
      cell = end[1]!.replace(/""/g, '"');
      at += end[0].length;
      if (at < text.length && text[at] !== ',' && text[at] !== '\n' && text[at] !== '\r') throw new Error(`text after a quoted cell at ${at}`);
      continue;
    }
    if (char === '"') throw new Error(`a quote inside an unquoted cell at ${at}`);
    if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[at + 1] === '\n') at += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
    at += 1;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

function expectDeflectionCsv(text: string) {
  const rows = parseCsv(text);
  expect(rows[0]).toEqual(HEADER);
  expect(rows.length).toBeGreaterThan(5);
  for (const row of rows) expect(row).toHaveLength(HEADER.length);
  expect(rows.map((row) => row[0])).toContain('period');
}

describe('npm run report -- --deflection --csv, written to a file', () => {
  it('--out FILE writes a CSV that parses, and prints nothing else on stdout', async () => {
    const file = path.join(outDir, 'deflection.csv');
    const result = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/report.ts'), '--deflection', '--csv', '--out', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${file}`);
    expectDeflectionCsv(readFileSync(file, 'utf8'));
  });

  it('npm run -s report -- --deflection --csv > file gives the CSV alone (npm prints no banner)', async () => {
    const silent = await run('npm', ['run', '-s', 'report', '--', '--deflection', '--csv']);
    expect(silent.status).toBe(0);
    expectDeflectionCsv(silent.stdout);
  });
});

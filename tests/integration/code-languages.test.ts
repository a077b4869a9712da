import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createDocsSources } from '@/lib/docs/sources';
import type { TCodeReport } from '@/lib/docs/sources/code';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestDb } from '../helpers/pglite-template';
import { GO, PYTHON, RUST } from '../helpers/code-fixtures';

// A checkout in Python, Go and Rust beside TypeScript (issue 70), indexed end to end as DOCS_CODE_DIR configures it:
// the code kind the registry builds parses each file with its own parser (tree-sitter's grammars for the three), writes
// a section per symbol, and search finds a symbol by readers' words, cited to its lines on GitHub at the commit.

const log = createLogger({ level: 'silent' });
const dir = makeTempDir('pa-code-languages-');
let db: Awaited<ReturnType<typeof createTestDb>>;

const FILES: Record<string, string> = {
  'python/pyproject.toml': '[project]\nname = "toaster"\n',
  'python/toaster/core.py': PYTHON,
  'go/go.mod': 'module github.com/acme/toast\n',
  'go/toast.go': GO,
  'rust/Cargo.toml': '[package]\nname = "toaster-rs"\n',
  'rust/src/lib.rs': RUST,
  'web/package.json': '{"name":"@acme/web"}',
  'web/src/banner.ts': 'export const BANNER_TIMEOUT_MS = 8000;\n',
};

beforeAll(async () => {
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, 'repo', file)), { recursive: true });
    writeFileSync(path.join(dir, 'repo', file), text);
  }
  db = await createTestDb();
});

afterAll(async () => {
  await db?.close();
});

async function search(prompt: string) {
  const { results } = await searchDocsRanked({ deps: { db, log, embedder: null }, prompt, limit: 5, source: 'site', access: PUBLIC_ACCESS, isRecorded: false, sources: ['code'] });
  return results;
}

describe('a checkout in several languages', () => {
  it('indexes each language’s symbols and finds them, cited to their lines', async () => {
    const source = createDocsSources(parseConfig({ DOCS_DIR: '', DOCS_CODE_DIR: path.join(dir, 'repo'), DOCS_CODE_REPO: 'acme/toast', DOCS_CODE_REF: 'abc123' }, dir)).find((entry) => entry.kind === 'code');
    const report = (await source!.load({ db, log, embedder: null })) as TCodeReport;
    expect(report).toMatchObject({ files: 4, indexed: 4, failed: [] });
    expect(report.symbols).toBeGreaterThan(20);

    const python = await search('toaster push dismiss after seconds');
    expect(python[0]).toMatchObject({ kind: 'code', url: 'https://github.com/acme/toast/blob/abc123/python/toaster/core.py#L19-L21' });
    const go = await search('NewToaster keeps limit toasts');
    expect(go[0]?.url).toBe('https://github.com/acme/toast/blob/abc123/go/toast.go#L28-L31');
    // `impl Default for Toaster`'s function, its field values its defaults.
    const rust = await search('Toaster default limit');
    expect(rust.map((result) => result.url)).toContain('https://github.com/acme/toast/blob/abc123/rust/src/lib.rs#L14-L16');
    const ts = await search('banner timeout');
    expect(ts[0]?.url).toBe('https://github.com/acme/toast/blob/abc123/web/src/banner.ts#L1');

    // Unchanged files are not parsed again.
    const again = await source!.load({ db, log, embedder: null });
    expect(again).toMatchObject({ indexed: 0, unchanged: 4 });
  });
});

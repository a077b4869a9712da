import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { GO, PYTHON, RUST } from '../helpers/code-fixtures';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';

// Python, Go and Rust code as an operator runs it (issue 70): `next start` of the production build with
// GITHUB_CODE_REPOS naming a repository on a fake GitHub on 127.0.0.1. The server reads it at start through the API and
// parses each file with tree-sitter's WebAssembly build and the grammars' .wasm files, which the build left as
// packages and traced (next.config.mjs): /api/health shows the code source's files, none failed, and /api/docs-search
// finds a symbol of each language, cited to its lines at the commit.

let fake: TFakeGithub;
let server: TNextServer;

type TSourceHealth = { kind: string; pages: number; sections: number; failed: number; lastRun: string | null; lastError: string | null };
const codeHealth = async () => ((await (await fetch(`${server.url}/api/health`)).json()) as { docs: { sources: TSourceHealth[] } }).docs.sources.find((source) => source.kind === 'code');
const search = async (prompt: string) => {
  const response = await fetch(`${server.url}/api/docs-search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, limit: 5, sources: ['code'] }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { kind: string; url: string; title: string }[] }).data;
};

beforeAll(async () => {
  fake = await startFakeGithub({
    repos: {
      'acme/toast': {
        issues: [],
        comments: {},
        git: { branch: 'main', files: { 'python/pyproject.toml': '[project]\nname = "toaster"\n', 'python/toaster/core.py': PYTHON, 'go/toast.go': GO, 'rust/Cargo.toml': '[package]\nname = "toaster-rs"\n', 'rust/src/lib.rs': RUST } },
      },
    },
  });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-code-languages-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: 'production-code-languages-secret-0123456789',
      MODERATION: 'off',
      GITHUB_CODE_REPOS: 'acme/toast@main',
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: 'ghp_productionCodeLanguages0123456789',
    },
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const code = await codeHealth();
    if (code?.lastRun) break;
    if (Date.now() > deadline) throw new Error(`the code source was not read in 90 s: ${JSON.stringify(code)}\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('Python, Go and Rust code on next start', () => {
  it('reads the repository at start, every file parsed', async () => {
    expect(await codeHealth()).toMatchObject({ kind: 'code', pages: 3, failed: 0, lastError: null });
  });

  it('finds a symbol of each language, cited to its lines on GitHub at the commit', async () => {
    const commit = fake.requests('GET /repos/acme/toast/commits/main').length > 0;
    expect(commit).toBe(true);
    const python = await search('toaster push dismiss after seconds');
    expect(python[0]).toMatchObject({ kind: 'code' });
    expect(python[0]?.url).toMatch(/^https:\/\/github\.com\/acme\/toast\/blob\/[0-9a-f]{40}\/python\/toaster\/core\.py#L19-L21$/);
    expect((await search('NewToaster keeps limit toasts'))[0]?.url).toMatch(/\/go\/toast\.go#L28-L31$/);
    expect((await search('Toaster default limit')).map((result) => result.url).some((url) => url.endsWith('/rust/src/lib.rs#L14-L16'))).toBe(true);
  });
});

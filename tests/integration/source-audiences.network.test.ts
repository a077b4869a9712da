import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createDocsSources } from '@/lib/docs/sources';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createTestDb } from '../helpers/pglite-template';

// DOCS_AUDIENCES for every source kind (issue 57), not only the docs folder: a crawled page, an OpenAPI spec's pages,
// a GitHub thread and a maintainers' answer each get the audiences the rules give their index path, from the kind as
// the registry builds it from the configuration (stamped by the write pipeline, lib/docs/index/audiences.ts), and
// search keeps them from a reader without the audience while a reader with it finds them. Each kind's servers are
// fakes on 127.0.0.1.

type TTestDb = Awaited<ReturnType<typeof createTestDb>>;

const log = createLogger({ level: 'silent' });
const STAFF: TReaderAccess = { audiences: ['staff'], isMaintainer: false };
let server: Server;
let origin = '';
let github: TFakeGithub;
const dir = makeTempDir('pa-source-audiences-');

const html = (title: string, text: string) => `<!doctype html><html><head><title>${title}</title></head><body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;

beforeAll(async () => {
  server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    const pages: Record<string, string> = {
      '/guides/harbour': html('Harbour guide', 'The harbour guide explains the quayside ferries for every visitor.'),
      '/internal/vault': html('Vault runbook', 'Rotate the glimmerquartz vault keys through the plinthwhistle console.'),
    };
    if (pathname === '/sitemap.xml') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end(
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${Object.keys(pages).map((page) => `<url><loc>${origin}${page}</loc><lastmod>2026-01-01</lastmod></url>`).join('')}</urlset>`,
      );
      return;
    }
    const page = pages[pathname];
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issue = (number: number, title: string, body: string) => ({
    number,
    title,
    body,
    state: 'open',
    user: { login: 'someone' },
    author_association: 'NONE',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    comments: 0,
    html_url: `https://github.com/acme/widgets/issues/${number}`,
  });
  github = await startFakeGithub({
    repos: {
      'acme/widgets': {
        issues: [
          issue(1, 'Toolbar overflows on small screens', 'The toolbar overflows its container on small screens.'),
          issue(2, 'Snarfblat escalation ladder', 'The snarfblat escalation ladder pages the quibbleworth rota.'),
        ],
        comments: {},
      },
    },
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await github?.close();
});

/** The kind's source as the registry builds it from this environment, loaded into a fresh database. */
async function loadKind(kind: string, env: Record<string, string>, prepare?: (db: TTestDb) => Promise<void>, into?: TTestDb, pollSince?: Date): Promise<TTestDb> {
  const db = into ?? (await createTestDb());
  await prepare?.(db);
  const source = createDocsSources(parseConfig({ DOCS_DIR: '', ...env }, dir)).find((entry) => entry.kind === kind);
  expect(source, kind).toBeDefined();
  if (pollSince) await source!.poll({ db, log, embedder: null }, pollSince);
  else await source!.load({ db, log, embedder: null });
  return db;
}

async function found(db: TTestDb, prompt: string, access: TReaderAccess): Promise<string[]> {
  const { results } = await searchDocsRanked({ deps: { db, log, embedder: null }, prompt, limit: 10, source: 'site', access, isRecorded: false });
  return results.map((result) => `${result.path} ${result.title}`);
}

describe('DOCS_AUDIENCES on every source kind', () => {
  it('a crawled page, by its URL path', async () => {
    const db = await loadKind('crawl', { DOCS_CRAWL_URL: `${origin}/sitemap.xml`, DOCS_AUDIENCES: 'staff=internal/**' });
    try {
      expect(await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'glimmerquartz vault keys', STAFF)).join('\n')).toContain('/internal/vault');
      expect((await found(db, 'harbour quayside ferries', PUBLIC_ACCESS)).join('\n')).toContain('/guides/harbour');
    } finally {
      await db.close();
    }
  });

  it('a crawled page indexed before the rule, unchanged since (same lastmod), takes the rule at the next crawl', async () => {
    const db = await loadKind('crawl', { DOCS_CRAWL_URL: `${origin}/sitemap.xml` });
    try {
      expect((await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).join('\n')).toContain('/internal/vault');
      await loadKind('crawl', { DOCS_CRAWL_URL: `${origin}/sitemap.xml`, DOCS_AUDIENCES: 'staff=internal/**' }, undefined, db);
      expect(await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'glimmerquartz vault keys', STAFF)).join('\n')).toContain('/internal/vault');
      // And the rule taken away, public again.
      await loadKind('crawl', { DOCS_CRAWL_URL: `${origin}/sitemap.xml` }, undefined, db);
      expect((await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).join('\n')).toContain('/internal/vault');
    } finally {
      await db.close();
    }
  });

  it("an OpenAPI spec's pages, by their index path", async () => {
    const spec = (name: string, summary: string) => ({
      openapi: '3.0.0',
      info: { title: name, version: '1' },
      paths: { [`/${name}`]: { get: { operationId: `get-${name}`, summary, responses: { '200': { description: 'OK' } } } } },
    });
    writeFileSync(path.join(dir, 'vault-admin.json'), JSON.stringify(spec('vault-admin', 'Rotate the glimmerquartz vault keys')));
    writeFileSync(path.join(dir, 'harbour.json'), JSON.stringify(spec('harbour', 'List the quayside ferries')));
    const db = await loadKind('openapi', {
      DOCS_OPENAPI: `${path.join(dir, 'vault-admin.json')},${path.join(dir, 'harbour.json')}`,
      DOCS_AUDIENCES: 'staff=openapi/vault-admin|openapi/vault-admin/**',
    });
    try {
      expect(await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'glimmerquartz vault keys', STAFF)).join('\n')).toContain('openapi/vault-admin');
      expect((await found(db, 'quayside ferries', PUBLIC_ACCESS)).join('\n')).toContain('openapi/harbour');
    } finally {
      await db.close();
    }
  });

  it('a GitHub thread, by its index path', async () => {
    const db = await loadKind('github', { GITHUB_REPOS: 'acme/widgets', GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: github.url, DOCS_AUDIENCES: 'staff=github:acme/widgets#2' });
    try {
      expect(await found(db, 'snarfblat escalation ladder', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'snarfblat escalation ladder', STAFF)).join('\n')).toContain('github:acme/widgets#2');
      expect((await found(db, 'toolbar overflows small screens', PUBLIC_ACCESS)).join('\n')).toContain('github:acme/widgets#1');
    } finally {
      await db.close();
    }
  });

  it('GitHub threads synced before the rule, unchanged since, take it at the next poll (a full sync)', async () => {
    const env = { GITHUB_REPOS: 'acme/widgets', GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: github.url };
    const db = await loadKind('github', env);
    try {
      expect((await found(db, 'snarfblat escalation ladder', PUBLIC_ACCESS)).join('\n')).toContain('github:acme/widgets#2');
      // An incremental poll would read only threads updated since: none are.
      await loadKind('github', { ...env, DOCS_AUDIENCES: 'staff=github:acme/widgets#2' }, undefined, db, new Date());
      expect(await found(db, 'snarfblat escalation ladder', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'snarfblat escalation ladder', STAFF)).join('\n')).toContain('github:acme/widgets#2');
    } finally {
      await db.close();
    }
  });

  it("a private repository's threads: GITHUB_PRIVATE_AUDIENCE's readers, else maintainers only", async () => {
    const env = { GITHUB_REPOS: 'acme/widgets', GITHUB_TOKEN: 'ghp_test', GITHUB_API_URL: github.url, GITHUB_INCLUDE_PRIVATE: 'on' };
    const MAINTAINER: TReaderAccess = { audiences: [], isMaintainer: true };
    github.setPrivate('acme/widgets', true);
    try {
      const withAudience = await loadKind('github', { ...env, GITHUB_PRIVATE_AUDIENCE: 'staff' });
      try {
        expect(await found(withAudience, 'toolbar overflows small screens', PUBLIC_ACCESS)).toEqual([]);
        expect(await found(withAudience, 'toolbar overflows small screens', { audiences: ['beta'], isMaintainer: false })).toEqual([]);
        expect((await found(withAudience, 'toolbar overflows small screens', STAFF)).join('\n')).toContain('github:acme/widgets#1');
      } finally {
        await withAudience.close();
      }
      const maintainersOnly = await loadKind('github', env);
      try {
        expect(await found(maintainersOnly, 'toolbar overflows small screens', STAFF)).toEqual([]);
        expect((await found(maintainersOnly, 'toolbar overflows small screens', MAINTAINER)).join('\n')).toContain('github:acme/widgets#1');
      } finally {
        await maintainersOnly.close();
      }
    } finally {
      github.setPrivate('acme/widgets', false);
    }
  });

  it("a maintainers' answer, by its index path", async () => {
    const db = await loadKind('answer', { DOCS_AUDIENCES: 'staff=answer:1' }, async (db) => {
      for (const [question, answer] of [
        ['How do I rotate the vault keys?', 'Rotate the glimmerquartz vault keys through the plinthwhistle console.'],
        ['Where do the ferries leave from?', 'The quayside ferries leave from the saffron pier.'],
      ]) {
        await db.pg.query("insert into maintainer_answer (question, answer, status, answered_at, decided_at) values ($1, $2, 'approved', now(), now())", [question, answer]);
      }
    });
    try {
      expect(await found(db, 'glimmerquartz vault keys', PUBLIC_ACCESS)).toEqual([]);
      expect((await found(db, 'glimmerquartz vault keys', STAFF)).join('\n')).toContain('answer:1');
      expect((await found(db, 'quayside ferries saffron pier', PUBLIC_ACCESS)).join('\n')).toContain('answer:2');
    } finally {
      await db.close();
    }
  });
});

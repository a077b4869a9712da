import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCS_CLIENT_MANIFEST, readDocsClientManifest } from '@/lib/docs/site/docs-client';

// pages/_document.tsx names the docs pages' own client from the manifest scripts/build-docs-client.mjs writes. A
// `next build` run without that step must stop with a sentence that says what to run, not generate pages whose
// script is missing; a manifest naming files outside the client's folder is refused.

const folders: string[] = [];
function project(manifest: unknown | null): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pa-docs-client-'));
  folders.push(root);
  if (manifest !== null) {
    mkdirSync(path.dirname(path.join(root, DOCS_CLIENT_MANIFEST)), { recursive: true });
    writeFileSync(path.join(root, DOCS_CLIENT_MANIFEST), JSON.stringify(manifest));
  }
  return root;
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('readDocsClientManifest', () => {
  it('reads the entry and what it preloads', () => {
    const manifest = { entry: '/_docs-client/entry-AB12.js', preload: ['/_docs-client/chunk-CD34.js'] };
    expect(readDocsClientManifest(project(manifest))).toEqual(manifest);
  });

  it('without a built client, says to run `npm run build`', () => {
    expect(() => readDocsClientManifest(project(null))).toThrow(/manifest\.json is missing: `npm run build` builds the docs pages' client/);
  });

  it('refuses a manifest naming a file outside /_docs-client/', () => {
    expect(() => readDocsClientManifest(project({ entry: 'https://elsewhere.example/x.js', preload: [] }))).toThrow();
    expect(() => readDocsClientManifest(project({ entry: '/_docs-client/entry.js', preload: ['/other/x.js'] }))).toThrow();
  });
});

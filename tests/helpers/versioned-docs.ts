import { cpSync, mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The Docusaurus-shaped fixture (tests/fixtures/versioned-docs) keeps its two Docusaurus names with a `.fixture`
// suffix: `next build`'s file tracer follows the names the version detection looks for (`versioned_docs`,
// `versions.json`) to every folder of the project that has them, and would ship this one with the server. A test
// gets a copy with the real names.

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/versioned-docs');

/** A temp copy of the fixture as Docusaurus lays it out: `docs/`, `versioned_docs/`, `versions.json`. */
export function copyVersionedDocsFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pa-versioned-docs-'));
  cpSync(FIXTURE, dir, { recursive: true });
  renameSync(path.join(dir, 'versioned_docs.fixture'), path.join(dir, 'versioned_docs'));
  renameSync(path.join(dir, 'versions.fixture.json'), path.join(dir, 'versions.json'));
  return dir;
}

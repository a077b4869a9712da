import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm ci` on any platform needs every platform's optional native package in the lock (Next's SWC builds, the
// bundlers' bindings, the linter's resolver): a lock made where the registry served only Linux builds lists only
// those, and `npm ci` on macOS or Windows then refuses it as out of sync. .ci/run also checks that `npm install`
// would not rewrite the lock; this names the missing package when one is left out.

type TLockEntry = { version?: string; optionalDependencies?: Record<string, string>; os?: string[]; cpu?: string[]; engines?: { node?: string } };
const lock = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package-lock.json'), 'utf8')) as {
  packages: Record<string, TLockEntry>;
};

// Where npm would look for a dependency of the package at `at`: its own node_modules, then each parent's.
function resolveIn(at: string, name: string): TLockEntry | undefined {
  let dir = at;
  for (;;) {
    const found = lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`];
    if (found) return found;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent === -1 ? '' : dir.slice(0, parent);
  }
}

describe('package-lock.json', () => {
  it("lists every optional dependency of every locked package, whatever platform it is for", () => {
    const missing: string[] = [];
    for (const [at, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!resolveIn(at, name)) missing.push(`${name} (optional dependency of ${at || 'the project'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds the macOS and Windows builds of Next’s compiler beside the Linux ones', () => {
    const swcPlatforms = Object.entries(lock.packages)
      .filter(([at]) => at.startsWith('node_modules/@next/swc-'))
      .flatMap(([, entry]) => entry.os ?? []);
    expect(new Set(swcPlatforms)).toEqual(new Set(['darwin', 'linux', 'win32']));
  });

  // `npm ci` warns (EBADENGINE) for every locked package whose `engines.node` excludes the Node it runs on. The
  // project's floor (package.json `engines`, the README) is the lowest Node every locked package accepts: 20.19, the
  // first Node 20 with require(esm), which linkedom's CSS selectors, parse5's entities, vite 8 and the linter ask for.
  // CI runs Node 20 and 24. A package that asks for more than the floor fails here by name: raising the floor is
  // then a decision, not a surprise.
  // A platform's own package (an `os`/`cpu` field) is installed, and checked, only there: CI's is linux x64.
  const isInstalledOnCi = (entry: TLockEntry) => (entry.os ?? ['linux']).includes('linux') && (entry.cpu ?? ['x64']).includes('x64');
  const lockEngines = Object.entries(lock.packages)
    .filter(([at, entry]) => at !== '' && entry.engines?.node && isInstalledOnCi(entry))
    .map(([at, entry]) => ({ at, version: entry.version, node: entry.engines?.node }));
  const floor = semver.minVersion((lock.packages[''] as { engines?: { node?: string } }).engines?.node ?? '')?.version ?? '';

  it('has the floor the README states', () => {
    expect(floor).toBe('20.19.0');
    expect(readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8')).toContain(`Node.js ${floor.replace(/\.0$/, '')} or later`);
  });

  it.each([floor, '24.0.0'])('every locked package runs on Node %s without an engine warning', (node) => {
    const refusing = lockEngines.filter(({ node: range }) => !semver.satisfies(node, range ?? '*'));
    expect(refusing).toEqual([]);
  });
});

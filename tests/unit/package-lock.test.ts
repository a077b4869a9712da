import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm ci` on any platform needs every platform's optional native package in the lock (Next's SWC builds, the
// bundlers' bindings, the linter's resolver): a lock made where the registry served only Linux builds lists only
// those, and `npm ci` on macOS or Windows then refuses it as out of sync. .ci/run also checks that `npm install`
// would not rewrite the lock; this names the missing package when one is left out.

type TLockEntry = { version?: string; optionalDependencies?: Record<string, string>; os?: string[] };
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
});

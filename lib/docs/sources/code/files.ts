import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';

// A checkout's files as the code kind reads them: those its include globs match and its exclude globs do not (folders
// an exclusion matches are not even walked), the commit its .git says it is at, and each file's package (the nearest
// package manifest's name). Read-only.

/** Files under `dir` (relative, with `/`), sorted, that `include` matches and `exclude` does not. */
export function listCodeFiles(dir: string, include: readonly string[], exclude: readonly string[]): string[] {
  const isIncluded = picomatch([...include], { dot: false });
  const isExcluded = picomatch([...exclude], { dot: true });
  const out: string[] = [];
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(/* turbopackIgnore: true */ path.join(dir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        // `a/**` matches what is under a: a folder is skipped when a file inside it would be.
        if (!isExcluded(`${child}/x`) && !entry.name.startsWith('.')) walk(child);
      } else if (entry.isFile() && isIncluded(child) && !isExcluded(child)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/**
 * The commit a checkout's .git says it is at (its HEAD, through a branch's ref or packed-refs), or null. Its reads are
 * of a folder the operator names at run time: turbopackIgnore keeps the build from tracing the whole project for them.
 */
export function gitHeadOf(dir: string): string | null {
  let gitDir = path.join(dir, '.git');
  try {
    if (!existsSync(/* turbopackIgnore: true */ gitDir)) return null;
    // A worktree's or submodule's .git is a file naming the real one.
    if (statSync(/* turbopackIgnore: true */ gitDir).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(/* turbopackIgnore: true */ gitDir, 'utf8'))?.[1]?.trim();
      if (!pointer) return null;
      gitDir = path.resolve(dir, pointer);
    }
    const head = readFileSync(/* turbopackIgnore: true */ path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    // A worktree keeps its HEAD in its own folder and its refs in the common one.
    const common = existsSync(/* turbopackIgnore: true */ path.join(gitDir, 'commondir')) ? path.resolve(gitDir, readFileSync(/* turbopackIgnore: true */ path.join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    for (const base of [gitDir, common]) {
      const file = path.join(base, ref);
      if (existsSync(/* turbopackIgnore: true */ file)) return readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim();
    }
    for (const base of [gitDir, common]) {
      const packed = path.join(base, 'packed-refs');
      if (!existsSync(/* turbopackIgnore: true */ packed)) continue;
      for (const line of readFileSync(/* turbopackIgnore: true */ packed, 'utf8').split('\n')) {
        const [sha, name] = line.split(' ');
        if (name === ref && sha && /^[0-9a-f]{40}$/.test(sha)) return sha;
      }
    }
  } catch {
    return null;
  }
  return null;
}

/** A package manifest's name: package.json's `name`, pyproject.toml's `[project]` (or Poetry's), Cargo.toml's `[package]`, go.mod's module. */
const MANIFESTS: { file: string; nameOf: (text: string) => unknown }[] = [
  { file: 'package.json', nameOf: (text) => (JSON.parse(text) as { name?: unknown }).name },
  { file: 'pyproject.toml', nameOf: (text) => tomlName(text, ['project'], ['tool', 'poetry']) },
  { file: 'Cargo.toml', nameOf: (text) => tomlName(text, ['package']) },
  { file: 'go.mod', nameOf: (text) => /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1] },
];

function tomlName(text: string, ...tables: string[][]): unknown {
  const parsed: unknown = parseToml(text);
  for (const keys of tables) {
    let table: unknown = parsed;
    for (const key of keys) table = table && typeof table === 'object' ? (table as Record<string, unknown>)[key] : undefined;
    const name = table && typeof table === 'object' ? (table as Record<string, unknown>).name : undefined;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/**
 * The name of the package a file belongs to: the nearest manifest's (package.json, pyproject.toml, Cargo.toml, go.mod;
 * a manifest without a name, a workspace's, is passed over) at or above its folder, within the checkout (memoised by
 * folder). `readFile` reads a checkout's file by its relative path, or null when there is none.
 */
export function packageNames(readFile: (relative: string) => string | null): (file: string) => string | null {
  const byFolder = new Map<string, string | null>();
  const nameIn = (folder: string): string | null => {
    const known = byFolder.get(folder);
    if (known !== undefined) return known;
    let name: string | null = null;
    for (const manifest of MANIFESTS) {
      const text = readFile(folder === '' ? manifest.file : `${folder}/${manifest.file}`);
      if (text === null) continue;
      try {
        const value = manifest.nameOf(text);
        if (typeof value === 'string' && value.trim() !== '') name = value.trim().slice(0, 200);
      } catch {
        name = null;
      }
      if (name !== null) break;
    }
    const result = name ?? (folder === '' ? null : nameIn(path.posix.dirname(folder) === '.' ? '' : path.posix.dirname(folder)));
    byFolder.set(folder, result);
    return result;
  };
  return (file) => nameIn(path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file));
}

/** A file of a checkout (a package manifest), read by its relative path; null when there is none. */
export function readCheckoutFile(dir: string, relative: string): string | null {
  try {
    return readFileSync(/* turbopackIgnore: true */ path.join(dir, relative), 'utf8');
  } catch {
    return null;
  }
}

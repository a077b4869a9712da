/** An audience's name: letters, digits and `._:-`, starting with a letter or digit, at most 100 characters. */
export const AUDIENCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

// DOCS_AUDIENCES: audiences by a page's index path, for any source kind (`staff=internal/**,beta=beta/**|preview/**`).
// Each rule names an audience and one or more globs (`|` between them) over the index path (a docs folder's
// file relative to DOCS_DIR, a crawled page's or a thread's path): `**` any number of folders, `*` any characters
// but `/`, `?` one. A page matching several rules has each audience (any one of them lets a reader see it).

export type TAudienceRule = { audience: string; globs: readonly string[]; patterns: readonly RegExp[] };

/** The rules of a DOCS_AUDIENCES value, or the problem that makes it unusable (named for the configuration's error). */
export function parseAudienceRules(value: string | undefined): TAudienceRule[] | { error: string } {
  if (value === undefined || value.trim() === '') return [];
  const rules: TAudienceRule[] = [];
  for (const entry of value.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const at = trimmed.indexOf('=');
    const audience = at === -1 ? '' : trimmed.slice(0, at).trim();
    const globs = at === -1 ? [] : trimmed.slice(at + 1).split('|').map((glob) => glob.trim()).filter(Boolean);
    if (!AUDIENCE_NAME.test(audience) || globs.length === 0) {
      return { error: `"${trimmed}" is not audience=glob (e.g. staff=internal/**, globs separated by |)` };
    }
    rules.push({ audience, globs, patterns: globs.map(globPattern) });
  }
  return rules;
}

function globPattern(glob: string): RegExp {
  let source = '';
  const text = glob.replace(/^\/+/, '');
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at]!;
    if (char === '*' && text[at + 1] === '*') {
      // `a/**/b` matches a/b too; a trailing `**` matches everything below.
      const isFolder = text[at + 2] === '/';
      source += isFolder ? '(?:.*/)?' : '.*';
      at += isFolder ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The audiences DOCS_AUDIENCES gives a page at this index path ([]: none). */
export function audiencesOfPath(rules: readonly TAudienceRule[] | undefined, indexPath: string): string[] {
  if (!rules || rules.length === 0) return [];
  const path = indexPath.replace(/^\/+/, '');
  return rules.filter((rule) => rule.patterns.some((pattern) => pattern.test(path))).map((rule) => rule.audience);
}

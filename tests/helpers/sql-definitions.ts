// What a SQL file defines, read from its text: the guards of supabase/migrations and supabase/schemas
// (tests/unit) and the completeness check against a migrated database (tests/integration/migrations.test.ts).

export type TDefinitionKind = 'function' | 'trigger' | 'view' | 'policy';
export type TDefinition = { kind: TDefinitionKind; name: string };

/**
 * The SQL without comments; with `isBodyKept` false, dollar-quoted bodies (functions, do blocks) are blanked
 * too, leaving the top-level statements. String literals are kept whole, so `--` inside one is not a comment.
 */
export function stripSql(sql: string, { isBodyKept }: { isBodyKept: boolean }): string {
  let out = '';
  let index = 0;
  while (index < sql.length) {
    const rest = sql.slice(index);
    const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', index);
      index = end < 0 ? sql.length : end;
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', index + 2);
      index = end < 0 ? sql.length : end + 2;
    } else if (rest.startsWith("'")) {
      const end = /^'(?:[^']|'')*'/.exec(rest)?.[0] ?? rest;
      out += end;
      index += end.length;
    } else if (dollar) {
      const end = sql.indexOf(dollar[0], index + dollar[0].length);
      const stop = end < 0 ? sql.length : end + dollar[0].length;
      out += isBodyKept ? sql.slice(index, stop) : `${dollar[0]} ${dollar[0]}`;
      index = stop;
    } else {
      out += sql[index];
      index += 1;
    }
  }
  return out;
}

const PATTERNS: [TDefinitionKind, RegExp][] = [
  ['function', /\bcreate\s+(?:or\s+replace\s+)?(?:function|procedure)\s+(?:public\.)?"?(\w+)/gi],
  ['trigger', /\bcreate\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\s+"?(\w+)/gi],
  ['view', /\bcreate\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\s+(?:if\s+not\s+exists\s+)?(?:public\.)?"?(\w+)/gi],
  ['policy', /\bcreate\s+policy\s+"?([^"\s]+)/gi],
];

/** The functions, triggers, views and policies a file creates, anywhere in it (do blocks included). */
export function definitionsIn(sql: string): TDefinition[] {
  const code = stripSql(sql, { isBodyKept: true });
  return PATTERNS.flatMap(([kind, pattern]) => [...code.matchAll(pattern)].map((match) => ({ kind, name: (match[1] as string).toLowerCase() })));
}

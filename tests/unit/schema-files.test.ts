import { describe, expect, it } from 'vitest';
import { readSchemas } from '@/lib/db/migrations';
import { definitionsIn, stripSql } from '../helpers/sql-definitions';

// supabase/schemas holds every function, trigger, view and policy, one concern per file, current definition
// only; tables, indexes and data stay in supabase/migrations. Each file is re-applied whenever it changes
// (lib/db/migrations.ts), so it must be safe to run on top of itself.

const schemas = readSchemas();

describe('schema files (supabase/schemas)', () => {
  it('are named NN_concern.sql (NN: the order they are applied in), one concern each', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(10);
    for (const schema of schemas) expect(schema.name).toMatch(/^\d{2}_[a-z0-9_]+\.sql$/);
  });

  it('each ends by locking the schema down, on a line of its own', () => {
    for (const schema of schemas) expect(schema.sql.endsWith('\nselect pa_lock_down();\n'), schema.name).toBe(true);
  });

  it('define each function, trigger, view and policy in one file only', () => {
    const definedIn = new Map<string, string>();
    const twice: string[] = [];
    for (const schema of schemas) {
      // The same name twice in one file is an overload, or a definition chosen at run time (docs_cosine_similarity).
      for (const { kind, name } of definitionsIn(schema.sql)) {
        const key = `${kind} ${name}`;
        const earlier = definedIn.get(key);
        if (earlier && earlier !== schema.name) twice.push(`${key}: ${earlier} and ${schema.name}`);
        definedIn.set(key, schema.name);
      }
    }
    expect(definedIn.size).toBeGreaterThan(100);
    expect(twice).toEqual([]);
  });

  it('change no table, index or data: those are versioned migrations (supabase/migrations)', () => {
    const TABLE_CHANGE = /\b(create\s+(unique\s+)?index|create\s+table|alter\s+table|drop\s+table|drop\s+index|insert\s+into|update\s+\w+\s+set|delete\s+from|(?<!\b(?:before|after|or)\s+)truncate)\b/i;
    for (const schema of schemas) {
      // Function bodies may write rows; what runs when the file is applied may not. A trigger's event (`after truncate
      // on t`, `insert or truncate`) is no truncation.
      expect(stripSql(schema.sql, { isBodyKept: false }), schema.name).not.toMatch(TABLE_CHANGE);
    }
  });

  it('replace what they define in a way that can run again: triggers and policies are dropped first, functions replaced', () => {
    for (const schema of schemas) {
      const code = stripSql(schema.sql, { isBodyKept: false });
      expect(code, schema.name).not.toMatch(/\bcreate\s+function\b/i);
      for (const match of code.matchAll(/\bcreate\s+(?:constraint\s+)?trigger\s+(\w+)\s+[\s\S]*?\bon\s+(\w+)/gi)) {
        expect(code, `${schema.name}: trigger ${match[1]}`).toMatch(new RegExp(`drop trigger if exists ${match[1]} on ${match[2]};`, 'i'));
      }
      for (const match of code.matchAll(/\bcreate\s+policy\s+("?[^"\s]+"?)\s+on\s+(\w+)/gi)) {
        expect(code, `${schema.name}: policy ${match[1]}`).toContain(`drop policy if exists ${match[1]} on ${match[2]};`);
      }
    }
  });
});

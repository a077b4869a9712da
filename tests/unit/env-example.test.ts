import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZEnv } from '@/lib/config';

// .env.example says it lists every variable: the names come from lib/config.ts's schema (the one reader of the
// environment), so a variable added there without a line in .env.example fails here.

const example = readFileSync(path.resolve('.env.example'), 'utf8');
const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? ''));
const read = Object.keys(ZEnv.shape);

describe('.env.example', () => {
  it('lists every variable lib/config.ts reads', () => {
    expect(read.length).toBeGreaterThan(50);
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists no variable lib/config.ts does not read', () => {
    expect([...listed].filter((name) => !read.includes(name))).toEqual([]);
  });
});

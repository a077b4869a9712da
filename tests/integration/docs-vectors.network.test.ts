import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { searchDocsSectionsByEmbedding } from '@/lib/db/docs-index';
import type { TDb } from '@/lib/db/types';
import { createEmbedder } from '@/lib/docs/index/embeddings';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { rankDocsSections } from '@/lib/docs/search/ranking/store';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { hashedWordVector, startFakeEmbeddings, type TFakeEmbeddings } from '../helpers/fake-embeddings';
import { createPostgresTestDb, execSql, querySql } from '../helpers/stores';
import { createTestDb } from '../helpers/pglite-template';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Vectors in Postgres (issue 39, item 2): with pgvector (the embedded PGlite loads it) the nearest sections come
// through a per-model HNSW index; on a Postgres without it, from the exact scan. Embeddings come from a fake
// OpenAI-compatible server on 127.0.0.1; its vectors are words hashed into DIMENSIONS buckets, so the exact nearest
// sections of a question can be computed here from the stored vectors and compared with what the database returns.

const DIMENSIONS = 48;
const MODEL = 'test-hashed-words';
const vectorOf = (text: string) => hashedWordVector(text, DIMENSIONS);

// A seeded corpus: 50 pages of 6 sections, each section 24 words of a 240-word vocabulary.
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
}
const random = seeded(39);
const VOCABULARY = Array.from({ length: 240 }, (_, i) => `w${i.toString(36)}${'abcdefghij'[i % 10]}`);
const words = (count: number) => Array.from({ length: count }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]!).join(' ');
const QUESTIONS = Array.from({ length: 24 }, () => words(4));

function writeCorpus(dir: string) {
  mkdirSync(dir, { recursive: true });
  for (let page = 0; page < 50; page += 1) {
    const sections = Array.from({ length: 6 }, (_, s) => `## Part ${page}-${s}\n\n${words(24)}.\n`).join('\n');
    writeFileSync(path.join(dir, `page-${page}.md`), `# Page ${page}\n\n${sections}`);
  }
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

/** The exact nearest sections of a vector, computed here from the vectors the database stores. */
async function exactNearest(db: TDb, vector: number[], limit: number) {
  const { rows } = await querySql<{ id: string | number; embedding: number[] }>(db, 'select id, embedding from docs_section where embedding_model = $1', [MODEL]);
  return rows
    .map((row) => ({ id: Number(row.id), similarity: cosine(row.embedding, vector) }))
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, limit);
}

let fake: TFakeEmbeddings;
let dir: string;

beforeAll(async () => {
  fake = await startFakeEmbeddings({ vectorOf });
  dir = makeTempDir('docs-vectors-');
  writeCorpus(dir);
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function indexed(db: TDb) {
  const config = parseConfig({ NODE_ENV: 'test', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: MODEL, DATA_DIR: os.tmpdir() });
  const report = await indexDocs({ db, docsDir: dir, embedder: createEmbedder(config) });
  expect(report.embeddingError).toBeNull();
  expect(report.embedded).toBe(300);
}

const indexName = async (db: TDb) =>
  (await querySql<{ name: string }>(db, 'select docs_embedding_index_name($1, $2) as name', [MODEL, DIMENSIONS])).rows[0]!.name;

describe('nearest sections through pgvector HNSW (embedded PGlite with @electric-sql/pglite-pgvector)', () => {
  let db: TDb;
  beforeAll(async () => {
    db = await createTestDb();
    await indexed(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('has the vector extension and an HNSW index of the model’s vectors, over halfvec of their dimension', async () => {
    const extensions = await querySql<{ extname: string }>(db, "select extname from pg_extension where extname = 'vector'");
    expect(extensions.rows).toHaveLength(1);
    const { rows } = await querySql<{ indexdef: string }>(db, 'select indexdef from pg_indexes where indexname = $1', [await indexName(db)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toMatch(/USING hnsw/);
    expect(rows[0]!.indexdef).toContain(`halfvec(${DIMENSIONS})`);
    expect(rows[0]!.indexdef).toContain(`'${MODEL}'`);
  });

  it('answers a question through the index (EXPLAIN of the query it runs)', async () => {
    const { rows } = await querySql<{ sql: string }>(db, 'select docs_embedding_search_sql($1, $2) as sql', [MODEL, DIMENSIONS]);
    const vector = `{${vectorOf(QUESTIONS[0]!).join(',')}}`;
    await execSql(db, `prepare nearest(real[], integer, jsonb, jsonb) as ${rows[0]!.sql}`);
    const plan = await querySql<{ 'QUERY PLAN': string }>(db, `explain execute nearest('${vector}', 60, null, null)`);
    await execSql(db, 'deallocate nearest');
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain(`Index Scan using ${await indexName(db)}`);
  });

  it('finds the exact nearest sections (recall ≥ 0.95 at 60), each with its exact cosine similarity', async () => {
    let found = 0;
    for (const question of QUESTIONS) {
      const vector = vectorOf(question);
      const exact = await exactNearest(db, vector, 60);
      const hits = await searchDocsSectionsByEmbedding({ db, embedding: vector, model: MODEL, limit: 60 });
      expect(hits).toHaveLength(60);
      const exactById = new Map(exact.map((hit) => [hit.id, hit.similarity]));
      const all = new Map((await exactNearest(db, vector, 1000)).map((hit) => [hit.id, hit.similarity]));
      for (const hit of hits) expect(hit.similarity).toBeCloseTo(all.get(Number(hit.id))!, 3);
      expect(hits.map((hit) => hit.similarity)).toEqual([...hits.map((hit) => hit.similarity)].sort((a, b) => b - a));
      found += hits.filter((hit) => exactById.has(Number(hit.id))).length;
    }
    expect(found / (QUESTIONS.length * 60)).toBeGreaterThanOrEqual(0.95);
  });

  it('gives the same fused ranking as the exact scan (the index dropped), question by question', async () => {
    const rank = async () => {
      const lists: string[][] = [];
      for (const question of QUESTIONS) {
        const hits = await rankDocsSections({ access: MAINTAINER_ACCESS, db, query: question, limit: 10, embedding: vectorOf(question), model: MODEL });
        lists.push(hits.map((hit) => `${hit.path}#${hit.anchor}`));
      }
      return lists;
    };
    const throughIndex = await rank();
    await execSql(db, `drop index ${await indexName(db)}`);
    const exact = await rank();
    expect(exact.every((list) => list.length === 10)).toBe(true);
    // Allowing for ANN recall: at most one question in ten may differ, and then by at most one result in its ten.
    const differing = throughIndex.filter((list, i) => list.join() !== exact[i]!.join());
    expect(differing.length).toBeLessThanOrEqual(QUESTIONS.length / 10);
    throughIndex.forEach((list, i) => expect(list.filter((key) => exact[i]!.includes(key)).length).toBeGreaterThanOrEqual(9));
  });
});

describe('nearest sections on a Postgres without pgvector (the exact scan)', () => {
  let db: TDb;
  beforeAll(async () => {
    db = await createPostgresTestDb();
    await indexed(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('has no vector extension and no HNSW index, and still stores and finds the embeddings', async () => {
    const available = await querySql(db, "select 1 from pg_available_extensions where name = 'vector'");
    expect(available.rows, 'this test needs a Postgres without pgvector').toHaveLength(0);
    const indexes = await querySql(db, "select 1 from pg_indexes where indexname like 'docs_section_hnsw_%'");
    expect(indexes.rows).toHaveLength(0);
  });

  it('returns exactly the nearest sections, with their cosine similarity', async () => {
    for (const question of QUESTIONS.slice(0, 8)) {
      const vector = vectorOf(question);
      const exact = await exactNearest(db, vector, 60);
      const hits = await searchDocsSectionsByEmbedding({ db, embedding: vector, model: MODEL, limit: 60 });
      const all = new Map((await exactNearest(db, vector, 1000)).map((hit) => [hit.id, hit.similarity]));
      // The same similarities in the same order, each that of the section returned (sections tied on similarity
      // may come in either order: the sum's rounding differs between here and there).
      expect(hits).toHaveLength(60);
      hits.forEach((hit, i) => {
        expect(hit.similarity).toBeCloseTo(exact[i]!.similarity, 4);
        expect(all.get(Number(hit.id))).toBeCloseTo(hit.similarity, 4);
      });
    }
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { createOpenapiSource } from '@/lib/docs/sources/single-kinds';
import { createLogger } from '@/lib/log';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// API tasks in a developer's words (issue 56, item 3): each task names the operations (`<spec>#<operationId>`) that
// do it; a task is found when one of them is among the first five results. Scored per operation, not per page: a
// page of the OpenAPI source is a tag (Message: send, list, fetch, update, delete), so a page-level hit would count
// "delete a message" found by CreateMessage.

const ZApiTaskSet = z.object({
  corpus: z.literal('twilio-openapi'),
  description: z.string(),
  questions: z.array(z.object({ q: z.string().min(1), operations: z.array(z.string().regex(/^[\w-]+#\w+$/)).min(1), group: z.string().optional() })).min(1),
});
export type TApiTaskSet = z.infer<typeof ZApiTaskSet>;
export type TApiTask = TApiTaskSet['questions'][number];

export const API_TASKS_DIR = 'evals/api';

export function loadApiTaskSet(file: string): TApiTaskSet {
  return ZApiTaskSet.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** `/docs/reference/<spec>/operation/<operationId>` → `<spec>#<operationId>` (null: not an operation). */
export function operationOf(url: string): string | null {
  const match = /^\/docs\/reference\/([^/]+)\/operation\/([^/#?]+)/.exec(url);
  return match ? `${match[1]}#${match[2]}` : null;
}

/** A throwaway in-memory Postgres with the specs of `specsDir` indexed by the OpenAPI source. */
export async function indexSpecs(specsDir: string): Promise<{ db: TDb; operations: number; specs: number }> {
  const db = await createPgliteDb({ dataDir: 'memory://' });
  const specs = readdirSync(specsDir).filter((file) => /\.(json|ya?ml)$/.test(file)).map((file) => path.join(specsDir, file));
  const source = createOpenapiSource({ specs, baseUrl: null, intervalMinutes: 60, maxBytes: 50_000_000, timeoutMs: 60_000 });
  const report = await source.load({ db, log: createLogger({ level: 'silent' }), embedder: null });
  return { db, operations: report.operations, specs: specs.length };
}

export type TApiTaskRank = { task: TApiTask; rank: number; top: string[]; ms: number };

/**
 * Each task's 1-based rank of its first right operation among the first five (0: none), by the assistant tool's
 * search (`tool`: searchDocsRanked as get_relevant_docs runs it) or the search box's path (`box`: /api/docs-search,
 * typos corrected first).
 */
export async function rankApiTasks(db: TDb, tasks: TApiTask[], path: 'tool' | 'box' = 'tool'): Promise<TApiTaskRank[]> {
  const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
  const ranked: TApiTaskRank[] = [];
  for (const task of tasks) {
    const started = performance.now();
    const urls =
      path === 'tool'
        ? (await searchDocsRanked({ access: PUBLIC_ACCESS, deps, prompt: task.q, limit: 5, source: 'site', isRecorded: false })).results.map((result) => result.url)
        : (await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt: task.q, limit: 5 })).data.map((result) => result.url);
    const top = urls.map((url) => operationOf(url) ?? url);
    ranked.push({ task, rank: top.findIndex((id) => task.operations.includes(id)) + 1, top, ms: performance.now() - started });
  }
  return ranked;
}

const share = (found: number, of: number) => `${found}/${of} (${(found / Math.max(of, 1)).toFixed(3)})`;

/** Prints recall@1 and recall@5 of every set in evals/api/ (and of each of its groups), by both paths. */
export async function printApiTasks(isVerbose: boolean, dir = API_TASKS_DIR): Promise<void> {
  const specsDir = path.resolve(process.env.PASTE_OPENAPI_CORPUS_DIR ?? '../shared/corpora/twilio-openapi');
  if (!existsSync(specsDir) || !existsSync(dir)) {
    console.log(`\nAPI tasks: not run (${existsSync(dir) ? `${specsDir} is not there` : `${dir} is not there`}).`);
    return;
  }
  const { db, operations, specs } = await indexSpecs(specsDir);
  // The first search builds the ranking index: not a search's latency.
  await rankApiTasks(db, [{ q: 'warm up', operations: ['x#y'] }]);
  console.log(
    `\nAPI tasks in a developer's words: ${operations} operations of ${specs} specs (${specsDir}), a right operation among the first 5 (never fitted on: default weights); latency in-process, inflated by the machine's load\n\n` +
      '| set | tasks | recall@1 (tool) | recall@5 (tool) | recall@5 (search box) | tool search p50 / p95 ms |\n| --- | --- | --- | --- | --- | --- |',
  );
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const set = loadApiTaskSet(path.join(dir, file));
    const tool = await rankApiTasks(db, set.questions, 'tool');
    const box = await rankApiTasks(db, set.questions, 'box');
    const groups = [...new Set(set.questions.map((task) => task.group).filter((group) => group !== undefined))];
    const rowOf = (name: string, keep: (task: TApiTask) => boolean) => {
      const [t, b] = [tool.filter((rank) => keep(rank.task)), box.filter((rank) => keep(rank.task))];
      const ms = t.map((rank) => rank.ms).sort((x, y) => x - y);
      const at = (fraction: number) => (ms[Math.min(ms.length - 1, Math.floor(fraction * ms.length))] ?? 0).toFixed(1);
      console.log(
        `| ${name} | ${t.length} | ${share(t.filter((rank) => rank.rank === 1).length, t.length)} | ${share(t.filter((rank) => rank.rank > 0).length, t.length)} | ${share(b.filter((rank) => rank.rank > 0).length, b.length)} | ${at(0.5)} / ${at(0.95)} |`,
      );
    };
    const name = path.basename(file, '.json');
    rowOf(name, () => true);
    for (const group of groups) rowOf(`${name}, ${group}`, (task) => task.group === group);
    if (isVerbose) for (const miss of tool.filter((rank) => rank.rank === 0)) console.log(`  miss@5: "${miss.task.q}"\n    expected ${miss.task.operations.join(', ')}\n    got      ${miss.top.join(', ')}`);
  }
  await db.close();
}

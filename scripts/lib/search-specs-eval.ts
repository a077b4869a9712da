import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TDb } from '@/lib/db/types';
import { createOpenapiSource } from '@/lib/docs/sources/single-kinds';
import { createLogger } from '@/lib/log';
import { docsSearch, evaluate, listQuestionSetFiles, loadQuestionSet, searchBoxSearch } from './search-eval';

/**
 * The Paste sets (checks included) with the Twilio API specs (../shared/corpora/twilio-openapi, or
 * PASTE_OPENAPI_CORPUS_DIR: 322 operations, each a page of its own) indexed beside the docs, as a site that configures
 * DOCS_OPENAPI beside DOCS_DIR ranks them: recall@5 of the ranker and of the search box, before and after. A setup the
 * plain-words questions meet that the sets above do not model (issue 54, 3.2: its hidden set's server had every
 * feature on).
 */
export async function printSpecsBesideDocs(db: TDb, isVerbose: boolean, evalsDir = 'evals'): Promise<void> {
  const specsDir = path.resolve(process.env.PASTE_OPENAPI_CORPUS_DIR ?? '../shared/corpora/twilio-openapi');
  if (!existsSync(specsDir)) {
    console.log(`\nAPI specs beside the docs: not run (${specsDir} is not there).`);
    return;
  }
  const sets = [...listQuestionSetFiles(evalsDir), ...(existsSync(path.join(evalsDir, 'checks')) ? listQuestionSetFiles(path.join(evalsDir, 'checks')) : [])]
    .map((file) => ({ name: path.basename(file, '.json'), set: loadQuestionSet(file) }))
    .filter(({ set }) => set.corpus === 'paste-docs');
  const figures = async () => {
    const rows = new Map<string, { ranker: number; box: number; misses: string[] }>();
    for (const { name, set } of sets) {
      const ranker = await evaluate(set, docsSearch(db));
      const box = await evaluate(set, searchBoxSearch(db));
      rows.set(name, { ranker: Math.round(ranker.recallAt5 * set.questions.length), box: Math.round(box.recallAt5 * set.questions.length), misses: ranker.misses.map((miss) => miss.q) });
    }
    return rows;
  };
  const before = await figures();
  const specs = readdirSync(specsDir).filter((file) => /\.(json|ya?ml)$/.test(file)).map((file) => path.join(specsDir, file));
  const source = createOpenapiSource({ specs, baseUrl: null, intervalMinutes: 60, maxBytes: 50_000_000, timeoutMs: 60_000 });
  const report = await source.load({ db, log: createLogger({ level: 'silent' }), embedder: null });
  const after = await figures();
  console.log(
    `\nAPI specs beside the docs: ${report.operations} operations of ${specs.length} specs (${specsDir}) indexed with the Paste docs; recall@5, questions with a right page in the first 5\n\n` +
      '| set | ranker, docs alone | ranker, with the specs | search box, docs alone | search box, with the specs |\n| --- | --- | --- | --- | --- |',
  );
  for (const { name, set } of sets) {
    const [was, now] = [before.get(name)!, after.get(name)!];
    const of = set.questions.length;
    console.log(`| ${name} | ${was.ranker}/${of} | ${now.ranker}/${of} | ${was.box}/${of} | ${now.box}/${of} |`);
    if (isVerbose) {
      for (const q of now.misses.filter((miss) => !was.misses.includes(miss))) console.log(`  lost with the specs: "${q.slice(0, 100)}"`);
      for (const q of was.misses.filter((miss) => !now.misses.includes(miss))) console.log(`  found with the specs: "${q.slice(0, 100)}"`);
    }
  }
}

// `npm run eval:search [-- --set evals/paste-docs.json --docs ../shared/corpora/paste-docs --verbose]`
// Without --set, runs every question set in evals/ against its default corpus (skipping a corpus that is not
// there). Prints recall@1, recall@5 and MRR for our search and for the MiniSearch BM25 baseline.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildMiniSearch, evaluate, indexIntoMemory, loadQuestionSet, missingPages, postgresSearch } from './lib/search-eval';

const DEFAULT_DOCS: Record<string, string> = { 'own-docs': 'content/docs', 'paste-docs': '../shared/corpora/paste-docs' };

const pct = (value: number) => value.toFixed(3);

async function main() {
  const { values } = parseArgs({
    options: { set: { type: 'string' }, docs: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  });
  const sets = values.set ? [values.set] : readdirSync('evals').filter((file) => file.endsWith('.json')).map((file) => path.join('evals', file));
  const rows: string[] = [];
  for (const file of sets) {
    const set = loadQuestionSet(file);
    const docsDir = path.resolve(values.docs ?? set.defaultDocsDir ?? DEFAULT_DOCS[set.corpus] ?? 'content/docs');
    if (!existsSync(docsDir)) {
      console.log(`${set.corpus}: ${docsDir} does not exist; skipped (pass --docs DIR).`);
      continue;
    }
    const missing = missingPages(set, docsDir);
    if (missing.length > 0) console.log(`${set.corpus}: expected pages not in the corpus: ${missing.join(', ')}`);

    const { db, report } = await indexIntoMemory(docsDir);
    const ours = await evaluate(set, postgresSearch(db));
    const baseline = await evaluate(set, buildMiniSearch(docsDir));
    await db.close();
    console.log(
      `${set.corpus}: ${report.pages} pages, ${report.sections} sections, ${set.questions.length} questions (${file})`,
    );
    rows.push(`| ${set.corpus} | postgres (fts + trigram) | ${pct(ours.recallAt1)} | ${pct(ours.recallAt5)} | ${pct(ours.mrr)} |`);
    rows.push(`| ${set.corpus} | minisearch bm25 baseline | ${pct(baseline.recallAt1)} | ${pct(baseline.recallAt5)} | ${pct(baseline.mrr)} |`);
    if (values.verbose) {
      for (const miss of ours.misses) console.log(`  miss@5: "${miss.q}"\n    expected ${miss.expected.join(', ')}\n    got      ${miss.got.join(', ')}`);
    }
  }
  console.log('\n| corpus | search | recall@1 | recall@5 | MRR@10 |\n| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

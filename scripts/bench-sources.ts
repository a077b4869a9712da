// `npm run bench:sources [-- --quick]`: the GitHub source's sync throughput and search with every source on.
// A fake GitHub on 127.0.0.1 (tests/helpers/fake-github.ts, the one the tests use) serves the real Paste threads
// of ../shared/corpora/paste-github (272 issues and pull requests, 318 comments), or, when ../shared is not
// beside the checkout, the eight threads of tests/fixtures/github (said so in the output: those figures are not
// comparable). Into one embedded database (PGlite, in process, no embeddings):
// - a first sync (full: every listing and every thread's comments), an incremental one after some threads changed
//   (`since` the first), and one with nothing changed: threads per second and the requests each made;
// - the docs (../shared/corpora/paste-docs, else content/docs) indexed beside the threads, then the whole search
//   path the route calls (searchDocsForReader: mask, typo check, rank, record) over docs questions and the
//   threads' own problems: p50 and p95 with every source on, and with threads filtered out for comparison.
// Prints its figures; asserts no threshold (the numbers depend on the machine and its load).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPgliteDb } from '@/lib/db/pglite';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { createGithubSource } from '@/lib/docs/sources/single-kinds';
import { createGithubClient } from '@/lib/github/client';
import type { TGithubSyncReport } from '@/lib/docs/sources/single-kinds';
import { createLogger } from '@/lib/log';
import { startFakeGithub, type TFakeRepo } from '../tests/helpers/fake-github';
import { listQuestionSetFiles, loadQuestionSet } from './lib/search-eval';
import { makeTempDir, removeTempDir } from './lib/temp-dir';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Where the corpus tier reads them (tests/helpers/corpus.mts), with the same overrides.
const GITHUB_CORPUS = path.resolve(process.env.PASTE_GITHUB_CORPUS_DIR ?? '../shared/corpora/paste-github');
const PASTE_DOCS = path.resolve(process.env.PASTE_CORPUS_DIR ?? '../shared/corpora/paste-docs');
const FIXTURES = path.resolve('tests/fixtures/github');
/** Threads changed before the incremental sync (a new maintainer's comment each), and search questions of each kind. */
const SAMPLES = { full: { changed: 27, questions: 120, rounds: 3 }, quick: { changed: 10, questions: 30, rounds: 1 } };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const read = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));

/** Every `step`-th item, at most `count` of them, so that a sample spreads over the whole list. */
const spread = <T>(items: T[], count: number): T[] => {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, index) => index % step === 0).slice(0, count);
};

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const samples = values.quick ? SAMPLES.quick : SAMPLES.full;
  const hasCorpus = existsSync(GITHUB_CORPUS);
  const [owner, name, corpusDir] = hasCorpus ? ['twilio-labs', 'paste', GITHUB_CORPUS] : ['acme', 'widgets', FIXTURES];
  const repoName = `${owner}/${name}`;
  const repo: TFakeRepo = { issues: read(corpusDir, 'issues.json'), comments: read(corpusDir, 'comments.json') };
  const docsDir = existsSync(PASTE_DOCS) ? PASTE_DOCS : path.resolve('content/docs');
  const log = createLogger({ level: 'silent' });
  const fake = await startFakeGithub({ repos: { [repoName]: repo } });
  const dataDir = makeTempDir('bench-sources-');
  const db = await createPgliteDb({ dataDir });
  try {
    const deps = { db, log, embedder: null };
    // The client a server builds (GitHub's default waits and retries); the fake answers no rate limit here.
    const client = createGithubClient({ apiUrl: fake.url, token: 'bench-token', log });
    const source = createGithubSource(
      { repos: [{ owner, name }], token: 'bench-token', apiUrl: fake.url, intervalMinutes: 30, isPrivateIncluded: false, privacy: { isMasking: true, extraPatterns: [] } },
      { client },
    );
    const lines: string[] = [];
    const syncLine = (label: string, report: TGithubSyncReport, served: number) => {
      const perSecond = report.threads / (report.ms / 1000);
      lines.push(
        `  ${label.padEnd(34)} ${String(report.threads).padStart(4)} threads listed in ${ms(report.ms).padStart(9)}  ${perSecond.toFixed(0).padStart(5)} threads/s` +
          `  requests ${report.requests.requests} (${report.requests.notModified} not modified; the fake served ${served})  indexed ${report.indexed.length}`,
      );
    };

    const since = new Date(Date.now() - 1000);
    let before = fake.log.length;
    const first = await source.load(deps);
    syncLine('first sync (full)', first, fake.log.length - before);

    // Threads that change as GitHub's do: a maintainer answers, so the thread's updated_at moves on.
    const changed = spread(repo.issues, samples.changed);
    changed.forEach((issue, index) =>
      fake.addComment(repoName, issue.number, { id: 900_000_000 + index, body: `Fixed in the next release: see the changelog (${index}).`, user: { login: 'maintainer' }, author_association: 'MEMBER' }),
    );
    before = fake.log.length;
    const incremental = await source.poll!(deps, since);
    syncLine(`incremental (${changed.length} changed)`, incremental, fake.log.length - before);
    before = fake.log.length;
    // As the server's next sync would: since the last one. The sync looks a few minutes further back (clocks differ),
    // so it lists the threads just changed again, and finds them unchanged (nothing indexed).
    const unchanged = await source.poll!(deps, new Date());
    syncLine('incremental again (nothing new)', unchanged, fake.log.length - before);

    const indexed = await indexDocs({ db, docsDir });
    // Docs questions of the sets written for these docs, and the threads' problems in their own words (titles).
    const corpus = docsDir === PASTE_DOCS ? 'paste-docs' : 'own-docs';
    const docsQuestions = spread(
      [...new Set(listQuestionSetFiles().map((file) => loadQuestionSet(file)).filter((set) => set.corpus === corpus).flatMap((set) => set.questions.map((question) => question.q)))],
      samples.questions,
    );
    const threadQuestions = spread(repo.issues.map((issue) => issue.title), samples.questions);
    const questions = [...docsQuestions, ...threadQuestions];
    const time = async (sources?: ('docs' | 'thread')[]) => {
      const latencies: number[] = [];
      let threadsFirst = 0;
      for (let round = 0; round < samples.rounds; round += 1) {
        for (const prompt of questions) {
          const at = performance.now();
          const { data } = await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt, limit: 8, sources });
          latencies.push(performance.now() - at);
          if (round === 0 && data[0]?.kind === 'thread') threadsFirst += 1;
        }
      }
      return { latencies, threadsFirst };
    };
    // Warm-up (plan cache, JIT, the ranker's in-memory index), as a running server would be.
    for (const prompt of questions.slice(0, 10)) await searchDocsForReader({ access: PUBLIC_ACCESS, deps, prompt, limit: 8 });
    const all = await time();
    const docsOnly = await time(['docs']);
    const latencyLine = ({ latencies }: { latencies: number[] }) =>
      `p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(Math.max(...latencies))}  (${latencies.length} searches)`;

    console.log(`sources bench${values.quick ? ' [quick]' : ''} (${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)})`);
    console.log(
      hasCorpus
        ? `  GitHub: ${repoName}, ${repo.issues.length} threads of ${GITHUB_CORPUS}, served by the fake GitHub on 127.0.0.1 (100 per page)`
        : `  GitHub: ${GITHUB_CORPUS} is not there: the ${repo.issues.length} threads of tests/fixtures/github instead (figures NOT comparable with the corpus's)`,
    );
    for (const line of lines) console.log(line);
    console.log(`  docs: ${indexed.pages} pages, ${indexed.sections} sections of ${docsDir}, beside ${first.indexed.length} threads`);
    console.log(`  search, every source on (docs + threads)   ${latencyLine(all)}; a thread first for ${all.threadsFirst} of ${questions.length}`);
    console.log(`  search, sources: ['docs'] (for comparison) ${latencyLine(docsOnly)}`);
    console.log(`  questions: ${docsQuestions.length} docs questions (${corpus} sets) and ${threadQuestions.length} threads' titles, ${samples.rounds} round(s)`);
  } finally {
    await db.close();
    await fake.close();
    removeTempDir(dataDir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

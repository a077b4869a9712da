import { deleteDocsPagesByPaths, listDocsSectionsForRanking } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import { createPgliteDb } from '@/lib/db/pglite';
import type { TDb } from '@/lib/db/types';
import { buildRankIndex, type TRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { createGithubSource, GITHUB_KIND } from '@/lib/docs/sources/single-kinds';
import { createGithubClient } from '@/lib/github/client';
import { createLogger } from '@/lib/log';
import { startFakeGithub, type TFakeRepo } from '../../tests/helpers/fake-github';
import type { TGithubCorpus } from './search-thread-set';

// The GitHub threads as the server indexes them, for the thread-answer evaluation: the real GitHub source syncs the
// corpus from the fake GitHub API on 127.0.0.1 (tests/helpers/fake-github.ts) into a database of its own, and the
// stored sections are read back as the ranker reads them. Held out honestly: the threads a question must not see
// (the thread that asks it) are not served at all, so nothing the sync derives from them (a back-link's title on
// another thread's page) is indexed either; each such world is a sync of its own into the emptied database.

/** Thread sections' ids are offset by this, so that they never equal a docs section's id in one index. */
const THREAD_ID_OFFSET = 10_000_000;

export type TThreadSync = {
  /** The threads' sections with the threads `without` not served (none: every thread). */
  sections: (without?: readonly number[]) => Promise<TRankSection[]>;
  close: () => Promise<void>;
};

export async function createThreadSync(corpus: TGithubCorpus): Promise<TThreadSync> {
  const db: TDb = await createPgliteDb({ dataDir: 'memory://' });
  const log = createLogger({ level: 'silent' });
  const cache = new Map<string, TRankSection[]>();
  const repoName = `${corpus.repo.owner}/${corpus.repo.name}`;
  const sections = async (without: readonly number[] = []) => {
    const key = [...without].sort((a, b) => a - b).join(',');
    const known = cache.get(key);
    if (known) return known;
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: GITHUB_KIND }));
    if (paths.length > 0) await deleteDocsPagesByPaths({ db, paths });
    const held = new Set(without);
    const repo = {
      issues: corpus.issues.filter((issue) => !held.has(issue.number)),
      comments: Object.fromEntries(Object.entries(corpus.comments).filter(([number]) => !held.has(Number(number)))),
    } as unknown as TFakeRepo;
    const fake = await startFakeGithub({ repos: { [repoName]: repo } });
    try {
      const client = createGithubClient({ apiUrl: fake.url, token: 'eval-token', log, retryAfterBaseMs: 10 });
      const source = createGithubSource(
        { repos: [corpus.repo], token: 'eval-token', apiUrl: fake.url, intervalMinutes: 30, isPrivateIncluded: false, privacy: { isMasking: true, extraPatterns: [] } },
        { client },
      );
      await source.load({ db, log, embedder: null });
    } finally {
      await fake.close();
    }
    const rows = (await listDocsSectionsForRanking({ db }))
      .filter((row) => row.kind === GITHUB_KIND)
      .map((row) => ({ ...row, id: row.id + THREAD_ID_OFFSET }));
    cache.set(key, rows);
    return rows;
  };
  return { sections, close: () => db.close() };
}

/**
 * The corpus's threads synced into `db` (beside what it holds) by the real GitHub source from the fake GitHub API,
 * the threads `without` not served: a database a search or an assistant's tool runs on, docs and threads together.
 */
export async function syncThreadsInto(db: TDb, corpus: TGithubCorpus, without: ReadonlySet<number> = new Set()): Promise<void> {
  const log = createLogger({ level: 'silent' });
  const repo = {
    issues: corpus.issues.filter((issue) => !without.has(issue.number)),
    comments: Object.fromEntries(Object.entries(corpus.comments).filter(([number]) => !without.has(Number(number)))),
  } as unknown as TFakeRepo;
  const fake = await startFakeGithub({ repos: { [`${corpus.repo.owner}/${corpus.repo.name}`]: repo } });
  try {
    const client = createGithubClient({ apiUrl: fake.url, token: 'eval-token', log, retryAfterBaseMs: 10 });
    const source = createGithubSource(
      { repos: [corpus.repo], token: 'eval-token', apiUrl: fake.url, intervalMinutes: 30, isPrivateIncluded: false, privacy: { isMasking: true, extraPatterns: [] } },
      { client },
    );
    await source.load({ db, log, embedder: null });
  } finally {
    await fake.close();
  }
}

/** The ranker's index of docs sections with thread sections beside them, as one server holding both builds it. */
export function indexWithThreads(docs: TRankSection[], threads: TRankSection[]): TRankIndex {
  return buildRankIndex([...docs, ...threads]);
}

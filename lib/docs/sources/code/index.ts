import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listDocsPageChecksumsByKind } from '../../../db/docs-sources';
import { rememberChecksum, rememberedChecksum, stampOf } from '../../index/file-checksums';
import type { TDocumentsContext, TDocumentStream, TKindDocuments, TSourceKind } from '../types';
import { gitHeadOf, listCodeFiles, packageNames, readCheckoutFile } from './files';
import { codeParser } from './parse';
import { buildCodePage, CODE_KIND, codeChecksum, codePagePath, languageOf, type TCodeOrigin } from './page';
import { githubCodeClient, githubCodeDocuments, listGithubCodePaths, type TGithubCodeWalk } from './github';
import { codeSettings, hasCodeSource, type TCodeConfig, type TCodeSettings, type TGithubCodeConfig } from './settings';

export { CODE_KIND };

// The code kind (issue 70): a repository's source, one page per file and one section per symbol (./page.ts), cited
// to its lines. DOCS_CODE_DIR: a checkout, walked with its include and exclude globs (./settings.ts, ./files.ts),
// re-read every DOCS_CODE_INTERVAL_MINUTES under the kind's lease and at once by `POST /api/docs/reindex`. A file
// unchanged since this process read it is not read again, one whose text is as indexed is not parsed again, so a
// re-index costs a walk of the folder. A file its parser (TypeScript's; tree-sitter's for Python, Go and Rust: ./parse.ts) cannot read at all is yielded failed and keeps its last
// sections. A load is complete: a file deleted, or no longer matched by the globs, leaves with its page.
// GITHUB_CODE_REPOS' repositories (./github.ts) are read in the same load, after the checkout, every
// GITHUB_SYNC_INTERVAL_MINUTES (the threads' schedule) and on the same hook; only files whose blob changed are fetched.

const CHECK_SECONDS = 60;

export type TCodeReport = {
  files: number;
  /** Files read and hashed (not unchanged since this process read them). */
  read: number;
  indexed: number;
  unchanged: number;
  removed: number;
  symbols: number;
  failed: { file: string; reason: string }[];
  /** The checkout's commit (DOCS_CODE_DIR), or null. */
  commit: string | null;
  /** GITHUB_CODE_REPOS': each repository's commit, whether it is private, its files (or why it was skipped). */
  repos: TGithubCodeWalk['repos'];
  ms: number;
};

type TCodeWalk = Omit<TCodeReport, 'indexed' | 'unchanged' | 'removed' | 'ms'>;
type TLocalWalk = Omit<TCodeWalk, 'repos'>;

/** Where the configured checkout's files are cited: its repository at DOCS_CODE_REF or its .git HEAD. */
export function codeOriginOf(config: TCodeConfig): TCodeOrigin {
  const commit = config.ref ?? gitHeadOf(config.dir);
  return {
    name: config.repo ? `${config.repo.owner}/${config.repo.name}` : path.basename(config.dir),
    repo: config.repo,
    commit,
  };
}

export const codeKind: TSourceKind<TCodeReport, TCodeSettings> = {
  kind: CODE_KIND,
  settings: codeSettings,
  fromConfig: ({ docsSources }) => (hasCodeSource(docsSources) ? createCodeDocuments(docsSources.code ?? null, docsSources.codeRepos ?? null) : null),
  // A checkout or repository no longer configured (or another one) leaves; one configured with nothing indexed yet is read at once.
  async pruneUnconfigured({ db, config }) {
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: CODE_KIND }));
    const { code, codeRepos } = config.docsSources;
    const prefixes = [...(code ? [codePagePath(codeOriginOf(code), '')] : []), ...(codeRepos?.repos ?? []).map((repo) => codePagePath({ name: `${repo.owner}/${repo.name}` }, ''))];
    const stale = paths.filter((indexPath) => !prefixes.some((prefix) => indexPath.startsWith(prefix)));
    return { stale, isChanged: prefixes.some((prefix) => !paths.some((indexPath) => indexPath.startsWith(prefix))) };
  },
};

export function createCodeDocuments(config: TCodeConfig | null, repos: TGithubCodeConfig | null = null): TKindDocuments<TCodeWalk, TCodeReport> {
  const everySeconds = Math.min(config ? config.intervalMinutes * 60 : Infinity, repos ? repos.intervalMinutes * 60 : Infinity);
  const clientFor = repos ? githubCodeClient(repos) : null;
  return {
    kind: CODE_KIND,
    async *load(context) {
      const local: TLocalWalk = config ? yield* codeDocuments(context, config) : { files: 0, read: 0, symbols: 0, failed: [], commit: null };
      if (!repos || !clientFor) return { ...local, repos: [] };
      const parse = await codeParser(DEFAULT_LANGUAGES);
      const remote = yield* githubCodeDocuments(context, repos, clientFor(context.log), parse);
      return { files: local.files + remote.files, read: local.read + remote.read, symbols: local.symbols + remote.symbols, failed: [...local.failed, ...remote.failed], commit: local.commit, repos: remote.repos };
    },
    async listIds(context) {
      const ids: string[] = [];
      if (config) {
        const origin = codeOriginOf(config);
        ids.push(...listCodeFiles(config.dir, config.include, config.exclude).filter((file) => languageOf(file) !== null).map((file) => codePagePath(origin, file)));
      }
      if (repos && clientFor) ids.push(...(await listGithubCodePaths(repos, clientFor(context.log))));
      return ids;
    },
    report: ({ result, written }) => ({ ...result, indexed: written.indexed.length, unchanged: written.unchanged, removed: written.removed.length, ms: written.ms }),
    logRun(report, log) {
      log.info({ files: report.files, indexed: report.indexed, unchanged: report.unchanged, removed: report.removed, symbols: report.symbols, failed: report.failed.length, ms: report.ms }, 'code source indexed');
    },
    summarise(outcome) {
      if (!('result' in outcome)) return { error: `the code was not read: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}` };
      const { files, indexed, unchanged, removed, symbols, failed, commit, repos: read, ms } = outcome.result;
      return {
        files,
        indexed,
        unchanged,
        removed,
        symbols,
        failed: failed.length,
        commit,
        ...(read.length > 0 ? { repos: read.map((entry) => ({ repo: entry.repo, commit: entry.commit, isPrivate: entry.isPrivate, files: entry.files, ...(entry.skipped ? { skipped: entry.skipped } : {}) })) } : {}),
        ms,
        ...(failed.length > 0 ? { error: failed.slice(0, 5).map((entry) => `${entry.file}: ${entry.reason}`).join('; ') } : {}),
      };
    },
    sync: { everySeconds, checkSeconds: Math.min(CHECK_SECONDS, everySeconds), leaseSeconds: 600 },
  };
}

/** The languages a repository on GitHub may have: their grammars are loaded before its tree is known. */
const DEFAULT_LANGUAGES = ['python', 'go', 'rust'];

async function* codeDocuments(context: TDocumentsContext, config: TCodeConfig): TDocumentStream<TLocalWalk> {
  const origin = codeOriginOf(config);
  const files = listCodeFiles(config.dir, config.include, config.exclude).filter((file) => languageOf(file) !== null);
  const walk: TLocalWalk = { files: files.length, read: 0, symbols: 0, failed: [], commit: origin.commit };
  const packageOf = packageNames((relative) => readCheckoutFile(config.dir, relative));
  // Python's, Go's and Rust's grammars load once, only when the checkout has such files.
  const parse = await codeParser(files.map((file) => languageOf(file) ?? ''));
  for (const file of files) {
    const indexPath = codePagePath(origin, file);
    const fullPath = path.join(config.dir, file);
    const packageName = packageOf(file);
    // Where it links and its package are part of what it was indexed as: a new commit re-indexes every file.
    const linkedAt = `${origin.name}\0${origin.commit ?? ''}\0${packageName ?? ''}`;
    const stamp = stampOf(fullPath);
    const remembered = rememberedChecksum(fullPath, stamp, linkedAt);
    if (remembered !== null && context.isIndexed(indexPath, remembered)) {
      yield { path: indexPath, status: 'unchanged' };
      continue;
    }
    if (stamp && stamp.size > config.maxFileBytes) {
      walk.failed.push({ file, reason: `larger than ${config.maxFileBytes} bytes` });
      yield { path: indexPath, status: 'failed', reason: `larger than DOCS_CODE_MAX_FILE_BYTES (${config.maxFileBytes} bytes)` };
      continue;
    }
    let text: string;
    try {
      text = readFileSync(fullPath, 'utf8');
    } catch (error) {
      yield { path: indexPath, status: 'kept' };
      context.log.warn({ file, error: error instanceof Error ? error.message : String(error) }, 'code file could not be read; its sections are kept');
      continue;
    }
    walk.read += 1;
    const checksum = codeChecksum(text, origin, packageName);
    rememberChecksum(fullPath, stamp, linkedAt, checksum);
    if (context.isIndexed(indexPath, checksum)) {
      yield { path: indexPath, status: 'unchanged' };
      continue;
    }
    try {
      const page = buildCodePage({ file, text, origin, packageName, checksum, parse });
      walk.symbols += page.sections.length;
      yield page;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      walk.failed.push({ file, reason });
      yield { path: indexPath, status: 'failed', reason };
    }
  }
  return walk;
}

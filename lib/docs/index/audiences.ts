import { audiencesOfPath, type TAudienceRule } from '../../audiences';
import type { TPageInput } from '../../db/docs-index';
import type { TDocument } from './documents';

// DOCS_AUDIENCES for every kind (issue 57), stamped in one place: the write pipeline (./pipeline.ts) gives each page
// the audiences its kind says (a docs folder's front matter, a private repository's threads) and those the rules give
// its index path, in meta.audiences, which the one filter reads (lib/audiences canSee); nothing downstream guesses,
// and no kind stamps its own. The rules' audiences are part of the page's checksum, so a changed rule re-writes the
// pages it changes; the kind's own are in what its checksum hashes.
//
// The index paths the rules match, by kind: a docs folder's file (`internal/runbook.mdx`), a crawled page's URL or
// its path (`https://docs.example.com/internal/x`, `internal/x`: the crawl's aliases), an OpenAPI spec's pages
// (`openapi/<spec>`, `openapi/<spec>/<tag>`), a GitHub thread (`github:owner/repo#12`), a maintainers' answer
// (`answer:12`).

/** The audiences the rules give a page known by these index paths (any of them matching), in rule order. */
export function audiencesOfIndexPaths(rules: readonly TAudienceRule[] | undefined, indexPaths: readonly string[]): string[] {
  if (!rules || rules.length === 0) return [];
  return [...new Set(indexPaths.flatMap((indexPath) => audiencesOfPath(rules, indexPath)))];
}

/** A checksum that also says the rules' audiences (unchanged for a page without any). */
export function checksumWithAudiences(checksum: string, audiences: readonly string[]): string {
  return audiences.length === 0 ? checksum : `${checksum}:audiences:${[...audiences].sort().join(',')}`;
}

/** Whether a checksum made by checksumWithAudiences says exactly these audiences. */
export function hasSameAudiences(checksum: string, audiences: readonly string[]): boolean {
  const at = checksum.indexOf(':audiences:');
  const stamped = at === -1 ? '' : checksum.slice(at + ':audiences:'.length);
  return stamped === [...audiences].sort().join(',');
}

/**
 * The page a document is in the index, under `kind`: its own audiences and the rules' (`ruleAudiences`, for its index
 * path and aliases) in meta.audiences, its checksum stamped with the rules', its version and updated date in meta.
 */
export function stampedPage({ document, kind, ruleAudiences }: { document: TDocument; kind: string; ruleAudiences: readonly string[] }): TPageInput {
  const audiences = [...new Set([...(document.audiences ?? []), ...ruleAudiences])];
  const version = document.version ?? null;
  const meta = {
    ...document.meta,
    ...(version !== null ? { version } : {}),
    ...(document.updatedAt !== undefined ? { updatedAt: document.updatedAt } : {}),
    ...(audiences.length > 0 ? { audiences } : {}),
  };
  return {
    path: document.path,
    kind,
    slug: document.slug,
    title: document.title,
    description: document.description,
    checksum: checksumWithAudiences(document.checksum, ruleAudiences),
    warnings: document.warnings ?? [],
    sections: document.sections,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

import type { TSharedSourcesSettings } from '../sources/settings';
import { isPublicAccess, type TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { AppError } from '../../errors';
import type { TTextResult } from '../../http';
import { loadAnswerPage } from '../site/answers';
import { blocksToMarkdown, etagOf } from './markdown';
import { MARKDOWN_TYPE, revalidated } from './publish';

// GET /docs/answers/<id>.md (rewritten by next.config.mjs to /api/docs-answer-markdown/<id>): a maintainers'
// answer's markdown twin, as the docs pages have theirs: `# question`, "Answered by the maintainers (date)" as a
// quote, the question and the answer. 404 unless the answer is approved now, so a retracted one is gone at once
// (no-cache: a cache asks again before using what it kept).

export async function serveAnswerMarkdown({
  db,
  config,
  id,
  access,
  ifNoneMatch,
}: {
  db: TDb;
  config: { docsDir: string; siteUrl: string; docsSources: Pick<TSharedSourcesSettings, 'audiences'> };
  id: number | null;
  /** Who reads (lib/audiences/access.ts): an answer whose page they may not read is a 404, as an unknown one. */
  access: TReaderAccess;
  ifNoneMatch?: string;
}): Promise<TTextResult> {
  const page = id === null ? null : await loadAnswerPage({ db, docsDir: config.docsDir, id, access, audienceRules: config.docsSources.audiences });
  if (!page) throw new AppError('not_found', 'There is no such answer of the maintainers.');
  const pageUrl = `${config.siteUrl}${page.href}`;
  const markdown = blocksToMarkdown({ title: page.title, description: page.byline, blocks: page.blocks, pageUrl });
  const served = revalidated({ text: markdown, etag: etagOf(markdown), contentType: MARKDOWN_TYPE, ifNoneMatch, headers: { Link: `<${pageUrl}>; rel="canonical"` } });
  // A reader with audiences may read what others may not: never kept in a shared cache (as the docs' twins).
  return isPublicAccess(access) ? served : { ...served, headers: { ...served.headers, 'Cache-Control': 'private, no-store' } };
}

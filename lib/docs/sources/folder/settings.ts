import { z } from 'zod';
import { defineSettings, isSet, optionalString, optionalUrl } from '../../../settings';

// The folder kind's settings: whether DOCS_DIR is indexed, and where its pages are published when it is another
// site's folder (DOCS_BASE_URL: Docusaurus, MkDocs, VitePress, Nextra, Markdown; sources link there).
// DOCS_URL_SUFFIX: '/' (MkDocs) or '.html' (VitePress without cleanUrls). DOCS_DIR itself is the docs folder's
// (lib/docs/folder/settings.ts).

export type TFolderSettings = {
  /** False when DOCS_DIR is not set and a site is crawled (DOCS_CRAWL_URL): the index is that site alone. */
  isDirIndexed: boolean;
  published: { baseUrl: string; suffix: '' | '/' | '.html' } | null;
};

export const folderSettings = defineSettings(
  {
    DOCS_DIR: optionalString,
    DOCS_BASE_URL: optionalUrl('DOCS_BASE_URL'),
    DOCS_URL_SUFFIX: z.enum(['', '/', '.html']).default(''),
  },
  (env, { source }): TFolderSettings => ({
    isDirIndexed: !(source.DOCS_CRAWL_URL ?? '').split(',').some(isSet) || env.DOCS_DIR !== undefined,
    published: env.DOCS_BASE_URL ? { baseUrl: env.DOCS_BASE_URL, suffix: env.DOCS_URL_SUFFIX } : null,
  }),
);


import { defineSettings, optionalString } from '../../settings';
import { resolveDocsDir } from './files.mjs';

// The docs folder the site renders (DOCS_DIR, default content/docs), relative paths from the project's folder.
export const docsFolderSettings = defineSettings({ DOCS_DIR: optionalString }, (env, { cwd }) => ({ docsDir: resolveDocsDir(env.DOCS_DIR, cwd) }));

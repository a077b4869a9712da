import { loadConfig } from '../config';
import { docUrl, listDocFiles, readDocFile } from './load';
import { parseDoc } from './parse';

export type TDocPageLink = { href: string; title: string; description: string; path: string };

/** The docs pages for navigation, read from DOCS_DIR at build time. A page that fails to parse is still listed. */
export function listDocPages(docsDir = loadConfig().docsDir): TDocPageLink[] {
  return listDocFiles(docsDir).map((relativePath) => {
    const file = readDocFile(docsDir, relativePath);
    try {
      const parsed = parseDoc({ source: file.source, path: relativePath });
      return { href: docUrl(file.slug), title: parsed.title, description: parsed.description, path: relativePath };
    } catch {
      return { href: docUrl(file.slug), title: file.slug || 'Home', description: '', path: relativePath };
    }
  });
}

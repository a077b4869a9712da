import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GENERIC_SITE_NAME, type TAssistantIntro } from '../../shared/site';

// The site's name, and the assistant's introduction and suggested questions, come from the docs it serves,
// never from this project. The name is read here and only here; the header, every page title, /llms.txt, the
// MCP server and the assistant all use it. It is, first found:
//   1. `name` in `site.config.json` in DOCS_DIR: { "name": "…", "assistant": { "intro": "…", "questions": ["…"] } };
//   2. `siteName` in the front matter of the docs index page (index.mdx / index.md, or Hugo's _index.md, in DOCS_DIR), beside
//        assistant:
//          intro: …
//          questions: [ …, … ]
//      The index page's `title` is not used: it names the page ("Getting started", "Introduction"), not the site;
//   3. the folder's name, made readable: `paste-docs` → "Paste", `acme_ui` → "Acme ui"; a folder whose name says
//      only that it holds docs (`docs`, `content`, `documentation`, …) gives "Docs".
// The assistant's settings come from the same file as the name, or the index front matter when the config has
// none. A file that does not parse, or does not fit the shape, is ignored (reported), never a crash.
// Page titles and /llms.txt add " docs" to the name (docsTitleName in lib/shared/site.ts): "Paste docs".

const MAX_QUESTIONS = 6;

const ZAssistantSettings = z.object({
  // The panel's name ("Acme AI"); unset, the panel says "Assistant".
  name: z.string().trim().min(1).max(60).optional(),
  intro: z.string().trim().min(1).max(600).optional(),
  questions: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
});
type TAssistantSettings = z.infer<typeof ZAssistantSettings>;
// `synonyms`: the site's own terms for search ({"modal": ["dialog", "side panel"]}: the key and its values mean the
// same here). A handful per site; lib/docs/search/ranking/vocabulary.ts turns them into index terms.
const ZSynonyms = z.record(z.string().trim().min(1).max(60), z.array(z.string().trim().min(1).max(60)).min(1).max(20));
const ZSiteConfig = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  assistant: ZAssistantSettings.optional(),
  synonyms: ZSynonyms.optional(),
});
const ZIndexFrontMatter = z.object({
  siteName: z.string().trim().min(1).max(100).optional(),
  assistant: ZAssistantSettings.optional(),
});

export const SITE_CONFIG_FILE = 'site.config.json';
// Hugo's _index.md is the docs' index page where there is no index.md (listDocFiles leaves it out beside one).
const INDEX_FILES = ['index.mdx', 'index.md', '_index.mdx', '_index.md'];
/** Folder names that say only "docs live here", so they name no site. */
const GENERIC_FOLDERS = new Set(['docs', 'doc', 'documentation', 'content', 'contents', 'pages', 'src', 'site', 'website', 'www', 'public', 'md', 'mdx', 'markdown']);

type TSiteSettings = { siteName: string; assistant: TAssistantSettings | undefined; synonyms: Record<string, string[]> | undefined };

export function defaultIntro(siteName: string): string {
  const subject = siteName === GENERIC_SITE_NAME ? 'this site' : siteName;
  return `I answer questions about ${subject} from its documentation. Every answer links to the sections it comes from, so you can read more.`;
}

/** The site's name from its docs folder's name: `paste-docs` → "Paste", `docs` → "Docs". */
export function siteNameFromFolder(docsDir: string): string {
  const base = path.basename(path.resolve(docsDir));
  const words = base
    .replace(/[-_.\s]+(docs?|documentation|site|website)$/i, '')
    .replace(/[-_.\s]+/g, ' ')
    .trim();
  if (!words || GENERIC_FOLDERS.has(words.toLowerCase())) return GENERIC_SITE_NAME;
  return words.replace(/^\p{Ll}/u, (letter) => letter.toUpperCase());
}

const cache = new Map<string, { key: string; settings: TSiteSettings }>();

/**
 * The site's settings, read once per docs folder and again only when site.config.json or the index page
 * changes. A file that was ignored is reported to `onProblem` when it is read (not on every call).
 */
function readSiteSettings(docsDir: string, onProblem: (message: string) => void): TSiteSettings {
  // DOCS_DIR is chosen at run time: the turbopackIgnore comments keep Next's file tracer from copying the whole
  // project into the server output for these reads (the build warns otherwise).
  const files = [SITE_CONFIG_FILE, ...INDEX_FILES].map((name) => path.join(/* turbopackIgnore: true */ docsDir, name));
  const key = files.map((file) => (existsSync(/* turbopackIgnore: true */ file) ? statSync(/* turbopackIgnore: true */ file).mtimeMs : '-')).join('|');
  const hit = cache.get(docsDir);
  if (hit && hit.key === key) return hit.settings;
  const settings = readSiteSettingsNow(docsDir, onProblem);
  cache.set(docsDir, { key, settings });
  return settings;
}

function readSiteSettingsNow(docsDir: string, onProblem: (message: string) => void): TSiteSettings {
  let config: z.infer<typeof ZSiteConfig> = {};
  const configFile = path.join(/* turbopackIgnore: true */ docsDir, SITE_CONFIG_FILE);
  if (existsSync(/* turbopackIgnore: true */ configFile)) {
    try {
      config = ZSiteConfig.parse(JSON.parse(readFileSync(/* turbopackIgnore: true */ configFile, 'utf8')));
    } catch (error) {
      onProblem(`${SITE_CONFIG_FILE} ignored: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const front = readIndexFrontMatter(docsDir, onProblem);
  // The assistant's settings travel as one: from the config when it has any, else from the index page.
  return {
    siteName: config.name ?? front.siteName ?? siteNameFromFolder(docsDir),
    assistant: config.assistant ?? front.assistant,
    synonyms: config.synonyms,
  };
}

function readIndexFrontMatter(docsDir: string, onProblem: (message: string) => void): z.infer<typeof ZIndexFrontMatter> {
  for (const name of INDEX_FILES) {
    const file = path.join(/* turbopackIgnore: true */ docsDir, name);
    if (!existsSync(/* turbopackIgnore: true */ file)) continue;
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(/* turbopackIgnore: true */ file, 'utf8'));
    if (!match) return {};
    try {
      return ZIndexFrontMatter.parse(parseYaml(match[1] as string) ?? {});
    } catch (error) {
      onProblem(`front matter of ${name} ignored for the site's name and assistant: ${error instanceof Error ? error.message : String(error)}`);
      return {};
    }
  }
  return {};
}

const warn = (message: string) => console.warn(message);

/** The name of the site whose docs are in `docsDir` (see the order above). */
export function readSiteName({ docsDir, onProblem = warn }: { docsDir: string; onProblem?(message: string): void }): string {
  return readSiteSettings(docsDir, onProblem).siteName;
}

/** The introduction for the docs in `docsDir`; `onProblem` hears of a config that was ignored. */
export function readAssistantIntro({ docsDir, onProblem = warn }: { docsDir: string; onProblem?(message: string): void }): TAssistantIntro {
  const { siteName, assistant } = readSiteSettings(docsDir, onProblem);
  return {
    siteName,
    assistantName: assistant?.name ?? null,
    intro: assistant?.intro ?? defaultIntro(siteName),
    questions: (assistant?.questions ?? []).slice(0, MAX_QUESTIONS),
  };
}

/** The site's name and assistant settings as `docsDir` configures them (lib/docs/site/intro.ts adds the rest). */
export function readSiteConfig({ docsDir, onProblem = warn }: { docsDir: string; onProblem?(message: string): void }) {
  const { siteName, assistant } = readSiteSettings(docsDir, onProblem);
  return { siteName, assistant };
}

/** The site's search synonyms (site.config.json `synonyms`), or undefined. The same object until the file changes. */
export function readSearchSynonyms({ docsDir, onProblem = warn }: { docsDir: string; onProblem?(message: string): void }) {
  return readSiteSettings(docsDir, onProblem).synonyms;
}

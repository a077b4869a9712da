import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { TAssistantIntro } from '../shared/site';

// The assistant's introduction and suggested questions come from the site it serves, not from this project:
//   1. `site.config.json` in DOCS_DIR: { "name": "…", "assistant": { "intro": "…", "questions": ["…"] } }, or
//   2. the front matter of the docs index page (index.md / index.mdx in DOCS_DIR):
//        assistant:
//          intro: …
//          questions: [ …, … ]
//      with `title` (or `siteName`) naming the site;
//   3. otherwise a neutral introduction naming the folder's index title, and no suggested questions.
// A file that does not parse, or does not fit the shape, is ignored (reported), never a crash.

const MAX_QUESTIONS = 6;

const ZAssistantSettings = z.object({
  intro: z.string().trim().min(1).max(600).optional(),
  questions: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
});
const ZSiteConfig = z.object({ name: z.string().trim().min(1).max(100).optional(), assistant: ZAssistantSettings.optional() });
const ZIndexFrontMatter = z.object({
  siteName: z.string().trim().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  assistant: ZAssistantSettings.optional(),
});

export const SITE_CONFIG_FILE = 'site.config.json';

export function defaultIntro(siteName: string): string {
  return `I answer questions about ${siteName} from its documentation. Every answer links to the sections it comes from, so you can read more.`;
}

/** The introduction for the docs in `docsDir`; `onProblem` hears of a config that was ignored. */
export function readAssistantIntro({ docsDir, onProblem }: { docsDir: string; onProblem?(message: string): void }): TAssistantIntro {
  const fallbackName = path.basename(path.resolve(docsDir));
  // DOCS_DIR is chosen at run time: the turbopackIgnore comments keep Next's file tracer from copying the whole
  // project into the server output for these reads (the build warns otherwise).
  const configFile = path.join(/* turbopackIgnore: true */ docsDir, SITE_CONFIG_FILE);
  if (existsSync(/* turbopackIgnore: true */ configFile)) {
    try {
      const config = ZSiteConfig.parse(JSON.parse(readFileSync(/* turbopackIgnore: true */ configFile, 'utf8')));
      const siteName = config.name ?? fallbackName;
      return toIntro(siteName, config.assistant);
    } catch (error) {
      onProblem?.(`${SITE_CONFIG_FILE} ignored: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const name of ['index.mdx', 'index.md']) {
    const file = path.join(/* turbopackIgnore: true */ docsDir, name);
    if (!existsSync(/* turbopackIgnore: true */ file)) continue;
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(/* turbopackIgnore: true */ file, 'utf8'));
    if (!match) break;
    try {
      const front = ZIndexFrontMatter.parse(parseYaml(match[1] as string) ?? {});
      if (front.assistant || front.siteName) return toIntro(front.siteName ?? front.title ?? fallbackName, front.assistant);
    } catch (error) {
      onProblem?.(`front matter of ${name} ignored for the assistant: ${error instanceof Error ? error.message : String(error)}`);
    }
    break;
  }
  return toIntro(fallbackName, undefined);
}

function toIntro(siteName: string, settings: z.infer<typeof ZAssistantSettings> | undefined): TAssistantIntro {
  return { siteName, intro: settings?.intro ?? defaultIntro(siteName), questions: (settings?.questions ?? []).slice(0, MAX_QUESTIONS) };
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// Builds a folder of Markdown into a static site with VitePress (a real static-site generator, its default
// theme and its chrome) for the crawler's tests and bench. Built once per content: the output is cached in the
// system's temp folder under the hash of the sources and the config, so a second run reuses it.

const run = promisify(execFile);
/** The host the sitemap is built for; the static server (tests/helpers) rewrites it to its own address. */
export const SITE_PLACEHOLDER_ORIGIN = 'http://site.invalid';

function hashFolder(dir: string, hash = createHash('sha256'), base = dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) hashFolder(full, hash, base);
    else hash.update(path.relative(base, full)).update('\0').update(readFileSync(full));
  }
  return hash;
}

/**
 * `pages`: the Markdown folder (copied). Returns the folder of the built site. `config`: VitePress' config
 * object (JSON), merged over a default theme with navigation, sidebar, edit links and a footer.
 */
export async function buildVitepressSite({ pages, config = {}, label }: { pages: string; config?: Record<string, unknown>; label: string }): Promise<string> {
  const fullConfig = {
    title: 'Docs',
    sitemap: { hostname: `${SITE_PLACEHOLDER_ORIGIN}/` },
    ...config,
    themeConfig: {
      nav: [{ text: 'Home', link: '/' }],
      editLink: { pattern: 'https://example.invalid/edit/:path', text: 'Edit this page on Pier' },
      footer: { message: 'Released under the Lighthouse licence.' },
      outline: 'deep',
      ...(config.themeConfig as Record<string, unknown> | undefined),
    },
  };
  const key = hashFolder(pages).update(JSON.stringify(fullConfig)).digest('hex').slice(0, 16);
  const root = path.join(os.tmpdir(), `paste-assistant-vitepress-${label}-${key}`);
  const out = path.join(root, 'out');
  // hashmap.json: VitePress writes it for every site (a site may have no index page).
  if (existsSync(path.join(out, 'hashmap.json'))) return out;
  rmSync(root, { recursive: true, force: true });
  const src = path.join(root, 'src');
  mkdirSync(path.join(src, '.vitepress'), { recursive: true });
  cpSync(pages, src, { recursive: true });
  writeFileSync(path.join(src, '.vitepress', 'config.mjs'), `export default ${JSON.stringify(fullConfig)};\n`);
  // VitePress resolves vue and its theme from the site's folder: this project's node_modules.
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'), 'dir');
  await run(process.execPath, [path.resolve('node_modules/vitepress/bin/vitepress.js'), 'build', src, '--outDir', `${out}.tmp`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  cpSync(`${out}.tmp`, out, { recursive: true });
  rmSync(`${out}.tmp`, { recursive: true, force: true });
  return out;
}

// Builds the docs pages' own client (components/docs/client/entry.ts) into public/_docs-client/: ES modules,
// the entry and the chunks it loads later (the assistant's panel on its first opening), with a manifest that
// pages/_document.tsx reads (lib/docs/site/docs-client.ts). `npm run build` runs this before `next build`, whose
// static pages name the entry. esbuild rather than Next's bundler: Next bundles a page with its runtime, which is
// what a docs page leaves out (issue 39: ≤ 100 KB of JS).
//
// It resolves as Next's browser bundle does: the tsconfig's `@/` paths, next.config.mjs's browser-only aliases,
// and next/router, next/link, next/head pointed at the client's own (components/docs/client/).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { browserOnlyAliases } from '../next.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS_CLIENT_DIR = 'public/_docs-client';
const outdir = path.join(root, DOCS_CLIENT_DIR);
const clientDir = path.join(root, 'components/docs/client');

const NEXT_REPLACEMENTS = {
  'next/router': path.join(clientDir, 'router.ts'),
  'next/link': path.join(clientDir, 'Link.tsx'),
  'next/head': path.join(clientDir, 'Head.tsx'),
};

/** next.config.mjs's `turbopack.resolveAlias` browser entries (exact names, or one `*` each side), for esbuild. */
const aliasPlugin = {
  name: 'next-aliases',
  setup(build) {
    build.onResolve({ filter: /^next\/(router|link|head)$/ }, (args) => ({ path: NEXT_REPLACEMENTS[args.path] }));
    // Stylesheets are Next's to serve (pages/_app.tsx imports them; the page links the built CSS).
    build.onResolve({ filter: /\.css$/ }, () => ({ path: 'stylesheet', namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
    const entries = Object.entries(browserOnlyAliases).map(([from, { browser }]) => [from, browser]);
    build.onResolve({ filter: /^@twilio-paste\// }, async (args) => {
      if (args.pluginData?.isAliased) return undefined;
      for (const [from, to] of entries) {
        let target = null;
        if (from.endsWith('*')) {
          const prefix = from.slice(0, -1);
          if (args.path.startsWith(prefix)) target = to.replace('*', args.path.slice(prefix.length));
        } else if (args.path === from) {
          target = to;
        }
        if (target === null) continue;
        const resolveDir = target.startsWith('./') ? root : args.resolveDir;
        const resolved = await build.resolve(target, { resolveDir, kind: args.kind, importer: args.importer, pluginData: { isAliased: true } });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, sideEffects: resolved.sideEffects };
      }
      return undefined;
    });
  },
};

/** A dynamic import of one of the client's own modules, as esbuild writes it: import() of a relative ".js" specifier (the chunk name with its hash). */
const OWN_DYNAMIC_IMPORT = /\bimport\("(\.\/[\w.-]+\.js)"\)/g;

/**
 * Makes each dynamic import of the client's own modules fetch anew after it failed. A browser may keep a failed
 * import() of a URL for the life of the page (the HTML standard said so until 2024; Chromium 150 still does): the
 * panel's "Try again" after a dropped connection would fail at once, for good. Each such import is rewritten to add a
 * query to its URL once it has failed (`?retry=…`, per module), so that the next try is a new fetch; a module that
 * loaded keeps its one URL. The arrow stays at the call site, so the path resolves against the importing module.
 */
function retryFailedImports(outputs) {
  for (const file of Object.keys(outputs)) {
    if (!file.endsWith('.js')) continue;
    const target = path.join(root, file);
    const code = readFileSync(target, 'utf8');
    const rewritten = code.replace(
      OWN_DYNAMIC_IMPORT,
      (_, spec) =>
        `((s,r)=>import(s+(r[s]??"")).catch(e=>{r[s]="?retry="+Date.now();throw e}))(${JSON.stringify(spec)},globalThis.__pasteRetriedImports||(globalThis.__pasteRetriedImports={}))`,
    );
    if (rewritten !== code) writeFileSync(target, rewritten);
  }
}

export async function buildDocsClient({ quiet = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { entry: path.join(clientDir, 'entry.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    tsconfig: path.join(root, 'tsconfig.json'),
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    plugins: [aliasPlugin],
  });
  retryFailedImports(result.metafile.outputs);
  const outputs = Object.entries(result.metafile.outputs);
  const [entryFile, entry] = outputs.find(([, output]) => output.entryPoint?.endsWith('components/docs/client/entry.ts')) ?? [];
  if (!entryFile || !entry) throw new Error('the docs client build made no entry');
  const url = (file) => `/_docs-client/${path.relative(outdir, path.join(root, file)).split(path.sep).join('/')}`;
  // What the entry imports, and the module it loads next (components/docs/client/hydrate.tsx) with what that imports: preloaded beside
  // the entry, so that the browser fetches them at once. The panel's modules, loaded on its first opening, are not.
  const staticImports = (file) => result.metafile.outputs[file].imports.filter((item) => item.kind === 'import-statement').map((item) => item.path);
  const next = entry.imports.filter((item) => item.kind === 'dynamic-import').map((item) => item.path);
  const preload = new Set([...staticImports(entryFile), ...next, ...next.flatMap(staticImports)]);
  preload.delete(entryFile);
  const manifest = { entry: url(entryFile), preload: [...preload].map(url) };
  writeFileSync(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = await buildDocsClient();
  console.log(`docs client: ${manifest.entry} (+${manifest.preload.length} preloaded) in ${DOCS_CLIENT_DIR}`);
}

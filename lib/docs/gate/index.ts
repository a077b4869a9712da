// The one door to the docs' pages and sections (issue 68): every surface that shows a reader a page, a section, a
// title, a URL or a word of the docs reads it here, with the reader's access as a required argument. There is no
// default: a read of every page says MAINTAINER_ACCESS, a surface that shows the same to everyone (the sitemap, the
// intro's suggestions, the warm-up) says PUBLIC_ACCESS. A page the reader may not see is answered as a missing one.
// Only this module reads the ranking store's pages, the database's page reads and the docs folder's whole navigation
// (tests/unit/read-gate.test.ts). The docs folder's navigation is read through ./folder-nav, by its own path: each
// read takes the folder's rules (DOCS_AUDIENCES, DOCS_CURRENT_VERSION) from its caller's configuration.
export * from './index-reads';
export * from './page-reads';
export * from './source-reads';
export * from './compared';

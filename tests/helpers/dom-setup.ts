import { afterEach } from 'vitest';

// Setup for the component tests (files with `// @vitest-environment jsdom`); a no-op under the node
// environment. It runs before each test file's modules are imported, in that file's context.
//
// The integration project shares its worker processes between files (isolate: false, vitest.config.mts), and a
// worker sets its environment up once: the jsdom files that run in one worker share one window. So each file
// starts from a blank page here — no nodes in the body, storage or <html> attributes a file before it left (the
// head keeps the styles emotion inserted: its cache, shared too, would not insert them again) — and every
// test's render is unmounted after it. (This runs per file; a helper module's top-level hook would not, since
// a shared worker imports that module once.)
if (typeof window !== 'undefined') {
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => {
    cleanup();
  });
  document.body.replaceChildren();
  for (const { name } of [...document.documentElement.attributes]) document.documentElement.removeAttribute(name);
  for (const { name } of [...document.body.attributes]) document.body.removeAttribute(name);
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  document.title = '';
}

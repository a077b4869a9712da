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

// Lexical (inside Paste's ChatComposer) takes typed text from `beforeinput` events only when the browser's
// InputEvent has getTargetRanges, which every current browser has and jsdom lacks. Without it Lexical falls
// back to reading DOM mutations that jsdom does not make, and typing would do nothing.
if (typeof window !== 'undefined' && typeof window.InputEvent === 'function' && !('getTargetRanges' in window.InputEvent.prototype)) {
  Object.defineProperty(window.InputEvent.prototype, 'getTargetRanges', { value: () => [], configurable: true });
}

// Lexical scrolls the caret into view through Range geometry, which jsdom does not implement.
if (typeof window !== 'undefined' && typeof window.Range === 'function' && !('getBoundingClientRect' in window.Range.prototype)) {
  const emptyRect = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) });
  Object.defineProperty(window.Range.prototype, 'getBoundingClientRect', { value: emptyRect, configurable: true });
  Object.defineProperty(window.Range.prototype, 'getClientRects', { value: () => [], configurable: true });
}

// Setup for the component tests (files with `// @vitest-environment jsdom`); a no-op under the node
// environment. It runs before any test module is imported.
//
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

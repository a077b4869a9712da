// Media queries as external stores, safe where matchMedia is missing (old browsers, jsdom without a polyfill):
// there the query never matches and never changes.

export function subscribeMediaQuery(query: string, onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const list = window.matchMedia(query);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

export function isMediaQueryMatching(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

import { useEffect } from 'react';

// Counts a read of the docs page at `href` (POST /api/docs-page-read), once per page shown: the server adds one to
// the page's count for the day and keeps nothing about the reader (lib/docs/site/page-reads.ts). What the
// maintainers' "questions per page read" divides by. Its answer is read to its end: Chromium reports a request whose
// body nobody reads as never finished, and a browser test waiting for a quiet network waited forever.

// Only a docs page counts (`href` null otherwise: the home page, the 404 page): the route takes docs paths alone and
// answers anything else with a 400, which every visit to the home page printed in the console.
export function usePageReadCounter(href: string | null): void {
  useEffect(() => {
    if (href === null) return;
    const path = href.split(/[?#]/)[0] ?? href;
    void fetch('/api/docs-page-read', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path }),
      credentials: 'omit',
    })
      .then((response) => response.text())
      .catch(() => undefined);
  }, [href]);
}

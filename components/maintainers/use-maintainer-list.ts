import { useEffect, useState } from 'react';

// A list the maintainers decide on (the learned vocabulary, the maintainers' answers): loaded from its route with
// the dashboard's signed link (or the sign-in cookie), a decision posted to the same route, then loaded again.

export type TMaintainerLink = { exp: string; sig: string } | null;

function endpoint(path: string, link: TMaintainerLink): string {
  return link ? `${path}?exp=${encodeURIComponent(link.exp)}&sig=${encodeURIComponent(link.sig)}` : path;
}

/** `what` names the list in the error a reader sees ("Could not load the answers (500)"). */
export function useMaintainerList<TView>({ path, link, what }: { path: string; link: TMaintainerLink; what: string }) {
  const [view, setView] = useState<TView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    fetch(endpoint(path, link), { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<TView>) : Promise.reject(new Error(`(${response.status})`))))
      .then(
        (loaded) => {
          if (isCancelled) return;
          setView(loaded);
          setError(null);
        },
        (caught: unknown) => {
          if (!isCancelled) setError(`Could not load ${what} ${(caught as Error).message}`);
        },
      );
    return () => {
      isCancelled = true;
    };
  }, [path, link, what, version]);

  /** Posts a decision; true when it was saved (the list then loads again), else the error says why. */
  const decide = async (decision: unknown): Promise<boolean> => {
    try {
      const response = await fetch(endpoint(path, link), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(decision),
      });
      if (!response.ok) {
        // The route's error says why (a 409's "already has this question"); the status alone when it cannot be read.
        const reason = await response
          .json()
          .then((body: { error?: { message?: unknown } }) => (typeof body.error?.message === 'string' ? `: ${body.error.message}` : ''))
          .catch(() => '');
        throw new Error(`(${response.status})${reason}`);
      }
      setVersion((current) => current + 1);
      return true;
    } catch (caught) {
      setError(`Could not save the decision ${(caught as Error).message}`);
      return false;
    }
  };

  return { view, error, decide };
}

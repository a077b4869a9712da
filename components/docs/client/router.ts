import { useSyncExternalStore } from 'react';
import type { TDocsClientData } from '@/lib/shared/docs-client';
import { interpolateRoute, pageDataUrl, pageForPath, routeParams } from './routes';

// The part of next/router that the docs page's components use (useRouter: pathname, query, asPath, isReady,
// push, replace, prefetch, events), for the docs page's own client (./entry.ts), which the production build
// serves instead of Next's runtime (pages/_document.tsx). Going to another docs page fetches its data (Next's
// /_next/data/… JSON, as Next's router does) and renders it in place, so the assistant's panel and its thread
// stay; a path another page serves, or data that cannot be had, is a full page load: never a dead link.

type TQuery = Record<string, string | string[]>;
type TUrl = string | { pathname?: string | null; query?: Record<string, unknown> | null; hash?: string | null };
type TNavigateOptions = { shallow?: boolean; scroll?: boolean };
type TEvent = 'routeChangeStart' | 'routeChangeComplete' | 'routeChangeError' | 'hashChangeStart' | 'hashChangeComplete';
type THandler = (url: string) => void;

export type TRouterState = { pathname: string; asPath: string; query: TQuery; isReady: boolean; pageProps: Record<string, unknown> };
/** History entries this client made (or took over) carry this mark, and the scroll position to come back to. */
type THistoryState = { __pa: 1; scrollY: number };

/**
 * What the docs page's components read of next/router, and nothing more: a component that comes to use another part
 * of it (router.back, router.basePath…) gets undefined in the production build, and the browser tests that open it
 * there (tests/e2e/) fail.
 */
export type TDocsRouter = Omit<TRouterState, 'pageProps'> & {
  route: string;
  push(url: TUrl, as?: TUrl, options?: TNavigateOptions): Promise<boolean>;
  replace(url: TUrl, as?: TUrl, options?: TNavigateOptions): Promise<boolean>;
  prefetch(url: string): Promise<void>;
  events: { on(event: TEvent, handler: THandler): void; off(event: TEvent, handler: THandler): void; emit(event: TEvent, url: string): void };
};

function searchQuery(search: string): TQuery {
  const query: TQuery = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/**
 * A next/router URL object as a path with its query and hash. A route's pathname (`/docs/[[...slug]]`) takes its
 * parameters from the query, which are then not repeated in the search.
 */
export function formatUrl(url: TUrl): string {
  if (typeof url === 'string') return url;
  const { path, used } = interpolateRoute(url.pathname ?? location.pathname, url.query ?? {});
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(url.query ?? {})) {
    if (used.includes(key) || value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const search = params.toString();
  const hash = url.hash ? (url.hash.startsWith('#') ? url.hash : `#${url.hash}`) : '';
  return `${path}${search ? `?${search}` : ''}${hash}`;
}

function scrollToHash(hash: string): boolean {
  if (hash === '' || hash === '#') return false;
  const id = decodeURIComponent(hash.slice(1));
  const target = document.getElementById(id) ?? document.getElementsByName(id)[0];
  if (!target) return false;
  target.scrollIntoView();
  return true;
}

/** Says the new page's title to screen readers, as Next's route announcer does. */
function announce(text: string) {
  let region = document.getElementById('pa-route-announcer');
  if (!region) {
    region = document.createElement('p');
    region.id = 'pa-route-announcer';
    region.className = 'visually-hidden';
    region.setAttribute('aria-live', 'assertive');
    region.setAttribute('role', 'alert');
    document.body.append(region);
  }
  region.textContent = text;
}

/** next/router's `events`: routeChangeStart, routeChangeComplete and the others, by name. */
function createEvents(): TDocsRouter['events'] {
  const handlers = new Map<TEvent, Set<THandler>>();
  return {
    on: (event, handler) => void (handlers.get(event) ?? handlers.set(event, new Set()).get(event)!).add(handler),
    off: (event, handler) => void handlers.get(event)?.delete(handler),
    emit: (event, url) => handlers.get(event)?.forEach((handler) => handler(url)),
  };
}

/**
 * A docs page's props by path, from Next's data route, fetched once (null: it could not be had: not found, or the
 * network). Only a success is kept: a failure is tried again next time.
 */
function createPageDataLoader(buildId: string): (path: string) => Promise<Record<string, unknown> | null> {
  const cache = new Map<string, Promise<Record<string, unknown> | null>>();
  return (path) => {
    let entry = cache.get(path);
    if (!entry) {
      entry = fetch(pageDataUrl(buildId, path), { headers: { 'x-nextjs-data': '1' } })
        .then(async (response) => {
          if (!response.ok) return null;
          const body = (await response.json()) as { pageProps?: Record<string, unknown> };
          return body.pageProps ?? null;
        })
        .catch(() => null)
        .then((props) => {
          if (props === null) cache.delete(path);
          return props;
        });
      cache.set(path, entry);
    }
    return entry;
  };
}

export function createDocsRouter(data: TDocsClientData) {
  const events = createEvents();
  const listeners = new Set<() => void>();
  const loadPageProps = createPageDataLoader(data.buildId);
  // What the page was rendered with on the server: hydration must see exactly that (Next's router also starts with
  // the route's parameters only, and is not ready until it has read the address's query).
  let state: TRouterState = {
    pathname: data.page,
    asPath: `${location.pathname}${location.search}${location.hash}`,
    query: data.query,
    isReady: false,
    pageProps: data.pageProps,
  };
  let snapshot: TDocsRouter;
  /** Runs once the page rendered with the new state: scrolling, events, the announcement. */
  let afterRender: (() => void) | null = null;

  function setState(next: TRouterState, then: (() => void) | null = null) {
    state = next;
    afterRender = then;
    snapshot = makeSnapshot();
    listeners.forEach((listener) => listener());
  }

  /** The docs page's parameters for `path`, or null when another page (or none) serves it. */
  function docsParams(path: string): TQuery | null {
    return pageForPath(data.sortedPages, path) === data.page ? routeParams(data.page, path) : null;
  }

  /** The current entry marked as this client's, with where the reader is on it (to come back to). */
  function rememberScroll() {
    history.replaceState({ ...(history.state as object | null), __pa: 1, scrollY: window.scrollY } satisfies THistoryState, '');
  }

  /** A new entry for `href` (push: the current one keeps its scroll position), or the current one replaced. */
  function writeHistory(method: 'push' | 'replace', href: string) {
    if (method === 'push') rememberScroll();
    history[method === 'push' ? 'pushState' : 'replaceState']({ __pa: 1, scrollY: 0 } satisfies THistoryState, '', href);
  }

  async function navigate(method: 'push' | 'replace', url: TUrl, options: TNavigateOptions = {}): Promise<boolean> {
    const target = new URL(formatUrl(url), location.href);
    const href = `${target.pathname}${target.search}${target.hash}`;
    const leave = () => {
      if (method === 'push') location.assign(target.href);
      else location.replace(target.href);
      return false;
    };
    const params = target.origin === location.origin ? docsParams(target.pathname) : null;
    if (params === null) return leave();
    const query = { ...searchQuery(target.search), ...params };
    const isSamePage = target.pathname === location.pathname;
    if (options.shallow || (isSamePage && method === 'push' && target.search === location.search)) {
      // The same page: the address (its query, or its anchor) changes, the page's data does not.
      writeHistory(method, href);
      setState({ ...state, asPath: href, query, isReady: true }, () => {
        if (options.scroll !== false && target.hash) scrollToHash(target.hash);
      });
      return true;
    }
    events.emit('routeChangeStart', href);
    const pageProps = await loadPageProps(target.pathname);
    if (pageProps === null) {
      events.emit('routeChangeError', href);
      return leave();
    }
    writeHistory(method, href);
    setState({ pathname: data.page, asPath: href, query, isReady: true, pageProps }, () => {
      if (options.scroll !== false && !scrollToHash(target.hash)) window.scrollTo(0, 0);
      events.emit('routeChangeComplete', href);
      announce(document.title);
    });
    return true;
  }

  async function onPopState(event: PopStateEvent) {
    const entry = event.state as Partial<THistoryState> | null;
    // An entry this client did not make (an anchor the reader followed on the page): the browser has scrolled.
    if (entry?.__pa !== 1) return;
    const path = location.pathname;
    const params = docsParams(path);
    if (params === null) {
      location.reload();
      return;
    }
    const href = `${path}${location.search}${location.hash}`;
    const pageProps = path === new URL(state.asPath, location.href).pathname ? state.pageProps : await loadPageProps(path);
    if (pageProps === null) {
      location.reload();
      return;
    }
    setState({ pathname: data.page, asPath: href, query: { ...searchQuery(location.search), ...params }, isReady: true, pageProps }, () => {
      window.scrollTo(0, entry.scrollY ?? 0);
      events.emit('routeChangeComplete', href);
    });
  }

  function makeSnapshot(): TDocsRouter {
    const { pageProps: _pageProps, ...rest } = state;
    return {
      ...rest,
      route: data.page,
      push: (url, _as, options) => navigate('push', url, options),
      replace: (url, _as, options) => navigate('replace', url, options),
      prefetch: async (url) => {
        const target = new URL(url, location.href);
        if (target.origin === location.origin && docsParams(target.pathname) !== null) await loadPageProps(target.pathname);
      },
      events,
    };
  }
  snapshot = makeSnapshot();

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getState: () => state,
    getRouter: () => snapshot,
    /** After hydration: the address's own query, as Next's router reads it once the page is interactive. */
    start() {
      history.scrollRestoration = 'manual';
      rememberScroll();
      window.addEventListener('popstate', (event) => void onPopState(event));
      const params = routeParams(data.page, location.pathname) ?? data.query;
      setState({ ...state, query: { ...searchQuery(location.search), ...params }, isReady: true });
    },
    /** Called by the page's root once it has rendered the current state. */
    rendered() {
      const then = afterRender;
      afterRender = null;
      then?.();
    },
  };
}

export type TDocsRouterStore = ReturnType<typeof createDocsRouter>;

let store: TDocsRouterStore | null = null;

export function setDocsRouterStore(next: TDocsRouterStore) {
  store = next;
}

function requireStore(): TDocsRouterStore {
  if (!store) throw new Error('the docs client router is not started');
  return store;
}

/** next/router's useRouter, for the components of a docs page. */
export function useRouter(): TDocsRouter {
  const current = requireStore();
  return useSyncExternalStore(current.subscribe, current.getRouter, current.getRouter);
}

/** The page's props as the router has them (the root renders the page with them). */
export function useDocsPageState(): TRouterState {
  const current = requireStore();
  return useSyncExternalStore(current.subscribe, current.getState, current.getState);
}

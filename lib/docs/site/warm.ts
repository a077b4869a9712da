import type { TDb } from '../../db/types';
import { PUBLIC_ACCESS } from '../../audiences';
import { countDocNavBuilds, readFolderNav, type TFolderRules } from '../gate/folder-nav';
import { sampleReferencePages } from './reference';
import { currentTraceparent, withSpan } from '../../telemetry';

// The site's pages made ready for their first reader, once the server is up (lib/boot.ts, `next start` only). A page's
// first request in a process paid for what every later one reuses: reading the docs' navigation from the files,
// Next loading the route's code and the modules its data function imports, the first render of each route. The
// first request to /docs/reference took 3 s (issue 54, friction 12). So, right after start-up, the navigation is
// read once (lib/docs/gate/folder-nav.ts keeps it for every route of the process) and the server asks itself for one page
// of each kind: the home page, a docs page, the list of API references, a spec's page and an operation's page (a name that is not
// indexed when no spec is yet: its route's code loads all the same). Readiness does not wait for this:
// /api/health answers as before, and says `site.pages: "warming"` until it is done, then `"warm"`.

export type TSitePagesState = 'off' | 'warming' | 'warm' | 'failed';

export type TSiteWarmth = {
  pages: TSitePagesState;
  /** How long warming took, from the server's start-up being done. */
  warmedInMs: number | null;
  /** The pages asked for, with their status (404 for a route warmed before anything of its kind was indexed). */
  warmed: { url: string; status: number }[];
};

const WARMTH = Symbol.for('paste-assistant.site-warmth');
const WARM_REQUEST_TIMEOUT_MS = 60_000;
// A name no spec has (spec names are lowercase): its routes answer 404 after loading their code.
const NOT_INDEXED = '_warm';

function holder(): TSiteWarmth {
  const scope = globalThis as { [WARMTH]?: TSiteWarmth };
  return (scope[WARMTH] ??= { pages: 'off', warmedInMs: null, warmed: [] });
}

/** Where warming stands, with how many times the docs' navigation was read from the files (once, after warming). */
export function getSiteWarmth(): TSiteWarmth & { navigationReads: number } {
  return { ...holder(), navigationReads: countDocNavBuilds() };
}

/** The pages asked for: one of each route the docs site renders on request or serves from the build. */
export async function listWarmPages(db: TDb): Promise<string[]> {
  const reference = await sampleReferencePages(db);
  return [
    '/',
    '/docs',
    '/docs/reference',
    reference[0] ?? `/docs/reference/${NOT_INDEXED}`,
    reference[1] ?? `/docs/reference/${NOT_INDEXED}/operation/${NOT_INDEXED}`,
  ];
}

type TWarmDeps = {
  db: TDb;
  config: { docsDir: string; listenUrl: string; docsSources: TFolderRules };
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
};

/**
 * Warms the pages (above). Called once start-up is done and not awaited: the server answers its own requests only
 * once instrumentation's start-up has returned. Never throws; a page that cannot be fetched (a host where this
 * process does not listen on `listenUrl`) leaves the state `failed`, and the routes load on their first request
 * as before.
 */
export async function warmSitePages(deps: TWarmDeps): Promise<void> {
  if (holder().pages !== 'off') return;
  // One trace, "warm site pages": each request carries its traceparent, which Next's span of the request continues.
  return withSpan('warm site pages', {}, () => warm(deps), { isRoot: true });
}

async function warm({ db, config, log }: TWarmDeps): Promise<void> {
  const state = holder();
  state.pages = 'warming';
  const started = performance.now();
  try {
    readFolderNav({ docsDir: config.docsDir, rules: config.docsSources, access: PUBLIC_ACCESS });
    const warmed: TSiteWarmth['warmed'] = [];
    const traceparent = currentTraceparent();
    for (const url of await listWarmPages(db)) {
      const response = await fetch(new URL(url, config.listenUrl), {
        headers: { 'user-agent': 'paste-assistant (warming its pages)', ...(traceparent ? { traceparent } : {}) },
        signal: AbortSignal.timeout(WARM_REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      warmed.push({ url, status: response.status });
    }
    state.warmed = warmed;
    state.warmedInMs = Math.round(performance.now() - started);
    state.pages = 'warm';
    log.info({ ms: state.warmedInMs, pages: warmed }, 'site pages warm');
  } catch (error) {
    state.pages = 'failed';
    log.warn({ err: error instanceof Error ? error.message : String(error), listenUrl: config.listenUrl }, 'site pages not warmed; each route loads on its first request');
  }
}

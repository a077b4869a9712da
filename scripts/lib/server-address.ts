import path from 'node:path';
import type { TConfig } from '@/lib/config';
import { readServerRecord, SERVER_RECORD_FILE } from '@/lib/server-record';

// The server's address as the scripts print it (`npm run api-key -- create`'s baseURL, `npm run report -- --link`,
// the hints that name the running server): SITE_URL when it is set for the script; else the address the running
// server recorded in DATA_DIR (lib/server-record.ts), which knows the PORT and HOST it was started with even when
// they were set for it alone (`PORT=8080 npm start`); else where PORT and HOST, as this script reads them, would put
// it, with a sentence saying that it is a guess and why.

export type TScriptSiteUrl = {
  url: string;
  /** How the address was found: set (SITE_URL), recorded by the running server, or assumed. */
  source: 'SITE_URL' | 'running server' | 'assumed';
  /** Said beside an assumed address: why it is one, and how to make it certain. Null when it is not a guess. */
  assumption: string | null;
};

export function scriptSiteUrl(config: Pick<TConfig, 'siteUrl' | 'isSiteUrlSet' | 'dataDir'>): TScriptSiteUrl {
  if (config.isSiteUrlSet) return { url: config.siteUrl, source: 'SITE_URL', assumption: null };
  const record = readServerRecord(config.dataDir);
  if (record) return { url: record.siteUrl.replace(/\/+$/, ''), source: 'running server', assumption: null };
  const relative = path.relative(process.cwd(), config.dataDir);
  const recordFile = path.join(relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? config.dataDir : relative, SERVER_RECORD_FILE);
  return {
    url: config.siteUrl,
    source: 'assumed',
    assumption:
      `${config.siteUrl} is assumed: no running server has recorded its address in ${recordFile}, and SITE_URL is not ` +
      'set, so it is where PORT and HOST as set here (or in .env) would put the server (port 3000 when PORT is unset). ' +
      'Set SITE_URL, or PORT and HOST as the server has them, to name another.',
  };
}

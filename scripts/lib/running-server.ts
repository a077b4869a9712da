// The scripts that open the configured database refuse while a running server holds the embedded one (DATA_DIR's
// lock: one process at a time). Their refusal says how to reach that server instead, at its address: SITE_URL, else
// the one it recorded in DATA_DIR (./server-address.ts), else where PORT and HOST here would put it.
import type { TConfig } from '@/lib/config';
import { dataDirHolder } from '@/lib/db/data-dir-lock';
import { scriptSiteUrl } from './server-address';

export type TServerScript = 'report' | 'eval' | 'docs:search' | 'sources:sync';

/** How `script` reaches a running server of this configuration, in one sentence. */
export function runningServerHint({ config, script }: { config: Pick<TConfig, 'siteUrl' | 'isSiteUrlSet' | 'dataDir' | 'docsSources'>; script: TServerScript }): string {
  const site = scriptSiteUrl(config).url;
  switch (script) {
    case 'report':
      return `Run with --url ${site} to ask the running server, or stop it first (--force opens it anyway).`;
    case 'eval':
      return `Run with --url ${site} to ask the running server's assistant (npm run eval -- FILE --url ${site}), or stop it first.`;
    case 'docs:search':
      return `Ask the running server: curl -s ${site}/api/docs-search -H 'content-type: application/json' -d '{"prompt":"…"}', or stop it first.`;
    case 'sources:sync':
      return config.docsSources.reindexToken
        ? `The running server syncs its sources itself; to sync now: curl -X POST -H "Authorization: Bearer $DOCS_REINDEX_TOKEN" ${site}/api/docs/reindex, or stop it first.`
        : `The running server syncs its sources itself; to sync now, set DOCS_REINDEX_TOKEN for it and POST ${site}/api/docs/reindex with that token, or stop it first.`;
  }
}

/** The line to print when the embedded database is held by another process (the server?); null when it is free. */
export function describeDataDirInUse({ config, script }: { config: Pick<TConfig, 'store' | 'siteUrl' | 'isSiteUrlSet' | 'dataDir' | 'docsSources'>; script: TServerScript }): string | null {
  if (config.store.mode !== 'embedded') return null;
  const holder = dataDirHolder(config.store.dataDir);
  if (holder === null) return null;
  return `The embedded database in ${config.store.dataDir} is open in another process (pid ${holder}, the server?). ${runningServerHint({ config, script })}`;
}

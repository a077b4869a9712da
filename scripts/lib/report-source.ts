// Where `npm run report` reads its figures: a running server (--url, with the report's signed link, its exp and sig
// carried to `apiPath`), or the database itself (refused while the embedded one is open in another process, unless
// --force). Null when it could not, with the reason already printed.
import { createApp, type TApp } from '../../lib/app';
import type { TConfig } from '../../lib/config';
import { createLogger } from '../../lib/log';
import { buildReportUrl } from '../../lib/maintainers/links';
import { describeDataDirInUse } from './running-server';

export async function readReportData<T>({
  config,
  secret,
  siteUrl,
  isRemote,
  isForced,
  apiPath,
  params,
  fromApp,
}: {
  config: TConfig;
  secret: string;
  siteUrl: string;
  isRemote: boolean;
  isForced: boolean;
  /** The route that answers the same figures as JSON; null: the report's own (/api/maintainers/report). */
  apiPath: string | null;
  params: Record<string, string | undefined>;
  fromApp: (app: TApp) => Promise<T>;
}): Promise<T | null> {
  if (isRemote) {
    const signed = new URL(buildReportUrl({ siteUrl, secret, ttlSeconds: 300 }).url);
    const link = apiPath === null ? signed : new URL(apiPath, siteUrl);
    if (apiPath !== null) for (const key of ['exp', 'sig']) link.searchParams.set(key, signed.searchParams.get(key) ?? '');
    for (const [key, value] of Object.entries(params)) if (value !== undefined) link.searchParams.set(key, value);
    const response = await fetch(link);
    if (!response.ok) {
      console.error(`The server answered ${response.status} (is SESSION_SECRET / DATA_DIR the same as the server's?).`);
      return null;
    }
    return (await response.json()) as T;
  }
  const inUse = isForced ? null : describeDataDirInUse({ config, script: 'report' });
  if (inUse) {
    console.error(inUse);
    return null;
  }
  const app = await createApp(config, { log: createLogger({ level: 'warn' }), activity: 'operator' });
  try {
    return await fromApp(app);
  } finally {
    await app.db.close();
  }
}

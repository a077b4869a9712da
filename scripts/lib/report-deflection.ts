// `npm run report -- --deflection [--csv]`: the deflection figures (lib/maintainers/deflection.ts), from the
// database, or from a running server with --url (the same signed link as the report's).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../lib/app';
import type { TConfig } from '../../lib/config';
import { createLogger } from '../../lib/log';
import { deflectionCsv, formatDeflectionText, getDeflectionForMaintainers, ZDeflectionQuery } from '../../lib/maintainers/deflection';
import { buildReportUrl } from '../../lib/maintainers/links';
import type { TDeflectionView } from '../../lib/shared/deflection';

type TValues = { days?: string; from?: string; to?: string; limit?: string; json?: boolean; csv?: boolean; url?: string; force?: boolean };

export async function printDeflection({ values, config, secret, siteUrl }: { values: TValues; config: TConfig; secret: string; siteUrl: string }): Promise<number> {
  const given = { days: values.days, from: values.from, to: values.to, limit: values.limit };
  const parsed = ZDeflectionQuery.safeParse(given);
  if (!parsed.success) {
    console.error(`Invalid option: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return 2;
  }
  let view: TDeflectionView;
  if (values.url) {
    const signed = new URL(buildReportUrl({ siteUrl, secret, ttlSeconds: 300 }).url);
    const link = new URL('/api/maintainers/deflection', siteUrl);
    for (const key of ['exp', 'sig']) link.searchParams.set(key, signed.searchParams.get(key) ?? '');
    for (const [key, value] of Object.entries(given)) if (value !== undefined) link.searchParams.set(key, value);
    const response = await fetch(link);
    if (!response.ok) {
      console.error(`The server answered ${response.status} (is SESSION_SECRET / DATA_DIR the same as the server's?).`);
      return 1;
    }
    view = (await response.json()) as TDeflectionView;
  } else {
    if (config.store.mode === 'embedded' && !values.force && existsSync(path.join(config.store.dataDir, 'pglite', 'postmaster.pid'))) {
      console.error(
        `The embedded database in ${config.store.dataDir} is open in another process (the server?). ` +
          'Run with --url http://localhost:3000 to ask the running server, or stop it first (--force opens it anyway).',
      );
      return 1;
    }
    const app = await createApp(config, { log: createLogger({ level: 'warn' }) });
    try {
      view = await getDeflectionForMaintainers({ db: app.db, query: parsed.data });
    } finally {
      await app.db.close();
    }
  }
  if (values.csv) process.stdout.write(deflectionCsv(view));
  else console.log(values.json ? JSON.stringify(view, null, 2) : formatDeflectionText(view));
  return 0;
}

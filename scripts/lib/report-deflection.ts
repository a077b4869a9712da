// `npm run report -- --deflection [--csv]`: the deflection figures (lib/maintainers/deflection.ts), from the
// database, or from a running server with --url (the same signed link as the report's).
import type { TConfig } from '../../lib/config';
import { deflectionCsv, formatDeflectionText, getDeflectionForMaintainers, ZDeflectionQuery } from '../../lib/maintainers/deflection';
import type { TDeflectionView } from '../../lib/shared/deflection';
import { readReportData } from './report-source';

type TValues = { days?: string; from?: string; to?: string; limit?: string; json?: boolean; csv?: boolean; url?: string; force?: boolean };

export async function printDeflection({
  values,
  config,
  secret,
  siteUrl,
  emit,
}: {
  values: TValues;
  config: TConfig;
  secret: string;
  siteUrl: string;
  /** Where the figures go: stdout, or the file of --out. */
  emit: (text: string) => void;
}): Promise<number> {
  const given = { days: values.days, from: values.from, to: values.to, limit: values.limit };
  const parsed = ZDeflectionQuery.safeParse(given);
  if (!parsed.success) {
    console.error(`Invalid option: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return 2;
  }
  const view = await readReportData<TDeflectionView>({
    config,
    secret,
    siteUrl,
    isRemote: Boolean(values.url),
    isForced: Boolean(values.force),
    apiPath: '/api/maintainers/deflection',
    params: given,
    fromApp: (app) => getDeflectionForMaintainers({ db: app.db, query: parsed.data }),
  });
  if (view === null) return 1;
  emit(values.csv ? deflectionCsv(view) : `${values.json ? JSON.stringify(view, null, 2) : formatDeflectionText(view)}\n`);
  return 0;
}

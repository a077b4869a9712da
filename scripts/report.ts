// npm run report [-- options]: the maintainers' analytics for a time window — the questions our docs fail.
//
//   --days N            window of the last N days (default 7)
//   --from ISO --to ISO explicit window [from, to)
//   --limit N           entries per list (default 10)
//   --json              print JSON instead of text
//   --url BASE          ask a running server (BASE/api/maintainers/report, signed here) instead of opening the
//                       database; needed in embedded mode while the server holds the database. Links are built on
//                       BASE, else SITE_URL, else the address the running server recorded in DATA_DIR/server.json
//   --link              print a signed link to the maintainers' dashboard (/maintainers) and to the JSON report, and exit
//   --transcript ID     print a signed link to the transcript of thread ID and exit
//   --deflection        deflection and sources instead (rates, cited sources, pages never cited, questions per
//                       page read, shared conversations: lib/maintainers/deflection.ts); --days N, or --from and
//                       --to as YYYY-MM-DD; --limit N entries per list (default 50); --csv prints it as CSV
//   --out FILE          write the report (text, --json or --csv) to FILE instead of printing it. `npm run` prints
//                       its own banner on stdout, so `npm run report -- --csv > file.csv` would hold it too: use
//                       --out, or `npm run -s report -- …` (silent) when redirecting
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isConfigError, loadConfig } from '../lib/config';
import type { TMaintainerReportData } from '../lib/db/maintainers';
import { buildDashboardUrl, buildReportUrl, buildTranscriptUrl } from '../lib/maintainers/links';
import { formatReportText, getReportForMaintainers, ZReportWindow } from '../lib/maintainers/report';
import { loadSessionSecret } from '../lib/session';
import { loadProjectEnv } from './lib/load-env.mjs';
import { printDeflection } from './lib/report-deflection';
import { readReportData } from './lib/report-source';
import { scriptSiteUrl } from './lib/server-address';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      days: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      link: { type: 'boolean', default: false },
      transcript: { type: 'string' },
      force: { type: 'boolean', default: false },
      deflection: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  // The report's output: stdout, or the file --out names (said on stderr, so stdout stays empty).
  const emit = (text: string) => {
    if (values.out === undefined) return void process.stdout.write(text);
    writeFileSync(values.out, text);
    console.error(`wrote ${values.out}`);
  };
  loadProjectEnv();
  const config = loadConfig();
  const secret = loadSessionSecret(config);
  const ttlSeconds = config.maintainers.linkTtlSeconds;
  // The address links are built on: --url, else the running server's (scripts/lib/server-address.ts), said when guessed.
  const site = values.url === undefined ? scriptSiteUrl(config) : null;
  const siteUrl = (values.url ?? site?.url ?? config.siteUrl).replace(/\/+$/, '');
  const sayIfAssumed = () => {
    if (site?.assumption) console.error(`(${site.assumption})`);
  };

  if (values.transcript) {
    console.log(buildTranscriptUrl({ siteUrl, secret, threadId: values.transcript, ttlSeconds }).url);
    sayIfAssumed();
    return 0;
  }
  if (values.link) {
    const days = values.days === undefined ? undefined : Number(values.days);
    const dashboard = buildDashboardUrl({ siteUrl, secret, ttlSeconds, days: days === 7 || days === 30 || days === 90 ? days : undefined });
    console.log(dashboard.url);
    console.error(`(the dashboard; valid until ${dashboard.expiresAt.toISOString()}). The same report as JSON:`);
    console.log(buildReportUrl({ siteUrl, secret, ttlSeconds }).url);
    sayIfAssumed();
    return 0;
  }

  if (values.deflection || values.csv) {
    return printDeflection({ values, config, secret, siteUrl, emit });
  }

  const parsed = ZReportWindow.safeParse({ days: values.days, from: values.from, to: values.to, limit: values.limit });
  if (!parsed.success) {
    console.error(`Invalid option: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return 2;
  }
  const window = parsed.data;

  const report = await readReportData<TMaintainerReportData>({
    config,
    secret,
    siteUrl,
    isRemote: Boolean(values.url),
    isForced: Boolean(values.force),
    apiPath: null,
    params: { days: values.days, from: values.from, to: values.to, limit: values.limit },
    fromApp: (app) => getReportForMaintainers({ db: app.db, window }),
  });
  if (report === null) return 1;
  emit(`${values.json ? JSON.stringify(report, null, 2) : formatReportText(report)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isConfigError(error) ? `Configuration error: ${error.message}` : error);
    process.exit(1);
  },
);

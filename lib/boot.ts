import { existsSync } from 'node:fs';
import path from 'node:path';
import { getApp } from './app';
import { isConfigError, loadConfig, type TConfig } from './config';
import { describeSiteUrlMismatch } from './http/site-url';
import { createPrivacy } from './privacy/mask';
import { recordServerAddress } from './server-record';
import { startTelemetry } from './telemetry/start';
import { warmSitePages } from './docs/site/warm';
import { compareDocsBuild, describeDocsMismatch, fingerprintDocs, readDocsBuildManifest } from './docs/site/build-manifest.mjs';

// Where `next build` wrote the build (distDir is not configured in next.config.mjs) and `next start` serves it from.
const BUILD_DIR = '.next';

/**
 * Why this server must not serve its production build, in one line, or null when it may. Docs pages are
 * generated at build time from the DOCS_DIR of the build, while start-up indexes the DOCS_DIR it is given:
 * other pages would put search results on pages the site does not have. `next dev` renders DOCS_DIR on each
 * request, so there is nothing to compare; neither is there where no build folder sits next to the server
 * (a host that runs the build's functions elsewhere).
 */
export function checkDocsBuild({ config, buildDir = path.resolve(BUILD_DIR) }: { config: TConfig; buildDir?: string }): string | null {
  if (config.env === 'development') return null;
  if (!existsSync(path.join(buildDir, 'BUILD_ID'))) return null;
  const comparison = compareDocsBuild(readDocsBuildManifest(buildDir), fingerprintDocs(config.docsDir));
  return describeDocsMismatch(comparison, { folderExists: existsSync(config.docsDir) });
}

export async function boot(): Promise<void> {
  let config: TConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (isConfigError(error)) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const mismatch = checkDocsBuild({ config });
  if (mismatch) {
    console.error(mismatch);
    process.exit(1);
  }
  // Before the app is built, so that its first work (indexing, syncs, resumed runs) is traced. Nothing is loaded
  // without an OTLP endpoint (lib/telemetry/start.ts).
  const privacy = createPrivacy(config.privacy);
  await startTelemetry({ config: config.telemetry, mask: (text) => privacy.mask(text).text });
  let app: Awaited<ReturnType<typeof getApp>>;
  try {
    app = await getApp();
  } catch (error) {
    // Raised while opening the store (the embedded database's folder in use by another process).
    if (isConfigError(error)) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  app.log.info(
    { store: app.config.store.mode, model: app.model.name, slack: app.config.reviewChannel.mode, session: app.config.session.mode, telemetry: config.telemetry.export ? 'otlp' : 'off' },
    'paste assistant ready',
  );
  // The address the scripts beside this server use for it (lib/server-record.ts), PORT and HOST set for it alone
  // included. A DATA_DIR it cannot write to costs the scripts a guess, not the server its start.
  try {
    recordServerAddress({ dataDir: app.config.dataDir, siteUrl: app.config.siteUrl, listenUrl: app.config.listenUrl });
  } catch (error) {
    app.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not record the server address in DATA_DIR');
  }
  const siteUrlMismatch = describeSiteUrlMismatch(app.config);
  if (siteUrlMismatch) app.log.warn({ siteUrl: app.config.siteUrl, listenUrl: app.config.listenUrl }, siteUrlMismatch);
  // Once this returns the server answers; then it asks itself for a page of each kind, so that no reader's first
  // request waits for a route's code or the docs' navigation. `next dev` compiles a route when it is asked for.
  if (config.env !== 'development') void warmSitePages({ db: app.db, config: app.config, log: app.log });
}

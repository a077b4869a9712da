// `npm start` serves a production build; it builds first when there is none, when the sources are newer than
// it, when it was made from other docs than DOCS_DIR holds now (another folder, or pages added, changed or
// removed: compared by content, lib/docs/site/build-manifest.mjs), or with other audience rules (DOCS_AUDIENCES). The server itself refuses such a build
// (lib/boot.ts); this is what spares `npm start` users that refusal.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { audienceRulesOf, compareDocsBuild, fingerprintDocs, readDocsBuildManifest, reasonToRebuild } from '../lib/docs/site/build-manifest.mjs';
import { resolveDocsDir } from '../lib/docs/folder/files.mjs';
import { loadProjectEnv } from './lib/load-env.mjs';

const buildDir = '.next';
// The docs are not in this list: they are compared by content below, wherever DOCS_DIR points.
const sources = ['pages', 'components', 'lib', 'supabase', 'instrumentation.ts', 'next.config.mjs', 'scripts/build-docs-client.mjs', 'package-lock.json'];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

const buildIdFile = path.join(buildDir, 'BUILD_ID');
const hasBuild = existsSync(buildIdFile);
const builtAt = hasBuild ? statSync(buildIdFile).mtimeMs : 0;
// Read as lib/config.ts reads it in the server started next, which has .env loaded by Next by then.
loadProjectEnv();
const docsDir = resolveDocsDir(process.env.DOCS_DIR, process.cwd());
const manifest = hasBuild ? readDocsBuildManifest(buildDir) : null;
const reason = reasonToRebuild({
  hasBuild,
  changedSources: hasBuild ? sources.filter((entry) => newestMtime(entry) > builtAt) : [],
  comparison: hasBuild ? compareDocsBuild(manifest, fingerprintDocs(docsDir)) : { kind: 'unrecorded' },
  audienceRules: { builtWith: manifest?.audienceRules, given: audienceRulesOf(process.env) },
});
if (reason) {
  console.log(`${reason}: building from ${docsDir}…`);
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  process.exit(result.status ?? 1);
}

import type { TestProject } from 'vitest/node';
import { createPostgresDb } from '@/lib/db/postgres';
import { prepareTemplates } from './pglite-template';
import { startPostgresServer } from './postgres-server';

// One real Postgres server for the whole test run (tests/helpers/postgres-server.ts), with a migrated template
// database; each test that needs Postgres gets a fresh copy of it (tests/helpers/stores.ts). If the server
// cannot start, the run fails here: no test falls back to PGlite silently.

declare module 'vitest' {
  // Declaration merging with vitest's own interface needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export const TEMPLATE_DATABASE = 'paste_template';

export default async function setup(project: TestProject) {
  // The embedded store's migrated database too, made once here (tests/helpers/pglite-template.ts says why).
  await prepareTemplates();
  const server = await startPostgresServer();
  // One line, so a log says which binaries a run used (the OS's, or the npm package's).
  console.log(`Postgres test server: ${server.binaries.label}`);
  const templateUrl = await server.createDatabase(TEMPLATE_DATABASE);
  const db = await createPostgresDb({ connectionString: templateUrl, poolSize: 1 });
  await db.close();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}

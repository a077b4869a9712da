// `npm run api-key -- <command>`: the API keys of the OpenAI-compatible /v1 API, in the configured database.
//
//   create <name> [--audiences a,b]
//                       makes a key and prints it, once: only its SHA-256 is stored. It reads the pages of those
//                       audiences (and the public ones); without --audiences, the public pages only
//   list                the keys: id, name, hint (prefix and last four characters), audiences, created, last used, revoked
//   revoke <id|name>    revokes a key (by id, or by name when one active key has it); /v1 refuses it from then on
//
// Keys in API_KEYS (comma separated) work too and are not listed here. Embedded mode (PGlite): stop the server
// first, as the database is one process's.
import { isAppError } from '@/lib/errors';
import { loadConfig } from '@/lib/config';
import { createKey, listKeys, revokeKey } from '@/lib/v1/keys';
import { openConfiguredDb } from './lib/open-db';
import { scriptSiteUrl } from './lib/server-address';
import { loadProjectEnv } from './lib/load-env.mjs';

const USAGE = 'usage: npm run api-key -- create <name> [--audiences staff,beta] | list | revoke <id|name>';

/** `--audiences a,b` or `--audiences=a,b` out of the arguments: the names, and the rest. null: given without a value. */
function takeAudiences(args: string[]): { audiences: string[]; rest: string[] } | null {
  const rest: string[] = [];
  const audiences: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg !== '--audiences' && !arg.startsWith('--audiences=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--audiences' ? args[(index += 1)] : arg.slice('--audiences='.length);
    if (value === undefined || value.trim() === '') return null;
    audiences.push(...value.split(',').map((name) => name.trim()).filter((name) => name !== ''));
  }
  return { audiences, rest };
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const taken = takeAudiences(args);
  if (!taken || (taken.audiences.length > 0 && command !== 'create')) {
    console.error(USAGE);
    return 2;
  }
  const { audiences, rest } = taken;
  const argument = rest.join(' ').trim();
  if (!command || !['create', 'list', 'revoke'].includes(command) || (command !== 'list' && argument === '')) {
    console.error(USAGE);
    return 2;
  }
  loadProjectEnv();
  const config = loadConfig();
  const db = await openConfiguredDb(config);
  try {
    if (command === 'create') {
      const { key, row } = await createKey({ db, name: argument, audiences });
      const reads = row.audiences.length > 0 ? `the public pages and those of ${row.audiences.join(', ')}` : 'the public pages only';
      console.log(`Created API key ${row.id} (${row.name}), which reads ${reads}. It is shown only now; store it somewhere safe:\n\n${key}\n`);
      const site = scriptSiteUrl(config);
      console.log(`Use it as an OpenAI SDK's apiKey, with baseURL ${site.url}/v1.`);
      if (site.assumption) console.log(`(${site.assumption})`);
    } else if (command === 'list') {
      const keys = await listKeys({ db });
      if (keys.length === 0) console.log('No API keys in the database (keys in API_KEYS are not listed).');
      for (const key of keys) {
        const state = key.revoked_at ? `revoked ${key.revoked_at}` : 'active';
        const audienceList = key.audiences.length > 0 ? `audiences ${key.audiences.join(',')}` : 'public only';
        console.log(`${key.id}  ${key.name}  ${key.key_hint}  ${audienceList}  created ${key.created_at}  last used ${key.last_used_at ?? 'never'}  ${state}`);
      }
    } else {
      const key = await revokeKey({ db, key: argument });
      console.log(`Revoked ${key.id} (${key.name}) at ${key.revoked_at}.`);
    }
    return 0;
  } catch (error) {
    if (isAppError(error) && error.status < 500) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

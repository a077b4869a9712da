import { rmSync } from 'node:fs';
import { startNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../../helpers/pglite-template';

// A production server (`next start`) on a free 127.0.0.1 port with a temp DATA_DIR, in the embedded defaults:
// offline model, Slack off, PGlite. Keys present in the environment running the tests are blanked so that
// the browser tests never reach a real model or Slack. The DATA_DIR starts with the migrated database (the first
// boot's migrations are the production tier's and the integration tier's to prove), which saves each server seconds.

export const OFFLINE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_API_STYLE: '',
  OPENAI_MODEL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  SESSION_SECRET: '',
};

export type TE2eServer = { url: string; stop(): Promise<void> };

export async function startE2eServer(env: Record<string, string> = {}): Promise<TE2eServer> {
  const server = await startNextServer({ dataDir: await createSeededDataDir('pa-e2e-'), env: { ...OFFLINE_ENV, ...env } });
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as { modes?: { model?: string; slack?: string } };
  if (health.modes?.model !== 'offline' || health.modes.slack !== 'disabled') {
    await server.stop();
    throw new Error(`The e2e server must run offline with Slack off: ${JSON.stringify(health)}`);
  }
  return {
    url: server.url,
    async stop() {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

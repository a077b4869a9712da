import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../../helpers/pglite-template';
import { startFakeModel, type TFakeModel } from './fake-model';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, startFakeSlack, type TFakeSlack } from './fake-slack';

// The production tier runs against what users run: `next start` of the production build (`npm run build`
// first), each server with its own temp DATA_DIR (real PGlite), a fake Chat Completions server and a fake Slack
// on 127.0.0.1. Started once for the whole tier:
//   - "main": the model is the fake model as a Chat Completions server (OPENAI_BASE_URL, chat style, no key:
//     Ollama-like), Slack is the fake Slack, the session secret is known to the tests (they sign maintainer
//     links with it), limits are generous, and two /v1 API keys are set (API_KEYS);
//   - "strict": the fake model as OpenAI's Responses API (OPENAI_API_KEY + OPENAI_BASE_URL: also docs
//     embeddings), tight limits (4 requests a minute per session, 1 message an hour per session) and
//     MODEL_TIMEOUT_SECONDS=1, for the 429s, the model timeout and the Responses adapter. Each test there uses
//     fresh sessions. Moderation is off on both (it would call OpenAI itself).
// "main" starts on an empty DATA_DIR, as a first deployment does: the production build applies every migration.
// The other servers of the tier (here and in its files) start on a DATA_DIR holding the migrated database
// (tests/helpers/pglite-template.ts), which spares each the same seconds of migrations.
// At the end, anything the servers logged at error level fails the run (see the teardown).

declare module 'vitest' {
  // Module augmentation needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    mainUrl: string;
    strictUrl: string;
    modelControlUrl: string;
    slackControlUrl: string;
    sessionSecret: string;
  }
}

/** Known to the tests, so that they can build the signed maintainer links Slack carries. */
export const PRODUCTION_SESSION_SECRET = 'production-tier-session-secret-0123456789';
/** Not the address the servers listen on: links in Slack are built from it, and writes from it are same-origin. */
export const PRODUCTION_SITE_URL = 'http://docs.example.test';
/** Two-way Slack and the dashboard's token on the main server. */
export const PRODUCTION_SLACK_SIGNING_SECRET = 'production-tier-slack-signing-secret';
export const PRODUCTION_MAINTAINER_TOKEN = 'production-tier-maintainer-token';
export const STRICT_BURST = 4;
export const STRICT_API_KEY = 'sk-production-tier-responses-key';
export const STRICT_BURST_SECONDS = 60;
/** The /v1 API keys of the main server (API_KEYS): two, so that a test can check one key cannot see the other's objects. */
export const PRODUCTION_API_KEYS = ['pa-sk-production-tier-key-a-0123456789', 'pa-sk-production-tier-key-b-0123456789'] as const;

// Whatever the environment running the tests holds, the servers never reach a real model, Supabase or Slack.
const ISOLATED_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  OPENAI_MODEL: 'fake-model',
  OPENAI_EMBEDDING_MODEL: 'fake-embedding',
  OPENAI_MAX_RETRIES: '1',
  OPENAI_RETRY_BASE_MS: '10',
  OPENAI_TIMEOUT_MS: '30000',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  SESSION_SECRET: PRODUCTION_SESSION_SECRET,
  SITE_URL: PRODUCTION_SITE_URL,
  MODERATION: 'off',
  LOG_LEVEL: 'warn',
};

export function assertProductionBuild(root = process.cwd()): void {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error(
      'The production tier tests `next start` of a production build, and there is none (.next/BUILD_ID is missing). ' +
        'Run `npm run build` first, then `npm run test:production`.',
    );
  }
}

export default async function setup(project: TestProject) {
  assertProductionBuild();
  const servers: TNextServer[] = [];
  const serverErrors: string[] = [];
  let model: TFakeModel | undefined;
  let slack: TFakeSlack | undefined;
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    for (const server of servers) rmSync(server.dataDir, { recursive: true, force: true });
    await model?.close();
    await slack?.close();
  };
  try {
    model = await startFakeModel();
    slack = await startFakeSlack();
    const [main, strict] = await Promise.all([
      startNextServer({
        env: {
          ...ISOLATED_ENV,
          OPENAI_BASE_URL: model.url,
          OPENAI_API_STYLE: 'chat',
          OPENAI_API_KEY: '',
          SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN,
          SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL,
          SLACK_API_URL: slack.apiUrl,
          SLACK_SIGNING_SECRET: PRODUCTION_SLACK_SIGNING_SECRET,
          MAINTAINER_TOKEN: PRODUCTION_MAINTAINER_TOKEN,
          MESSAGE_WAIT_SECONDS: '10',
          MODEL_TIMEOUT_SECONDS: '60',
          RATE_LIMIT_BURST: '100000',
          RATE_LIMIT_IP_BURST: '100000',
          RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
          RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
          API_KEYS: PRODUCTION_API_KEYS.join(','),
        },
      }).then((server) => (servers.push(server), collectErrors(server, 'main', serverErrors), server)),
      startNextServer({
        dataDir: await createSeededDataDir('pa-production-'),
        env: {
          ...ISOLATED_ENV,
          OPENAI_BASE_URL: model.url,
          OPENAI_API_STYLE: 'responses',
          OPENAI_API_KEY: STRICT_API_KEY,
          SLACK_BOT_TOKEN: '',
          SLACK_CHANNEL_ID: '',
          SLACK_API_URL: '',
          SLACK_SIGNING_SECRET: '',
          MAINTAINER_TOKEN: '',
          MESSAGE_WAIT_SECONDS: '10',
          MODEL_TIMEOUT_SECONDS: '1',
          RATE_LIMIT_BURST: String(STRICT_BURST),
          RATE_LIMIT_BURST_SECONDS: String(STRICT_BURST_SECONDS),
          RATE_LIMIT_IP_BURST: '100000',
          RATE_LIMIT_MESSAGES_PER_HOUR: '1',
          RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
        },
      }).then((server) => (servers.push(server), collectErrors(server, 'strict', serverErrors), server)),
    ]);
    project.provide('mainUrl', main.url);
    project.provide('strictUrl', strict.url);
    project.provide('modelControlUrl', model.controlUrl);
    project.provide('slackControlUrl', slack.controlUrl);
    project.provide('sessionSecret', PRODUCTION_SESSION_SECRET);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return async () => {
    await stopAll();
    // No request of the tier may make a server log an error: a 500, a crashed run step, a failed event stream.
    // Expected failures (a model error, a 4xx) are logged below error level.
    // Thrown here, vitest would print the error and still exit 0: the exit code is set by hand.
    if (serverErrors.length > 0) {
      console.error(`\nFAILED: the servers logged ${serverErrors.length} error(s) during the tier:\n${serverErrors.join('\n')}\n`);
      process.exitCode = 1;
    }
  };
}

/**
 * Lines the server logged at error level or above (pino's JSON on stdout, level >= 50), and anything written to
 * stderr that is not pino's JSON below error level (console.error, a crash). Next's own plain stdout is ignored.
 */
function collectErrors(server: TNextServer, name: string, into: string[]) {
  const follow = (stream: NodeJS.ReadableStream | null, isStderr: boolean) => {
    let buffer = '';
    stream?.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        let level: number | undefined;
        try {
          level = (JSON.parse(line) as { level?: number }).level;
        } catch {
          // Not pino's JSON.
        }
        if (level === undefined ? isStderr : level >= 50) into.push(`[${name}] ${line.slice(0, 2000)}`);
      }
    });
  };
  follow(server.process.stdout, false);
  follow(server.process.stderr, true);
}

// `npm run fake -- KIND [options]`: one of the fake servers the tests use, on 127.0.0.1 until Ctrl-C, so that a team
// can try a source or a door without an account. It prints its URL, then the variables that point the app at it
// (KEY=value lines, for .env or the environment of `npm start`). The servers are the tests' own (tests/helpers,
// tests/production/helpers, scripts/lib/fake-model-server.ts), not copies.
//
//   github [--corpus DIR] [--repo owner/name] [--handoff-repo owner/name]
//                                             GitHub's REST API (and the GraphQL it is asked) serving DIR's
//                                             issues.json and comments.json (and discussions.json, releases.json
//                                             when there), as the corpus ../shared/corpora/paste-github has them,
//                                             as --repo (default twilio-labs/paste); and an empty repository
//                                             (--handoff-repo, default acme/docs-questions) where hand-offs open
//                                             their issues (content/docs/guides/handoffs.mdx, "Try it locally"):
//                                             it prints HANDOFF_TO, HANDOFF_GITHUB_REPO and a GITHUB_WEBHOOK_SECRET
//                                             for `npm run handoff:reply` to sign a maintainer's reply with. What
//                                             the app opens has its address on the fake, and opens there
//   slack                                     Slack's Web API (chat.postMessage, chat.update, users.info); the calls
//                                             it took: GET its /__control/calls
//   discord                                   Discord's API for the answers the app posts (interactions still come
//                                             from Discord, signed: content/docs/guides/discord.mdx)
//   model                                     a Chat Completions server whose answers are filler citing a section
//   --port N                                  listen on N (default: a free port)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, startFakeDiscord } from '../tests/helpers/fake-discord';
import { startFakeGithub, type TFakeRepo } from '../tests/helpers/fake-github';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, startFakeSlack } from '../tests/production/helpers/fake-slack';
import { startFakeModelServer } from './lib/fake-model-server';

const USAGE = 'usage: npm run fake -- github [--corpus DIR] [--repo owner/name] [--handoff-repo owner/name] | slack | discord | model   [--port N]';
/** The webhook secret the fake GitHub suggests: the app checks replies with it, npm run handoff:reply signs with it. */
const FAKE_WEBHOOK_SECRET = 'fake-github-webhook-secret-0123456789';
const FAKE_DISCORD_APPLICATION_ID = '1200000000000000001';

/** `more`: further variables, printed under their own comment line (what they turn on). */
type TStarted = { url: string; what: string; env: Record<string, string>; more?: { about: string; env: Record<string, string> }; close(): Promise<void> };

/** A corpus folder as a fake repository: issues.json and comments.json, with discussions and releases when there. */
function readCorpus(dir: string): TFakeRepo {
  const read = <T>(name: string): T | undefined => {
    const file = path.join(dir, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
  };
  const issues = read<TFakeRepo['issues']>('issues.json');
  if (!issues) throw new Error(`${dir} has no issues.json (a corpus folder holds issues.json and comments.json)`);
  const discussions = read<NonNullable<TFakeRepo['discussions']>>('discussions.json');
  return { issues, comments: read<TFakeRepo['comments']>('comments.json') ?? {}, discussions, hasDiscussions: discussions !== undefined, releases: read('releases.json') };
}

async function start(kind: string, values: { corpus?: string; repo?: string; 'handoff-repo'?: string }, port: number): Promise<TStarted> {
  switch (kind) {
    case 'github': {
      const repo = values.repo ?? 'twilio-labs/paste';
      const handoffRepo = values['handoff-repo'] ?? 'acme/docs-questions';
      if (!/^[\w.-]+\/[\w.-]+$/.test(handoffRepo)) throw new Error(`--handoff-repo takes owner/name, not "${handoffRepo}"`);
      const data = values.corpus ? readCorpus(path.resolve(values.corpus)) : null;
      const fake = await startFakeGithub({ repos: { ...(data ? { [repo]: data } : {}), [handoffRepo]: { issues: [], comments: {} } }, port });
      return {
        url: fake.url,
        what: `${data ? `GitHub's API with ${data.issues.length} issues and pull requests of ${repo}, and ` : "GitHub's API with "}${handoffRepo} for hand-offs`,
        env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'fake-github-token', ...(data ? { GITHUB_REPOS: repo } : {}) },
        more: {
          about: `Hand-offs to the maintainers open their issues in ${handoffRepo} here; npm run handoff:reply signs a maintainer's reply with the secret:`,
          env: { HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: handoffRepo, GITHUB_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET },
        },
        close: fake.close,
      };
    }
    case 'slack': {
      const fake = await startFakeSlack({ port });
      return {
        url: fake.apiUrl,
        what: `Slack's Web API (the calls it took: GET ${fake.controlUrl}/calls; the posts' links follow SITE_URL)`,
        env: { SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN, SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL },
        close: fake.close,
      };
    }
    case 'discord': {
      const fake = await startFakeDiscord({ applicationId: FAKE_DISCORD_APPLICATION_ID, port });
      const keys = createDiscordKeys();
      return {
        url: fake.apiUrl,
        what: "Discord's API for the answers the app writes (interactions must come signed with the application's key)",
        env: { DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: FAKE_DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY: keys.publicKey },
        close: fake.close,
      };
    }
    case 'model': {
      const server = await startFakeModelServer({ ttftMs: 20, tokensPerSecond: 2000, answerTokens: 40, port });
      return {
        url: server.url,
        what: 'a Chat Completions model (filler answers citing the first section found)',
        env: { OPENAI_BASE_URL: server.url, OPENAI_API_STYLE: 'chat' },
        close: server.close,
      };
    }
    default:
      throw new Error(kind ? `no fake "${kind}"\n${USAGE}` : USAGE);
  }
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { corpus: { type: 'string' }, repo: { type: 'string' }, 'handoff-repo': { type: 'string' }, port: { type: 'string', default: '0' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port takes a port number, not "${values.port}"`);
  const started = await start(positionals[0] ?? '', values, port);
  console.log(`fake ${positionals[0]} on ${started.url}: ${started.what}. Ctrl-C stops it.`);
  console.log('Point the app at it (in .env, or the environment of npm start):');
  for (const [name, value] of Object.entries(started.env)) console.log(`${name}=${value}`);
  if (started.more) {
    console.log(`# ${started.more.about}`);
    for (const [name, value] of Object.entries(started.more.env)) console.log(`${name}=${value}`);
  }
  const stop = () => void started.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

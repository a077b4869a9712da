// `npm run handoff:reply -- ISSUE "REPLY" [--site URL] [--login NAME] [--association MEMBER]`: what GitHub sends the
// site when a maintainer comments on a hand-off's issue, to try the reply path without GitHub
// (content/docs/guides/handoffs.mdx, "Try it locally"). An `issue_comment` delivery (action `created`, the comment
// by NAME with author_association MEMBER, or OWNER, COLLABORATOR, NONE… to see who is not a maintainer), signed with
// GITHUB_WEBHOOK_SECRET as GitHub signs it (X-Hub-Signature-256: HMAC-SHA256 of the body), POSTed to the site's
// /api/github/webhook; it prints what the site answered.
//
//   ISSUE     the issue's address as the panel's "Open the issue" links it (…/owner/name/issues/7), or its number in
//             HANDOFF_GITHUB_REPO
//   --site    the running site (default: SITE_URL, else http://localhost:PORT, as the server composes it)
//
// Reads the configuration as the server does (.env, then the environment): GITHUB_WEBHOOK_SECRET and
// HANDOFF_GITHUB_REPO. `npm run fake -- github` prints both.
import { randomInt, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '@/lib/config';
import { signGithubPayload } from '@/lib/handoff/replies';
import { loadProjectEnv } from './lib/load-env.mjs';

const USAGE = 'usage: npm run handoff:reply -- ISSUE "REPLY" [--site URL] [--login NAME] [--association MEMBER]';

/** The repository and number an issue's address or number names. */
function issueOf(given: string, handoffRepo: string | null): { repo: string; number: number } {
  const fromUrl = /\/([^/\s]+)\/([^/\s]+)\/(?:issues|discussions)\/(\d+)\/?(?:[?#].*)?$/.exec(given);
  if (fromUrl) return { repo: `${fromUrl[1]}/${fromUrl[2]}`, number: Number(fromUrl[3]) };
  if (/^#?\d+$/.test(given)) {
    if (!handoffRepo) throw new Error('ISSUE is a number, but HANDOFF_GITHUB_REPO is not set: give the issue’s address instead');
    return { repo: handoffRepo, number: Number(given.replace('#', '')) };
  }
  throw new Error(`ISSUE must be the issue's address (…/owner/name/issues/7) or its number, not "${given}"\n${USAGE}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { site: { type: 'string' }, login: { type: 'string', default: 'maintainer' }, association: { type: 'string', default: 'MEMBER' } },
  });
  const [given, text] = positionals;
  if (!given || !text || positionals.length > 2) {
    console.error(USAGE);
    return 2;
  }
  loadProjectEnv();
  const config = loadConfig();
  const secret = config.handoff?.webhookSecret;
  if (!secret) {
    console.error('GITHUB_WEBHOOK_SECRET is not set: the site refuses unsigned deliveries. Set it as the site has it (npm run fake -- github prints one).');
    return 2;
  }
  const github = config.handoff?.github;
  const { repo, number } = issueOf(given, github ? `${github.owner}/${github.name}` : null);
  const site = (values.site ?? config.siteUrl).replace(/\/+$/, '');
  const body = JSON.stringify({
    action: 'created',
    issue: { number },
    comment: { id: randomInt(1, 2 ** 47), body: text, author_association: values.association!.toUpperCase(), user: { login: values.login, type: 'User' } },
    repository: { full_name: repo },
  });
  const delivery = randomUUID();
  const response = await fetch(`${site}/api/github/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signGithubPayload(secret, body),
    },
    body,
  });
  const answer = await response.text();
  console.log(`POST ${site}/api/github/webhook (issue_comment on ${repo}#${number} by ${values.login}, ${values.association!.toUpperCase()}; delivery ${delivery}): ${response.status} ${answer}`);
  if (response.ok && answer.includes('"outcome":"reply"')) console.log('The reply is in the reader’s conversation.');
  return response.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run fake -- KIND`: each fake server the tests use, started on its own, prints its URL and the variables that
// point the app at it, and answers as the service it plays. The fakes run as a team would run them: the script in a
// process of its own, reached over HTTP.

const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts `scripts/fake.ts args`, and resolves with the variables it printed once it printed them all. */
function startFake(args: string[]): Promise<{ firstLine: string; env: Record<string, string> }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/fake.ts'), ...args], { cwd: ROOT, env: { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`fake ${args[0]} exited ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      const pointAt = lines.findIndex((line) => line.startsWith('Point the app at it'));
      const env = Object.fromEntries(lines.slice(pointAt + 1).filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      const expected = { github: 6, slack: 3, discord: 4, model: 2 }[args[0] as 'github'];
      if (pointAt > 0 && Object.keys(env).length === expected) resolve({ firstLine: lines[0]!, env });
    });
  });
}

describe('npm run fake', () => {
  it('starts the fake GitHub, Slack, Discord and model servers, each printing its URL and env, and each answers', async () => {
    const [github, slack, discord, model] = await Promise.all([
      startFake(['github', '--corpus', 'tests/fixtures/github', '--repo', 'acme/widgets']),
      startFake(['slack']),
      startFake(['discord']),
      startFake(['model']),
    ]);

    expect(github.firstLine).toMatch(/^fake github on http:\/\/127\.0\.0\.1:\d+: GitHub's API with \d+ issues and pull requests of acme\/widgets/);
    expect(github.env.GITHUB_REPOS).toBe('acme/widgets');
    // Hand-offs' repository too (content/docs/guides/handoffs.mdx, "Try it locally").
    expect(github.env).toMatchObject({ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'acme/docs-questions', GITHUB_WEBHOOK_SECRET: expect.any(String) });
    const issues = await fetch(`${github.env.GITHUB_API_URL}/repos/acme/widgets/issues?state=all`, { headers: { authorization: `token ${github.env.GITHUB_TOKEN}` } });
    expect(issues.status).toBe(200);
    expect(((await issues.json()) as unknown[]).length).toBeGreaterThan(0);

    expect(slack.firstLine).toContain(slack.env.SLACK_API_URL);
    const posted = await fetch(`${slack.env.SLACK_API_URL}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.env.SLACK_BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: slack.env.SLACK_CHANNEL_ID!, text: 'hello' }),
    });
    expect(await posted.json()).toMatchObject({ ok: true, channel: slack.env.SLACK_CHANNEL_ID });

    expect(discord.env.DISCORD_PUBLIC_KEY).toMatch(/^[0-9a-f]{64}$/);
    const message = await fetch(`${discord.env.DISCORD_API_URL}/channels/1300000000000000001/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${discord.env.DISCORD_BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'hello' }),
    });
    expect(message.ok).toBe(true);
    expect(await message.json()).toMatchObject({ content: 'hello' });

    expect(model.env.OPENAI_API_STYLE).toBe('chat');
    const completion = await fetch(`${model.env.OPENAI_BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'A title for: how do I add a button?' }], stream: true }),
    });
    expect(completion.status).toBe(200);
    expect(await completion.text()).toContain('chat.completion');
  });
});

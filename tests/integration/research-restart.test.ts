import { afterEach, describe, expect, it } from 'vitest';
import { createApp, startApp, type TApp } from '@/lib/app';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { parseConfig } from '@/lib/config';
import { createThread } from '@/lib/db/threads';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { FIXTURE_DOCS_DIR, TEST_SESSION_SECRET } from '../helpers/app';
import { startChatServer, type TChatServer, type TMessage } from '../helpers/chat-server';
import { waitUntil } from '../helpers/models';
import { seedDataDir } from '../helpers/pglite-template';
import { querySql } from '../helpers/stores';

// A research run with a scripted model (issue 71) across a restart and a stop. The model answers its first step at
// once and holds the second (a model taking its time) for as long as the test needs: meanwhile the process closes, or
// the reader stops the run. A run left by a closed process is resumed by the next process of the same DATA_DIR from the
// step it had reached (its first searches are not asked again) and answers once, citing only what it read; a stopped
// run stays stopped, through a restart too.

const OWNER = 'owner_research_restart_aaaa';
const QUESTION = 'How do I get pinged in Slack?';
const REWRITTEN = ['Slack bot token scope', 'Slack channel id invite'];

const apps: TApp[] = [];
let model: TChatServer | undefined;
let release: () => void = () => {};

afterEach(async () => {
  release();
  for (const app of apps.splice(0)) await app.db.close();
  await model?.close();
  model = undefined;
});

/** The research model of research-model.test.ts: rewritten searches, a read, then the answer when tools run out. */
async function startResearchModel({ isHolding }: { isHolding: () => boolean }): Promise<TChatServer> {
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const rounds = (messages: TMessage[]) => messages.filter((message) => message.role === 'assistant' && message.tool_calls).length;
  return startChatServer({
    hold: ({ messages }) => (rounds(messages) === 1 && isHolding() ? held : undefined),
    script: ({ messages, hasTools }) => {
      if (!hasTools) return { text: 'Invite the bot to the channel ([Choosing the channel](/docs/guides/slack#choosing-the-channel)). A destructive button warns ([Destructive button](/docs/guides/buttons#destructive-button)).' };
      const done = rounds(messages);
      if (done === 0) return { calls: REWRITTEN.map((prompt) => ({ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) })) };
      if (done === 1) return { calls: [{ name: 'read_page', arguments: JSON.stringify({ url: '/docs/guides/slack' }) }] };
      return { calls: [{ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: `Slack notifications ${done}` }) }] };
    },
  });
}

async function openApp(dataDir: string, modelUrl: string): Promise<TApp> {
  const app = await createApp(
    parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DOCS_DIR: FIXTURE_DOCS_DIR,
      SESSION_SECRET: TEST_SESSION_SECRET,
      MODERATION: 'off',
      OPENAI_BASE_URL: modelUrl,
      OPENAI_MODEL: 'local-model',
      OPENAI_RETRY_BASE_MS: '1',
      RESEARCH_MAX_STEPS: '4',
      // A lease far longer than the test: only the next process's resume at boot can finish the run in time.
      RUN_LEASE_SECONDS: '600',
    }),
  );
  apps.push(app);
  await startApp(app);
  return app;
}

type TRunState = { status: string; tool_rounds: { tool_calls: { function: { name: string; arguments: string } }[] }[] };
const runState = async (app: TApp, runId: string) =>
  (await querySql<TRunState>(app.db, 'select status, tool_rounds from assistant_run where id = $1', [runId])).rows[0] as TRunState;
const answersIn = async (app: TApp, threadId: string) =>
  (await querySql<{ content: unknown; metadata: Record<string, unknown> }>(app.db, "select content, metadata from assistant_message where thread_id = $1 and role = 'assistant'", [threadId])).rows;
/** The model requests of this question's run that have reached its second step (one tool round done). */
const secondSteps = (server: TChatServer) =>
  server.requests.filter((request) => request.body.messages.filter((message: TMessage) => message.role === 'assistant' && message.tool_calls).length === 1);

async function startResearch(app: TApp) {
  const thread = await createThread({ db: app.db, owner: OWNER, metadata: {} });
  const { run } = await app.engine.startRun({ access: PUBLIC_ACCESS, owner: OWNER, threadId: thread.id, text: QUESTION, mode: 'research' });
  return { threadId: thread.id, runId: run.id };
}

describe('a research run with a scripted model, across a restart and a stop', () => {
  it('is resumed by the next process from the step it reached, and answers once, citing only what it read', async () => {
    const dataDir = await seedDataDir(makeTempDir('pa-research-restart-'));
    let isHolding = true;
    model = await startResearchModel({ isHolding: () => isHolding });
    const first = await openApp(dataDir, model.url);
    const { threadId, runId } = await startResearch(first);
    // The first step's searches are recorded; the second step is with the model when the process closes. The tool
    // round is recorded while the model works on the next step (the pipelined round: engine/pipeline.ts), so the
    // model may see that step before the record is written: wait for both.
    await waitUntil(async () => secondSteps(model!).length === 1 && (await runState(first, runId)).tool_rounds.length === 1, 20_000);
    expect((await runState(first, runId)).tool_rounds).toHaveLength(1);
    apps.splice(apps.indexOf(first), 1);
    await first.db.close();

    isHolding = false;
    const second = await openApp(dataDir, model.url);
    await waitUntil(async () => (await runState(second, runId)).status === 'completed', 30_000);
    const { tool_rounds: rounds } = await runState(second, runId);
    const calls = rounds.map((round) => round.tool_calls.map((call) => `${call.function.name} ${JSON.parse(call.function.arguments).prompt ?? JSON.parse(call.function.arguments).url}`));
    // The searches of the first step once (not asked again after the restart), then the read, then the search the bound ended.
    expect(calls).toEqual([REWRITTEN.map((query) => `get_relevant_docs ${query}`), ['read_page /docs/guides/slack'], ['get_relevant_docs Slack notifications 2']]);
    expect(model.requests.filter((request) => request.body.messages.every((message: TMessage) => message.role !== 'assistant'))).toHaveLength(1);
    // One answer, its citations only what the run read.
    const answers = await answersIn(second, threadId);
    expect(answers).toHaveLength(1);
    const [part] = answers[0]!.content as { text: { value: string; annotations: { url: string }[] } }[];
    expect(part!.text.value).toContain('[Choosing the channel](/docs/guides/slack#choosing-the-channel)');
    expect(part!.text.value).toContain('A destructive button warns (Destructive button)');
    expect(part!.text.annotations.map((annotation) => annotation.url)).toEqual(['/docs/guides/slack#choosing-the-channel']);
    expect(answers[0]!.metadata.research).toBe(true);
  });

  it('stays stopped when the reader stops it mid-way, through a restart too', async () => {
    const dataDir = await seedDataDir(makeTempDir('pa-research-stop-'));
    model = await startResearchModel({ isHolding: () => true });
    const first = await openApp(dataDir, model.url);
    const { threadId, runId } = await startResearch(first);
    await waitUntil(async () => secondSteps(model!).length === 1, 20_000);
    const stopped = await first.engine.cancelRun({ owner: OWNER, threadId, runId });
    expect(['cancelling', 'cancelled']).toContain(stopped.status);
    await waitUntil(async () => (await runState(first, runId)).status === 'cancelled', 20_000);
    // The model's late answer to the step it was holding changes nothing.
    release();
    const requestsBefore = model.requests.length;
    apps.splice(apps.indexOf(first), 1);
    await first.db.close();

    const second = await openApp(dataDir, model.url);
    // The next process's boot resumed the previous process's runs (startApp awaits it): a stopped run is not one of
    // them, and a sweep finds nothing to move either.
    expect((await runState(second, runId)).status).toBe('cancelled');
    expect(await second.engine.resumeOrphanedRuns({ isSoleProcess: true })).toBe(0);
    expect(await answersIn(second, threadId)).toHaveLength(0);
    expect(model.requests.length).toBe(requestsBefore);
  });
});

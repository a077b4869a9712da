import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TCluster } from '@/scripts/lib/cluster';
import { SEARCHING_TEXT } from '@/lib/chat-doors/doors/slack/style';
import type { TFakeSlackCall } from './helpers/fake-slack';
import { startFakeModel, type TFakeModel } from './helpers/fake-model';
import { PRODUCTION_SITE_URL } from './helpers/global-setup';
import { BOT_USER, mentionEvent, postSlackEvent, reactionEvent, repliesIn, shownText, threadMessageEvent, waitFor } from '../helpers/slack-events';
import type { TModelRequest } from './helpers/tier';
import { SLACK_INBOX } from '../helpers/chat-inbox';

// Answers in Slack on the Postgres store with two `next start` instances (scripts/lib/cluster.ts): Slack delivers
// an event to either instance, as often as it likes; exactly one answers. One instance is SIGKILLed mid-answer
// and the other finishes the answer. Slack and the model are faked on 127.0.0.1; the database is read directly.

const SECRET = 'scale-tier-slack-signing-secret-0123';
const SOURCES = /\*Sources:\* <http:\/\/docs\.example\.test\/docs\/[^|>]+\|[^>]+>/;

let cluster: TCluster;
let model: TFakeModel;
let db: pg.Pool;

beforeAll(async () => {
  model = await startFakeModel();
  cluster = await startCluster({
    count: 2,
    env: {
      SITE_URL: PRODUCTION_SITE_URL,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_STYLE: 'chat',
      OPENAI_MODEL: 'fake-model',
      SLACK_SIGNING_SECRET: SECRET,
      // A killed instance's runs and questions are taken over after this.
      RUN_LEASE_SECONDS: '3',
      RUN_SWEEP_SECONDS: '1',
    },
  });
  db = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
}, 180_000);

afterAll(async () => {
  await db?.end();
  await cluster?.stop();
  await model?.close();
}, 60_000);

const instance = (index: number) => cluster.instances[index]!.url;
const calls = async () => ((await (await fetch(`${cluster.slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls;
const modelRequests = async () => ((await (await fetch(`${model.controlUrl}/requests`)).json()) as { requests: TModelRequest[] }).requests;
let channels = 0;
const newChannel = () => `C0SCALE${(channels += 1)}`;

async function answered(channel: string, threadTs: string, index = 0) {
  const all = await waitFor(
    calls,
    (current) => {
      const reply = repliesIn(current, channel, threadTs)[index];
      const text = reply?.postedTs ? shownText(current, channel, reply.postedTs) : null;
      return text !== null && SOURCES.test(text) && !text.includes('Writing…');
    },
    45_000,
    `reply ${index} in ${channel}`,
  );
  const reply = repliesIn(all, channel, threadTs)[index]!;
  return { all, reply, text: shownText(all, channel, reply.postedTs!) as string };
}

describe('answers in Slack, two instances on one Postgres', () => {
  it('answers an event delivered three times, to both instances, exactly once', async () => {
    const channel = newChannel();
    const question = mentionEvent({ channel, user: 'U0ASKER', text: 'How do I configure Slack?' });
    const threadTs = question.event.ts as string;
    const deliveries = await Promise.all([
      postSlackEvent(instance(0), question, { secret: SECRET }),
      postSlackEvent(instance(1), question, { secret: SECRET, headers: { 'x-slack-retry-num': '1' } }),
      postSlackEvent(instance(0), question, { secret: SECRET, headers: { 'x-slack-retry-num': '2' } }),
    ]);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const { reply, text } = await answered(channel, threadTs);
    expect(reply.text).toBe(SEARCHING_TEXT);
    expect(text).toMatch(/^The docs explain this in <http:\/\/docs\.example\.test\/docs\//);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(repliesIn(await calls(), channel, threadTs)).toHaveLength(1);
    const rows = await db.query(`select status, outcome from ${SLACK_INBOX} slack_inbox where channel_id = $1`, [channel]);
    expect(rows.rows).toEqual([{ status: 'done', outcome: 'answered' }]);
  });

  it('answers a follow-up on the other instance with the first question in the conversation', async () => {
    const channel = newChannel();
    const first = `How do I configure Slack? (${channel})`;
    const question = mentionEvent({ channel, user: 'U0ASKER', text: first });
    const threadTs = question.event.ts as string;
    await postSlackEvent(instance(0), question, { secret: SECRET });
    await answered(channel, threadTs);
    const followUp = `Where is the signing secret? (${channel})`;
    await postSlackEvent(instance(1), threadMessageEvent({ channel, user: 'U0ASKER', text: followUp, threadTs }), { secret: SECRET });
    await answered(channel, threadTs, 1);
    const asked = (await modelRequests()).filter((request) => request.question === followUp && request.kind !== 'title');
    expect(asked[0]?.userMessages).toEqual([first, followUp]);
  });

  it('acknowledges at once on either instance while the model holds its answer', async () => {
    const channel = newChannel();
    const key = `scale${Date.now().toString(36)}`;
    const question = mentionEvent({ channel, user: 'U0ASKER', text: `How do I configure Slack? [[model:hold:${key}]]` });
    const acks = [await postSlackEvent(instance(1), question, { secret: SECRET }), await postSlackEvent(instance(0), question, { secret: SECRET })];
    expect(acks.map((ack) => ack.status)).toEqual([200, 200]);
    for (const ack of acks) expect(ack.ms).toBeLessThan(3000);
    await waitFor(modelRequests, (requests) => requests.some((request) => request.question.includes(key)), 20_000, 'the held model request');
    expect((await fetch(`${model.controlUrl}/release/${key}`, { method: 'POST' })).status).toBe(200);
    await answered(channel, question.event.ts as string);
  });

  it('changes nothing for bots and for unsigned or stale callbacks, and takes a reaction as a vote', async () => {
    const channel = newChannel();
    const question = mentionEvent({ channel, user: 'U0ASKER', text: 'How do I configure Slack?' });
    const threadTs = question.event.ts as string;
    await postSlackEvent(instance(0), question, { secret: SECRET });
    const { reply } = await answered(channel, threadTs);
    const bot = mentionEvent({ channel, user: 'U0SOMEBOT', text: 'a bot' });
    (bot.event as Record<string, unknown>).bot_id = 'B0SOMEBOT';
    await postSlackEvent(instance(1), bot, { secret: SECRET });
    await postSlackEvent(instance(0), mentionEvent({ channel, user: BOT_USER, text: 'itself' }), { secret: SECRET });
    await postSlackEvent(instance(1), threadMessageEvent({ channel, user: 'U0ASKER', text: 'a bot post', threadTs, botId: 'B0X' }), { secret: SECRET });
    const stranger = mentionEvent({ channel, user: 'U0ASKER', text: 'forged' });
    expect((await postSlackEvent(instance(0), stranger, { secret: 'forged-secret-forged-secret-0000' })).status).toBe(401);
    expect((await postSlackEvent(instance(1), stranger, { secret: SECRET, ageSeconds: 400 })).status).toBe(401);
    const inbox = await db.query(`select count(*)::int as n from ${SLACK_INBOX} slack_inbox where channel_id = $1`, [channel]);
    expect(inbox.rows[0].n).toBe(1);

    expect((await postSlackEvent(instance(1), reactionEvent({ channel, user: 'U0READER', reaction: '+1', ts: reply.postedTs! }), { secret: SECRET })).status).toBe(200);
    const votes = await db.query(
      `select v.owner, v.vote from message_vote v join ${SLACK_INBOX} q on q.run_id = (select run_id from assistant_message where id = v.message_id)
       where q.channel_id = $1`,
      [channel],
    );
    expect(votes.rows).toEqual([{ owner: 'slack:T0PRODTIER:U0READER', vote: 'up' }]);
    expect(repliesIn(await calls(), channel, threadTs)).toHaveLength(1);
  });

  it('finishes an answer on the other instance when the one writing it is SIGKILLed', async () => {
    const channel = newChannel();
    const question = mentionEvent({ channel, user: 'U0ASKER', text: 'How do I configure Slack? [[model:drip:500]]' });
    const threadTs = question.event.ts as string;
    // Instance 1 is frozen while instance 0 takes the question, so that the one killed is the one answering.
    cluster.instances[1]!.process.kill('SIGSTOP');
    try {
      expect((await postSlackEvent(instance(0), question, { secret: SECRET })).status).toBe(200);
      await waitFor(calls, (current) => current.some((call) => call.method === 'chat.update' && call.channel === channel && /Writing…/.test(call.text ?? '')), 30_000, 'a partial answer');
    } finally {
      cluster.instances[1]!.process.kill('SIGCONT');
    }
    cluster.kill(0);
    const { all, text } = await answered(channel, threadTs);
    expect(text).toMatch(/^The docs explain this in /);
    expect(repliesIn(all, channel, threadTs)).toHaveLength(1);
    const run = await db.query(`select r.status, r.attempts from assistant_run r join ${SLACK_INBOX} q on q.run_id = r.id where q.channel_id = $1`, [channel]);
    // Claimed again after the kill: the surviving instance took the run over.
    expect(run.rows[0]).toMatchObject({ status: 'completed' });
    expect(run.rows[0].attempts).toBeGreaterThanOrEqual(2);
  }, 90_000);
});

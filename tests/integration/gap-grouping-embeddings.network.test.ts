import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createEmbedder } from '@/lib/docs/index/embeddings';
import { createLogger } from '@/lib/log';
import { groupQuestions } from '@/lib/maintainers/gaps/grouping';
import { hashedWordVector, startFakeEmbeddings, type TFakeEmbeddings } from '../helpers/fake-embeddings';

// Topics with embeddings configured (issue 54): the questions are embedded by the configured embeddings server (a fake
// on 127.0.0.1, spoken to over HTTP by the OpenAI SDK) and grouped by their cosine. The fake stands for a model that
// places texts about one product near each other whatever their words: one axis per product the text names, and the
// text's own words hashed, at a third of the weight, for what else it says.

const TEAMS = ['answer in Microsoft Teams channels', 'a Microsoft Teams integration like the Slack one', 'connect the bot to MS Teams', 'post conversations to a Teams channel'];
const OTHERS = ['post conversations to a Discord channel', 'connect the bot to our CRM'];
const PRODUCTS = [/teams/i, /discord/i, /crm/i];

function vectorOf(text: string): number[] {
  const words = hashedWordVector(text, 32).map((value) => value / 3);
  return [...PRODUCTS.map((product) => (product.test(text) ? 1 : 0)), ...words];
}

let fake: TFakeEmbeddings;

beforeAll(async () => {
  fake = await startFakeEmbeddings({ vectorOf });
});
afterAll(async () => {
  await fake?.close();
});

describe('grouping readers\' questions with embeddings configured', () => {
  it('groups the four Microsoft Teams wordings by their cosine, and keeps questions about other things that share their words apart', async () => {
    const config = parseConfig({ NODE_ENV: 'test', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: 'fake-embedding', DATA_DIR: os.tmpdir() });
    const embedder = createEmbedder(config);
    expect(embedder).not.toBeNull();
    const groups = await groupQuestions({ deps: { embedder, log: createLogger({ level: 'silent' }) }, items: [...TEAMS, ...OTHERS], textOf: (text) => text });
    expect(groups).toEqual([TEAMS, [OTHERS[0]], [OTHERS[1]]]);
    // The questions went to the embeddings server, once.
    expect(fake.requests.flatMap((request) => request.input)).toEqual([...TEAMS, ...OTHERS]);
  });
});

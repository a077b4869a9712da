import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';
import { newThread, send } from './helpers/tier';

// A question in French, offline (no model configured), under `next start`: the answer opens with a note in French
// that it quotes the English docs, and cites the page an English question about the same thing is answered from.

const OFFLINE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'languages-test-session-secret-0123456789abcdef',
  SITE_URL: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_API_STYLE: '',
  OPENAI_MODEL: '',
  EMBEDDINGS_BASE_URL: '',
  SLACK_BOT_TOKEN: '',
  SLACK_CHANNEL_ID: '',
  SLACK_API_URL: '',
  SLACK_SIGNING_SECRET: '',
  DATABASE_URL: '',
  SUPABASE_URL: '',
  SUPABASE_SERVICE_ROLE_KEY: '',
  DOCS_DIR: '',
  MODERATION: 'off',
  LOG_LEVEL: 'warn',
};

let server: TNextServer;
beforeAll(async () => {
  server = await startNextServer({ dataDir: await createSeededDataDir('pa-production-'), env: OFFLINE_ENV });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

type TAnswer = { text: string; urls: string[]; metadata: Record<string, unknown> };

async function ask(question: string): Promise<TAnswer> {
  const client = createClient(server.url);
  const threadId = await newThread(client);
  const run = await send(client, threadId, question);
  expect(run.status).toBe('completed');
  const messages = (await client.get(`/api/paste-assistant-messages/${threadId}`)).body.data;
  const answer = messages.find((message: { role: string }) => message.role === 'assistant');
  const text = answer.content[0].text;
  return { text: text.value, urls: text.annotations.map((annotation: { url: string }) => annotation.url), metadata: answer.metadata ?? {} };
}

describe('a question in another language, offline', () => {
  it('gets a note in its language that the answer quotes the English docs, and the same page an English question gets', async () => {
    const french = await ask('Comment est-ce que je configure les notifications Slack ?');
    const english = await ask('How do I configure Slack notifications?');
    expect(french.text.startsWith('_La documentation est en anglais : cette réponse la cite telle quelle._')).toBe(true);
    expect(english.text).not.toContain('La documentation est en anglais');
    expect(english.urls[0]).toMatch(/^\/docs\/guides\/slack#/);
    expect(french.urls[0]?.split('#')[0]).toBe('/docs/guides/slack');
  });

  // "notificaciones" is searched as notifications (lib/docs/search/languages.ts): without it, too few of the
  // question's words met the docs' for an answer.
  it('a Spanish question too, in Spanish', async () => {
    const spanish = await ask('¿Cómo configuro las notificaciones de Slack?');
    expect(spanish.text.startsWith('_La documentación está en inglés: esta respuesta la cita tal cual._')).toBe(true);
    expect(spanish.urls[0]?.split('#')[0]).toBe('/docs/guides/slack');
  });
});

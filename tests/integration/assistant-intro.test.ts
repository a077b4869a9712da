import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { chatDialect } from '../helpers/openai';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { SLACK_ENV } from '../helpers/slack';

// GET /api/assistant-intro: the empty state's introduction and suggested questions, from the served docs folder.
describe('GET /api/assistant-intro', () => {
  let app: TApp;
  let server: TTestServer;
  const docsDir = makeTempDir('intro-docs-');
  beforeAll(async () => {
    writeFileSync(path.join(docsDir, 'index.mdx'), '---\ntitle: Introduction\nsiteName: Acme UI\nassistant:\n  intro: Ask me about Acme UI components.\n  questions:\n    - How do I theme a button?\n---\n# Acme UI\n');
    app = await createTestApp({ env: { DOCS_DIR: docsDir } });
    server = await startTestServer(app);
  });
  afterAll(async () => {
    await server.close();
    await app.db.close();
  });

  it('serves the site\'s own introduction, and refuses other methods', async () => {
    const client = createClient(server.url);
    const response = await client.get('/api/assistant-intro');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: {
        siteName: 'Acme UI',
        intro: 'Ask me about Acme UI components.',
        questions: ['How do I theme a button?'],
        // The test app: no Slack, the offline model.
        destinations: { isSharedInSlack: false, isSentToModelProvider: false },
      },
    });
    expectError(await client.post('/api/assistant-intro', {}), 405, 'method_not_allowed');
  });

  it('says where messages go as this server is configured: Slack, and a model provider', async () => {
    const configured = await createTestApp({ env: { DOCS_DIR: docsDir, ...SLACK_ENV, ...chatDialect.env } });
    const configuredServer = await startTestServer(configured);
    try {
      const response = await createClient(configuredServer.url).get('/api/assistant-intro');
      expect(response.status).toBe(200);
      expect(response.body.data.destinations).toEqual({ isSharedInSlack: true, isSentToModelProvider: true });
    } finally {
      await configuredServer.close();
      await configured.db.close();
    }
  });
});

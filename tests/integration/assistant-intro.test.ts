import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { upsertDocsPagesByPath, type TPageInput } from '@/lib/db/docs-index';
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
        // No ASSISTANT_NAME, no assistant.name: the panel says "Assistant".
        assistantName: null,
        intro: 'Ask me about Acme UI components.',
        questions: ['How do I theme a button?'],
        // The test app: no Slack, the offline model, no dashboard token: nobody reads votes.
        destinations: { isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: false },
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
      expect(response.body.data.destinations).toEqual({ isSharedInSlack: true, isSentToModelProvider: true, isFeedbackRead: true });
    } finally {
      await configuredServer.close();
      await configured.db.close();
    }
  });

  it('says votes are read when the dashboard opens with MAINTAINER_TOKEN, Slack off', async () => {
    const configured = await createTestApp({ env: { DOCS_DIR: docsDir, MAINTAINER_TOKEN: 'maintainer-token-intro-0123456789' } });
    const configuredServer = await startTestServer(configured);
    try {
      const response = await createClient(configuredServer.url).get('/api/assistant-intro');
      expect(response.body.data.destinations).toEqual({ isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: true });
    } finally {
      await configuredServer.close();
      await configured.db.close();
    }
  });

  it('takes the panel\'s name, intro and questions from the environment over the docs folder\'s', async () => {
    const configured = await createTestApp({
      env: { DOCS_DIR: docsDir, ASSISTANT_NAME: 'Acme AI', ASSISTANT_INTRO: 'Ask me about Acme.', ASSISTANT_SUGGESTIONS: 'How do I install Acme? | What is a token?|' },
    });
    const configuredServer = await startTestServer(configured);
    try {
      const response = await createClient(configuredServer.url).get('/api/assistant-intro');
      expect(response.body.data).toMatchObject({
        siteName: 'Acme UI',
        assistantName: 'Acme AI',
        intro: 'Ask me about Acme.',
        questions: ['How do I install Acme?', 'What is a token?'],
      });
    } finally {
      await configuredServer.close();
      await configured.db.close();
    }
  });

  it('crawling a site (no DOCS_DIR): speaks for that site, with questions about its top-level pages, not this project\'s', async () => {
    const origin = 'http://docs.acme.test';
    const crawled = await createTestApp({ env: { DOCS_DIR: '', DOCS_CRAWL_URL: `${origin}/` }, isStarted: false });
    const page = (pathname: string, title: string, headings: string[]): TPageInput => ({
      path: `${origin}${pathname}`,
      slug: `${origin}${pathname}`,
      title,
      description: '',
      checksum: pathname,
      warnings: [],
      sections: headings.map((heading) => ({ heading, heading_path: [title, heading], anchor: heading.toLowerCase(), content: `${title}: ${heading} for Acme readers.` })),
    });
    await upsertDocsPagesByPath({
      db: crawled.db,
      pages: [
        page('/', 'Acme UI', ['Welcome']),
        page('/getting-started', 'Getting started', ['Install', 'Import', 'First screen']),
        page('/theming', 'Theming', ['Tokens']),
        page('/components/card', 'Card', ['Usage']),
        page('/components/button', 'Button', ['Usage', 'Variants']),
        page('/changelog', 'Changelog', ['1.0.0']),
      ],
    });
    const crawledServer = await startTestServer(crawled);
    try {
      const response = await createClient(crawledServer.url).get('/api/assistant-intro');
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        siteName: 'Acme',
        assistantName: null,
        intro: expect.stringContaining('about Acme from its documentation'),
        questions: ['What should I know about getting started?', 'What should I know about theming?', 'How do I use Button?'],
      });
      // The default DOCS_DIR (this project's own docs, whose questions are about Slack and tests) is not the site.
      const { siteName, intro, questions } = response.body.data;
      expect(JSON.stringify({ siteName, intro, questions })).not.toMatch(/Slack|Paste Assistant|tests/);
    } finally {
      await crawledServer.close();
      await crawled.db.close();
    }
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { suggestFollowUps } from '@/lib/docs/search/follow-ups';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';

// Related questions under an answer: two cited pages whose nearby sections have the same heading (a design system's
// every component has "Guidelines › Accessibility") suggest that question once, not once per page.

const page = (title: string) =>
  [
    '---',
    `title: ${title}`,
    '---',
    '',
    `## About ${title}`,
    '',
    `The ${title} component shows a short message next to what it is about.`,
    '',
    '## Guidelines',
    '',
    '### Accessibility',
    '',
    `A ${title} is announced by screen readers when it opens.`,
    '',
  ].join('\n');

let app: TApp;

beforeAll(async () => {
  const docsDir = makeTempDir('follow-ups-docs-');
  mkdirSync(path.join(docsDir, 'components'), { recursive: true });
  writeFileSync(path.join(docsDir, 'components/tooltip.mdx'), page('Tooltip'));
  writeFileSync(path.join(docsDir, 'components/popover.mdx'), page('Popover'));
  app = await createTestApp({ env: { DOCS_DIR: docsDir } });
});

afterAll(async () => {
  await app?.db.close();
});

describe('related questions', () => {
  it('asks a question two cited pages share once', async () => {
    const sources = ['/docs/components/tooltip#about-tooltip', '/docs/components/popover#about-popover'];
    const suggestions = await suggestFollowUps({ deps: app, sources, access: PUBLIC_ACCESS });
    const questions = suggestions.map((suggestion) => suggestion.question);
    expect(questions.filter((question) => question === 'Tell me about Accessibility (Guidelines)')).toHaveLength(1);
    expect(new Set(questions).size).toBe(questions.length);
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIntro, readAssistantIntro } from '@/lib/docs/site-config';

// The assistant introduces the site it serves, from that site's docs folder: never this project's own words.
function docsFolder(files: Record<string, string>, name = 'docs') {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'site-config-')), name);
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

describe('the assistant introduction', () => {
  it('comes from site.config.json', () => {
    const docsDir = docsFolder({
      'site.config.json': JSON.stringify({ name: 'Paste', assistant: { intro: 'Ask about Paste components.', questions: ['How do I show a toast?'] } }),
      'index.mdx': '---\ntitle: Home\nassistant:\n  intro: not this one\n---\n# Home',
    });
    expect(readAssistantIntro({ docsDir })).toEqual({ siteName: 'Paste', intro: 'Ask about Paste components.', questions: ['How do I show a toast?'] });
  });

  it('comes from the front matter of the docs index page', () => {
    const docsDir = docsFolder({ 'index.md': '---\ntitle: Widgets\nassistant:\n  questions: [How do I install it?, What does it cost?]\n---\n# Widgets' });
    expect(readAssistantIntro({ docsDir })).toEqual({ siteName: 'Widgets', intro: defaultIntro('Widgets'), questions: ['How do I install it?', 'What does it cost?'] });
  });

  it('is neutral, naming the folder, with no questions, when the site configures nothing; a broken config is reported', () => {
    const problems: string[] = [];
    const docsDir = docsFolder({ 'site.config.json': '{ not json', 'guide.md': '# Guide' }, 'acme-docs');
    const intro = readAssistantIntro({ docsDir, onProblem: (message) => problems.push(message) });
    expect(intro).toEqual({ siteName: 'acme-docs', intro: defaultIntro('acme-docs'), questions: [] });
    expect(intro.intro).not.toMatch(/Paste Assistant|Slack/);
    expect(problems).toHaveLength(1);
  });

  it('is this project\'s own for its own docs (content/docs front matter)', () => {
    expect(readAssistantIntro({ docsDir: 'content/docs' })).toMatchObject({ siteName: 'Paste Assistant', questions: expect.arrayContaining(['How do I configure Slack?']) });
  });
});

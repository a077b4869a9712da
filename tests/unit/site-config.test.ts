import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIntro, readAssistantIntro, readSiteName, siteNameFromFolder } from '@/lib/docs/site/site-config';
import { describeMessageDestinations, docsTitleName, GENERIC_SITE_NAME, pageTitle } from '@/lib/shared/site';
import { uiText } from '@/lib/shared/i18n';
import { fr } from '@/lib/shared/i18n/fr';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// The site's name and the assistant's introduction come from the docs folder it serves: never this project's own
// words. One reader decides the name for the header, the titles, /llms.txt, the MCP server and the assistant.
function docsFolder(files: Record<string, string>, name = 'docs') {
  const root = path.join(makeTempDir('site-config-'), name);
  mkdirSync(root, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

describe("the site's name", () => {
  it('comes from site.config.json first, over the index page', () => {
    const docsDir = docsFolder({ 'site.config.json': '{"name":"Acme UI"}', 'index.mdx': '---\ntitle: Home\nsiteName: Not this\n---\n# Home' }, 'acme-docs');
    expect(readSiteName({ docsDir })).toBe('Acme UI');
  });

  it("then from the index page's `siteName`; its `title` names the page, not the site", () => {
    expect(readSiteName({ docsDir: docsFolder({ 'index.md': '---\ntitle: Getting started\nsiteName: Widgets\n---\n# Getting started' }, 'widgets-docs') })).toBe('Widgets');
    expect(readSiteName({ docsDir: docsFolder({ 'index.md': '---\ntitle: Getting started\n---\n# Getting started' }, 'widgets-docs') })).toBe('Widgets');
    // A config without a name, or a broken one, leaves the name to the next source.
    const problems: string[] = [];
    const docsDir = docsFolder({ 'site.config.json': '{ not json', 'index.mdx': '---\nsiteName: Gadgets\n---\n# Home' });
    expect(readSiteName({ docsDir, onProblem: (message) => problems.push(message) })).toBe('Gadgets');
    expect(problems).toEqual([expect.stringMatching(/^site\.config\.json ignored/)]);
    expect(readSiteName({ docsDir: docsFolder({ 'site.config.json': '{"assistant":{"intro":"Hi."}}', 'index.mdx': '---\nsiteName: Gizmos\n---\n' }) })).toBe('Gizmos');
  });

  it("else from the folder's name, made readable; a folder named only for holding docs gives a neutral name", () => {
    expect(siteNameFromFolder('/srv/paste-docs')).toBe('Paste');
    expect(siteNameFromFolder('/srv/acme_ui-documentation')).toBe('Acme ui');
    expect(siteNameFromFolder('/srv/widgets')).toBe('Widgets');
    expect(siteNameFromFolder('/srv/AcmeUI.site')).toBe('AcmeUI');
    for (const generic of ['/srv/docs', '/app/content', '/x/Documentation', '/x/docs-site', '/x/website']) expect(siteNameFromFolder(generic), generic).toBe(GENERIC_SITE_NAME);
    expect(readSiteName({ docsDir: docsFolder({ 'guide.md': '# Guide' }, 'paste-docs') })).toBe('Paste');
    expect(readSiteName({ docsDir: docsFolder({ 'guide.md': '# Guide' }, 'docs') })).toBe('Docs');
  });

  it('is read once per folder, and again when site.config.json changes', () => {
    const docsDir = docsFolder({ 'site.config.json': '{"name":"First"}' });
    expect(readSiteName({ docsDir })).toBe('First');
    const file = path.join(docsDir, 'site.config.json');
    writeFileSync(file, '{"name":"Second"}');
    const then = new Date(Date.now() - 60_000);
    utimesSync(file, then, then);
    expect(readSiteName({ docsDir })).toBe('Second');
    // A change that keeps the file's mtime goes unseen: the name is not read again on every call…
    writeFileSync(file, '{"name":"Third"}');
    utimesSync(file, then, then);
    expect(readSiteName({ docsDir })).toBe('Second');
    // …and read again once the file is touched.
    const later = new Date();
    utimesSync(file, later, later);
    expect(readSiteName({ docsDir })).toBe('Third');
  });

  it('is "… docs" in titles, never "Docs docs"', () => {
    expect(docsTitleName('Paste Assistant')).toBe('Paste Assistant docs');
    expect(docsTitleName('Acme Docs')).toBe('Acme Docs');
    expect(docsTitleName('Widget documentation')).toBe('Widget documentation');
    expect(docsTitleName('Docs')).toBe('Docs');
    expect(docsTitleName('Dockside')).toBe('Dockside docs');
    expect(pageTitle('Button', 'Paste')).toBe('Button · Paste docs');
    expect(pageTitle('Page not found', 'Docs')).toBe('Page not found · Docs');
    // The generated /docs overview of a folder without an index page is titled with the site's name.
    expect(pageTitle('Paste', 'Paste')).toBe('Paste docs');
  });

  it("is this project's own for its own docs (content/docs front matter)", () => {
    expect(readSiteName({ docsDir: 'content/docs' })).toBe('Paste Assistant');
  });
});

describe('the assistant introduction', () => {
  it('comes from site.config.json', () => {
    const docsDir = docsFolder({
      'site.config.json': JSON.stringify({ name: 'Paste', assistant: { name: 'Paste AI', intro: 'Ask about Paste components.', questions: ['How do I show a toast?'] } }),
      'index.mdx': '---\ntitle: Home\nassistant:\n  intro: not this one\n---\n# Home',
    });
    expect(readAssistantIntro({ docsDir })).toEqual({ siteName: 'Paste', assistantName: 'Paste AI', intro: 'Ask about Paste components.', questions: ['How do I show a toast?'] });
  });

  it('comes from the front matter of the docs index page, named by its siteName', () => {
    const docsDir = docsFolder({ 'index.md': '---\ntitle: Introduction\nsiteName: Widgets\nassistant:\n  questions: [How do I install it?, What does it cost?]\n---\n# Widgets' });
    expect(readAssistantIntro({ docsDir })).toEqual({ siteName: 'Widgets', assistantName: null, intro: defaultIntro('Widgets'), questions: ['How do I install it?', 'What does it cost?'] });
  });

  it('is neutral, naming the site as the folder does, with no questions, when the site configures nothing; a broken config is reported', () => {
    const problems: string[] = [];
    const docsDir = docsFolder({ 'site.config.json': '{ not json', 'guide.md': '# Guide' }, 'acme-docs');
    const intro = readAssistantIntro({ docsDir, onProblem: (message) => problems.push(message) });
    expect(intro).toEqual({ siteName: 'Acme', assistantName: null, intro: defaultIntro('Acme'), questions: [] });
    expect(intro.intro).toMatch(/^I answer questions about Acme from its documentation/);
    expect(intro.intro).not.toMatch(/Paste Assistant|Slack/);
    expect(problems).toHaveLength(1);
    // A folder that names nothing: the intro does not call the site "Docs".
    expect(readAssistantIntro({ docsDir: docsFolder({ 'guide.md': '# Guide' }, 'content') }).intro).toMatch(/^I answer questions about this site from its documentation/);
  });

  it("names the site as the header and titles do (one reader)", () => {
    const docsDir = docsFolder({ 'guide.md': '# Guide' }, 'paste-docs');
    expect(readAssistantIntro({ docsDir }).siteName).toBe(readSiteName({ docsDir }));
  });

  it("is this project's own for its own docs (content/docs front matter)", () => {
    expect(readAssistantIntro({ docsDir: 'content/docs' })).toMatchObject({ siteName: 'Paste Assistant', questions: expect.arrayContaining(['How do I configure Slack?']) });
  });
});

describe('the privacy note', () => {
  it('names Slack and a model provider only when this server sends messages there', () => {
    const none = describeMessageDestinations({ isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: true });
    expect(none).not.toMatch(/Slack|provider/);
    expect(none).toMatch(/no AI model sees them/);
    const both = describeMessageDestinations({ isSharedInSlack: true, isSentToModelProvider: true, isFeedbackRead: true });
    expect(both).toMatch(/shared with the maintainers in Slack/);
    expect(both).toMatch(/sent to the AI model’s provider/);
    for (const note of [none, both]) expect(note).toMatch(/Please don’t include passwords, keys or personal data\.$/);
  });

  it('says the maintainers read the messages only where they can: the review channel or the dashboard', () => {
    const read = describeMessageDestinations({ isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: true });
    expect(read).toMatch(/its maintainers read them/);
    const unread = describeMessageDestinations({ isSharedInSlack: false, isSentToModelProvider: false, isFeedbackRead: false });
    expect(unread.startsWith('your messages are stored on this site.')).toBe(true);
    expect(unread).not.toMatch(/maintainers/);
  });

  it('is written in the reader’s language, sentence by sentence as configured', () => {
    const french = describeMessageDestinations({ isSharedInSlack: true, isSentToModelProvider: false, isFeedbackRead: true }, (key) => uiText('fr', key));
    expect(french).toBe([fr['intro.keptInSlack'], fr['intro.noModel'], fr['intro.noPersonalData']].join(' '));
    expect(french).not.toMatch(/messages are|Please/);
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Code, ListItem, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { createOfflineModel, excerpt, fuseRankings, isFollowUp, isSameTopic, openingSentence, searchQueryFor } from '@/lib/model/offline';
import { parseDoc } from '@/lib/docs/parse/parse';
import type { TInputItem } from '@/lib/model/types';
import { cleanTitle, titleFromQuestion } from '@/lib/shared/titles';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';

const model = createOfflineModel();
const request = (input: TInputItem[]) => model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
const results = [
  { title: 'Slack notifications', heading: 'Creating a bot token', url: '/docs/guides/slack#creating-a-bot-token', content: 'Create a Slack app, add the chat:write scope and copy the bot token.' },
  { title: 'Slack notifications', heading: 'Choosing the channel', url: '/docs/guides/slack#choosing-the-channel', content: 'Invite the bot to the channel. '.repeat(20) },
];

describe('offline model', () => {
  it('first asks get_relevant_docs with the reader\'s latest question', async () => {
    const response = await request([
      { type: 'message', role: 'user', content: 'earlier question' },
      { type: 'message', role: 'assistant', content: 'earlier answer' },
      { type: 'message', role: 'user', content: 'How do I get a Slack token?' },
    ]);
    expect(response.output).toEqual({
      type: 'tool_calls',
      calls: [{ call_id: 'call_offline_0', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'How do I get a Slack token?' }) }],
    });
  });

  it('answers with a lead sentence and each section once: its name (the citation), its excerpt, and what was searched; a second section of the same page is quoted too', async () => {
    const input: TInputItem[] = [
      // Both sections hold part of what is asked (a bot's token, its channel): the second is nearly as strong.
      { type: 'message', role: 'user', content: 'Slack bot token and channel?' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"Slack token?"}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'Slack token?', evidence: 'strong', results }) },
    ];
    const response = await request(input);
    if (response.output.type !== 'message') throw new Error('expected a message');
    const { text, annotations, metadata } = response.output;
    expect(text.startsWith('**Slack notifications › Creating a bot token**\n\n')).toBe(true);
    expect(text).toContain('**Slack notifications › Creating a bot token**\n\nCreate a Slack app, add the chat:write scope and copy the bot token.');
    // No link in the text: the reader's client lists the cited sections, each once, under Sources.
    expect(text).not.toContain('](/docs/');
    expect(text.endsWith('_Searched the docs for “Slack token?”._')).toBe(true);
    expect(metadata).toEqual({ offline: true });
    expect(annotations?.map((annotation) => annotation.url)).toEqual([
      '/docs/guides/slack#creating-a-bot-token',
      '/docs/guides/slack#choosing-the-channel',
    ]);
    for (const annotation of annotations ?? []) {
      expect(text.slice(annotation.start_index, annotation.end_index)).toBe(annotation.title);
    }
    expect(await request(input)).toEqual(response);
  });

  it('quotes the sections nearly as strong as the lead (at most three), on any page, and lists the rest as Related links', async () => {
    const section = (url: string, title: string, heading: string, content: string) => ({ title, heading, url, content });
    const ranked = [
      section('/docs/components/toast#adding-a-toast', 'Toast', 'Adding a toast', 'Push a toast with the toaster to show it.'),
      section('/docs/patterns/form-layout#errors', 'Form layout', 'Errors', 'Errors go under the field.'),
      section('/docs/components/toaster#placement', 'Toaster', 'Placement', 'Show the toaster at the top of the page; a toast shows there.'),
      section('/docs/patterns/error-state#inline', 'Error state', 'Inline', 'Inline errors.'),
    ];
    const response = await request([
      { type: 'message', role: 'user', content: 'How do I show a toast?' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'How do I show a toast?', evidence: 'strong', results: ranked }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    const { text, annotations } = response.output;
    // The Toaster's section shows toasts too, on another page: quoted; the form and error sections say nothing of it.
    expect(annotations?.map((annotation) => annotation.url)).toEqual(['/docs/components/toast#adding-a-toast', '/docs/components/toaster#placement']);
    expect(text.startsWith('**Toast › Adding a toast**\n\n')).toBe(true);
    expect(text).toContain('**Related**\n\n- [Form layout › Errors](/docs/patterns/form-layout#errors)\n- [Error state › Inline](/docs/patterns/error-state#inline)');
    expect(text).not.toContain('Errors go under the field.');
  });

  const answerTo = async (question: string, output: object) => {
    const response = await request([
      { type: 'message', role: 'user', content: question },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: question, evidence: 'strong', ...output }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    return response.output;
  };

  it('quotes a text two pages show (a partial, a copied paragraph) once, and links the other page under Related', async () => {
    const shell = 'The shell to use for scripts run with the pnpm run command. For instance, to force usage of Git Bash on Windows.';
    const results = [
      { title: 'pnpm run', heading: 'scriptShell', url: '/docs/cli/run#scriptshell', content: shell },
      { title: 'Other Settings', heading: 'scriptShell', url: '/docs/settings/other#scriptshell', content: `${shell.replace('. ', '.\n\n')}` },
      { title: 'Scripts', heading: 'Shell', url: '/docs/scripts#shell', content: 'Scripts run in the shell of Git Bash on Windows when scriptShell names it.' },
    ];
    const { text, annotations } = await answerTo('How do I run scripts with Git Bash on Windows?', { results });
    expect(annotations?.map((annotation) => annotation.url)).toEqual(['/docs/cli/run#scriptshell', '/docs/scripts#shell']);
    expect(text.split('The shell to use for scripts').length - 1).toBe(1);
    expect(text).toContain('- [Other Settings › scriptShell](/docs/settings/other#scriptshell)');
  });

  it('leads a how-to question with a section of the same page that shows how, not with one on when to use it', async () => {
    const toast = [
      { title: 'Toast', heading: 'When to use a Toast', url: '/docs/components/toast#when-to-use-a-toast', content: 'Use a toast for a short message after an action.' },
      { title: 'Toast', heading: 'About Toast', url: '/docs/components/toast#about-toast', content: 'A toast is a small message.' },
      { title: 'Toast', heading: 'Adding a toast', url: '/docs/components/toast#adding-a-toast', content: 'Render the toaster:\n\n```jsx\n<Toaster {...toaster} />\n```' },
      { title: 'Alert', heading: 'Usage', url: '/docs/components/alert#usage', content: '```jsx\n<Alert />\n```' },
    ];
    const howTo = await answerTo('How do I add a toast to my page?', { results: toast });
    expect(howTo.annotations?.[0]?.url).toBe('/docs/components/toast#adding-a-toast');
    expect(howTo.text).toContain('```jsx\n<Toaster {...toaster} />\n```');
    // Another question keeps the ranking's lead; a section that shows how on another page never leads.
    expect((await answerTo('When should I use a toast?', { results: toast })).annotations?.[0]?.url).toBe('/docs/components/toast#when-to-use-a-toast');
    const elsewhere = await answerTo('How do I add a toast?', { results: [toast[0], toast[3]] });
    expect(elsewhere.annotations?.[0]?.url).toBe('/docs/components/toast#when-to-use-a-toast');
  });

  it('says the docs do not mention what the question names when they never do, and does not claim to answer', async () => {
    const slack = [
      { title: 'Slack setup', heading: 'Answers in Slack', url: '/docs/guides/slack#answers-in-slack', content: 'The app answers a mention in a channel.' },
      { title: 'Configuration', heading: 'SLACK_ANSWER_CHANNELS', url: '/docs/configuration#slack_answer_channels', content: 'Channels it answers in.' },
    ];
    const question = 'Can the assistant answer in a Microsoft Teams channel as well as Slack?';
    const nearMiss = await answerTo(question, { results: slack, not_in_docs: ['Microsoft Teams'] });
    // Both sections hold as much of the question (a Slack channel the assistant answers in): both are quoted (issue 56).
    expect(nearMiss.text.startsWith("The docs don't mention Microsoft Teams. These are the closest sections they have")).toBe(true);
    expect(nearMiss.text).not.toContain('answer your question');
    expect(nearMiss.text).not.toContain('answers your question');
    // The closest section is still its source, and the answer counts with the questions the docs did not cover.
    expect(nearMiss.annotations?.map((annotation) => annotation.url)[0]).toBe('/docs/guides/slack#answers-in-slack');
    expect(nearMiss.metadata).toEqual({ offline: true, no_docs_match: true, not_in_docs: ['Microsoft Teams'] });
    const answered = await answerTo('Can the assistant answer in a Slack channel?', { results: slack });
    expect(answered.text.startsWith('**Slack setup › Answers in Slack**\n\n')).toBe(true);
    expect(answered.metadata).toEqual({ offline: true });
  });

  it('counts a page and its component tabs as one topic, and nothing else', () => {
    expect(isSameTopic('/docs/components/toast#a', '/docs/components/toast#b')).toBe(true);
    expect(isSameTopic('/docs/components/toast/api#props', '/docs/components/toast#usage')).toBe(true);
    expect(isSameTopic('/docs/components/toast/changelog', '/docs/components/toast/api/')).toBe(true);
    expect(isSameTopic('https://site.example/guide/x.html#a', 'https://site.example/guide/x.html#b')).toBe(true);
    expect(isSameTopic('/docs/core/upgrade-guide#v11', '/docs/core#about')).toBe(false);
    expect(isSameTopic('/docs/components/icon/usage-guidelines', '/docs/components/icon')).toBe(false);
    expect(isSameTopic('/docs/components/toaster', '/docs/components/toast')).toBe(false);
    expect(isSameTopic('/docs/components/toast/api', '/docs/components/toaster/api')).toBe(false);
  });

  it('says plainly when the docs do not cover the question: no sources, a link to search, what was searched', async () => {
    for (const output of [
      { query: 'Quantum teleportation?', results: [] },
      { query: 'Quantum teleportation?', evidence: 'weak', results },
    ]) {
      const response = await request([
        { type: 'message', role: 'user', content: 'Quantum teleportation?' },
        { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: JSON.stringify(output) },
      ]);
      if (response.output.type !== 'message') throw new Error('expected a message');
      expect(response.output.text).toMatch(/^The docs don't cover this/);
      expect(response.output.text).toContain('[search the docs](/docs?q=Quantum+teleportation%3F)');
      expect(response.output.text).toContain('_Searched the docs for “Quantum teleportation?”._');
      expect(response.output.text).not.toContain('Slack');
      expect(response.output.annotations).toEqual([]);
      expect(response.output.metadata).toEqual({ offline: true, no_docs_match: true });
    }
  });

  it('searches a follow-up together with the key words of the previous question', async () => {
    const response = await request([
      { type: 'message', role: 'user', content: 'How do I show a toast after saving?' },
      { type: 'message', role: 'assistant', content: 'These sections…' },
      { type: 'message', role: 'user', content: 'and how do I make it disappear on its own?' },
    ]);
    if (response.output.type !== 'tool_calls') throw new Error('expected a search');
    expect(JSON.parse(response.output.calls[0]?.arguments ?? '{}')).toEqual({ prompt: 'and how do I make it disappear on its own? toast after saving' });
    expect(searchQueryFor('what about the dark theme?', 'How do I use Theme.Provider?')).toBe('what about the dark theme? Theme.Provider');
    expect(searchQueryFor('Which props does the Combobox take for grouping items?', 'How do I show a toast?')).toBe(
      'Which props does the Combobox take for grouping items?',
    );
    expect(isFollowUp('and the icon?')).toBe(true);
    expect(isFollowUp('It still shows the old value after an update, why?')).toBe(true);
    expect(isFollowUp('How do I show a toast after the form is saved?')).toBe(false);
  });

  it('searches a long question twice, whole and by its opening sentence; a short one once', async () => {
    const long = "Tooltip on a disabled button doesn't show tooltip. Expected to show the tooltip even though the button is disabled.";
    const response = await request([{ type: 'message', role: 'user', content: long }]);
    if (response.output.type !== 'tool_calls') throw new Error('expected a search');
    expect(response.output.calls.map((call) => [call.call_id, JSON.parse(call.arguments).prompt])).toEqual([
      ['call_offline_0', long],
      ['call_offline_1', "Tooltip on a disabled button doesn't show tooltip."],
    ]);
    // A long follow-up is searched once, with the earlier question's key words: its opening means nothing alone.
    const followUp = await request([
      { type: 'message', role: 'user', content: 'How do I show a toast after saving?' },
      { type: 'message', role: 'assistant', content: 'These sections…' },
      { type: 'message', role: 'user', content: 'It still shows up twice. What should I pass so that only one of them stays on the screen at a time?' },
    ]);
    if (followUp.output.type !== 'tool_calls') throw new Error('expected a search');
    expect(followUp.output.calls.map((call) => JSON.parse(call.arguments).prompt)).toEqual([
      'It still shows up twice. What should I pass so that only one of them stays on the screen at a time? toast after saving',
    ]);
    expect(openingSentence('Dependency issue: when I try to install the latest version of the core package I get a peer dependency warning')).toBe('Dependency issue');
    // Short questions, a single sentence, or dots inside names and versions are not split.
    expect(openingSentence('How do I show a toast?')).toBeUndefined();
    expect(openingSentence('How do I wrap my app in Theme.Provider when the app is a plugin that has no root component of its own')).toBeUndefined();
    expect(openingSentence('Upgrading from version 13.0 to 14.2 broke the build of every plugin we ship to our customers today')).toBeUndefined();
    expect(openingSentence('No. Then again the page never says which one of the two components a reader should choose here')).toBeUndefined();
  });

  it('leads with the section both searches found: the two rankings are fused, one ranking keeps its order', async () => {
    const section = (url: string) => ({ title: url, heading: '', url, content: `${url} says.` });
    const whole = ['/docs/button#disabled', '/docs/tooltip#disabled-triggers', '/docs/progress-bar#disabled'].map(section);
    const opening = ['/docs/tooltip#disabled-triggers', '/docs/tooltip#about', '/docs/button#disabled'].map(section);
    expect(fuseRankings([whole, opening]).map((result) => result.url)).toEqual([
      '/docs/tooltip#disabled-triggers',
      '/docs/button#disabled',
      '/docs/tooltip#about',
      '/docs/progress-bar#disabled',
    ]);
    expect(fuseRankings([whole])).toEqual(whole);

    const response = await request([
      { type: 'message', role: 'user', content: 'Tooltip on a disabled button. It never shows when I hover over the button in my settings form.' },
      { type: 'function_call', call_id: 'call_offline_0', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call', call_id: 'call_offline_1', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_offline_0', output: JSON.stringify({ query: 'the whole question', evidence: 'strong', results: whole }) },
      { type: 'function_call_output', call_id: 'call_offline_1', output: JSON.stringify({ query: 'Tooltip on a disabled button.', evidence: 'weak', results: opening }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    expect(response.output.annotations?.[0]?.url).toBe('/docs/tooltip#disabled-triggers');
    expect(response.output.text.endsWith('_Searched the docs for “the whole question” and “Tooltip on a disabled button.”._')).toBe(true);
  });

  it('shows a long searched question cut at a word, not whole', async () => {
    const long = `The combobox in my form ${'keeps scrolling when I hover over the options '.repeat(4)}`.trim();
    const response = await request([
      { type: 'message', role: 'user', content: long },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: long, evidence: 'strong', results }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    const searched = response.output.text.match(/_Searched the docs for “(.*)”\._$/)?.[1] ?? '';
    expect(searched.endsWith('…')).toBe(true);
    expect(searched.length).toBeLessThanOrEqual(101);
    expect(long.startsWith(searched.slice(0, -1))).toBe(true);
    expect(long.charAt(searched.length - 1)).toBe(' ');
  });

  it('titles a thread with the question, whole when it fits', async () => {
    expect((await model.complete({ prompt: 'Write a title', context: 'How do I configure "Slack" alerts for my team today?' })).text).toBe(
      'How do I configure Slack alerts for my team today',
    );
    expect(titleFromQuestion('Can I run it without an OpenAI key?')).toBe('Can I run it without an OpenAI key');
    expect(titleFromQuestion('what is this?')).toBe('What is this');
    expect(cleanTitle('   ')).toBe('New thread');
  });

  it('cuts a long question between words, not on a word that leaves it open, and says it is cut', () => {
    const long = 'Can I run the whole assistant on my own laptop without an OpenAI key or any other service?';
    const title = titleFromQuestion(long);
    expect(title).toBe('Can I run the whole assistant on my own laptop…');
    expect(title.length).toBeLessThanOrEqual(61);
    // Every word of the title is a whole word of the question.
    const words = new Set(long.split(' '));
    for (const word of title.replace(/…$/, '').split(' ')) expect(words.has(word), word).toBe(true);
    expect(titleFromQuestion('Is there a way to configure the assistant so that it answers in the language of the')).toBe(
      'Is there a way to configure the assistant so that it answers…',
    );
    // One word longer than a title: its start, marked.
    expect(titleFromQuestion(`https://example.com/${'a'.repeat(80)}`)).toMatch(/^Https:\/\/example\.com\/a+…$/);
  });
});

describe('offline excerpts', () => {
  const answerFor = async (content: string) => {
    const response = await request([
      { type: 'message', role: 'user', content: 'q' },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: '{"prompt":"q"}' },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: 'q', results: [{ title: 'T', heading: 'H', url: '/docs/t#h', content }] }) },
    ]);
    if (response.output.type !== 'message') throw new Error('expected a message');
    return response.output.text;
  };

  it('keeps a section\'s code block as a code block and its table as a table, with the prose around them', async () => {
    const text = await answerFor('Run the tests with one command.\n\n```bash\nnpm test\n```\n\n| Variable | Default |\n| `A` | 1 |\n\nThey need no network.');
    expect(text).toContain('Run the tests with one command.\n\n```bash\nnpm test\n```\n\n| Variable | Default |\n| --- | --- |\n| `A` | 1 |');
  });

  it('keeps a list as a list, shortened, and cuts prose at a sentence', async () => {
    const items = Array.from({ length: 9 }, (_, index) => `- Item number ${index + 1}.`).join('\n');
    const text = await answerFor(`${'This sentence is about the docs. '.repeat(20)}\n\n${items}`);
    expect(text).toMatch(/This sentence is about the docs\.\n\n- Item number 1\./);
    expect(text).toContain('- Item number 5.\n\n(4 more in the docs)');
    expect(text).not.toContain('Item number 6');
    expect(excerpt('First sentence names `Theme.Provider`. Second one follows here. '.repeat(12))).toMatch(/`Theme.Provider`\. Second one follows here\.$/);
  });

  it('keeps the block a lead-in introduces, even when a block of its kind was shown or the blocks are used up', () => {
    // A second code block: the first one was shown, and the lead-in used to be quoted without its command.
    const twoCommands = excerpt('Install it.\n\n```bash\nnpm install\n```\n\nSet it on the server:\n\n```bash\nSLACK_SIGNING_SECRET=…\n```\n\nThen restart.');
    expect(twoCommands).toContain('Set it on the server:\n\n```bash\nSLACK_SIGNING_SECRET=…\n```');
    // Two blocks shown already (a code block, a list whose last step leads in): the third still follows its lead-in.
    const usedUp = excerpt('Run it:\n\n```bash\nnpm start\n```\n\n1. Open the settings.\n2. Set it on the server:\n\n```bash\nSLACK_BOT_TOKEN=xoxb-…\n```\n\n| A | B |\n| 1 | 2 |');
    expect(usedUp).toMatch(/2\. Set it on the server:\n\n```bash\nSLACK_BOT_TOKEN=xoxb-…\n```$/);
    // Every excerpt that shows a lead-in shows what it introduces.
    for (const text of [twoCommands, usedUp]) expect(text).not.toMatch(/:$/);
    // A block that nothing introduces is still left out once its kind was shown.
    expect(excerpt('Install it.\n\n```bash\nnpm install\n```\n\nOr with pnpm.\n\n```bash\npnpm install\n```')).not.toContain('pnpm install');
  });

  it('keeps each step whole: its sub-list and its note are part of the step, never left out', async () => {
    const steps = [
      '1. Create the app.',
      '   - Name it.',
      '   - Pick the workspace.',
      '2. Add the bot token scopes:',
      '   - `chat:write`: post conversations;',
      '   - `users:read`: the name of a maintainer who replies.',
      '',
      '   The last one is needed only for replies.',
      '3. Install it.',
      '   - Copy the token.',
      '   - Keep it secret.',
    ];
    const text = await answerFor(`Set up Slack:\n\n${steps.join('\n')}`);
    expect(text).toContain(
      '2. Add the bot token scopes:\n   - `chat:write`: post conversations;\n   - `users:read`: the name of a maintainer who replies.\n\n   The last one is needed only for replies.\n3. Install it.',
    );
    expect(text).toContain('1. Create the app.\n   - Name it.\n   - Pick the workspace.\n2.');
    expect(text).not.toContain('More detail in the docs');
    // As markdown, the note stays the step's paragraph: not swallowed into the last scope.
    const tree = fromMarkdown(text.slice(text.indexOf('1. Create')));
    const list = tree.children[0];
    if (list?.type !== 'list') throw new Error('expected a list');
    expect(list.children).toHaveLength(3);
    expect(list.children[1]!.children.map((child) => child.type)).toEqual(['paragraph', 'list', 'paragraph']);
  });

  it('keeps a code fence nested in a list item inside the item, as the docs indent it (fixture page)', async () => {
    const source = readFileSync(path.resolve('tests/fixtures/excerpts/upgrade-guide.md'), 'utf8');
    const sections = parseDoc({ source, path: 'upgrade-guide.md' }).sections;
    const listItemsOf = (markdown: string) => {
      const items: ListItem[] = [];
      const visit = (node: Root | Root['children'][number]) => {
        if (node.type === 'listItem') items.push(node);
        if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
      };
      visit(fromMarkdown(markdown));
      return items;
    };
    const codeOf = (item: ListItem | undefined) => item?.children.find((child): child is Code => child.type === 'code');

    const v4 = excerpt(sections.find((section) => section.heading === 'Version 4.0.0')?.content ?? '');
    const [item] = listItemsOf(v4);
    expect(codeOf(item)).toMatchObject({ lang: 'jsx', value: '// Before\n<Tabs selectedId="first">\n\n// After\n<Tabs selectedId="first" orientation="horizontal">' });
    // The text after the list is prose again, not swallowed by an open fence.
    const tree = fromMarkdown(v4);
    expect(tree.children.map((child) => child.type)).toEqual(['list', 'paragraph']);
    expect(v4.endsWith('See the release notes for the whole list.')).toBe(true);

    const v3 = excerpt(sections.find((section) => section.heading === 'Version 3.0.0')?.content ?? '');
    const items = listItemsOf(v3);
    expect(items).toHaveLength(2);
    expect(codeOf(items[0])?.value).toBe("import {darkTokens} from '@example/tokens-dark';");
    expect(codeOf(items[1])).toBeUndefined();
  });

  it('closes a long code block instead of cutting it open', async () => {
    const code = Array.from({ length: 40 }, (_, index) => `line${index}();`).join('\n');
    const text = await answerFor(`Example:\n\n\`\`\`js\n${code}\n\`\`\``);
    expect(text).toContain('line15();\n// …\n```');
    expect(text).not.toContain('line16();');
  });

  it('never cuts an excerpt inside inline code', async () => {
    const text = await answerFor(`${'word '.repeat(44)}then \`SOME_VARIABLE_NAME_THAT_RUNS_LONG\` and more words after it`);
    const excerptLine = text.split('\n').find((line) => line.startsWith('word')) ?? '';
    expect((excerptLine.match(/`/g) ?? []).length % 2).toBe(0);
  });
});

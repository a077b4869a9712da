import { beforeAll, describe, expect, it } from 'vitest';
import { contentsOf, rankSection as section } from '../helpers/rank-sections';
import { namesNotInDocs } from '@/lib/docs/search/ranking/absent';
import { englishSpelling, type TIsEnglishWord } from '@/lib/docs/search/english';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { isHowToQuestion, showsHow, splitCode } from '@/lib/relevance/section-shape';
import { stem } from '@/lib/relevance/stem';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Issue 34: words inside a code example count less than the same words in prose; a how-to question ranks the
// section that shows how (steps or code) above one that says when to use the thing; and the names a question uses
// that the docs never mention are found, so that an answer does not claim to answer them.

describe('a section as prose and code', () => {
  it('takes fenced blocks out of the prose, an unclosed fence running to the end', () => {
    const { prose, code } = splitCode('Intro.\n\n```json\n{"title": "Configure Slack"}\n```\n\nAfter.\n\n1. Step\n   ```bash\n   npm test\n   ```\n\n~~~js\nopen();\nstill code');
    expect(code).toBe('{"title": "Configure Slack"}\n   npm test\nopen();\nstill code');
    expect(prose.split(/\s+/).filter(Boolean)).toEqual(['Intro.', 'After.', '1.', 'Step']);
  });

  it('shows how when it has code or numbered steps, not for prose or a bulleted list', () => {
    expect(showsHow('Use it:\n\n```jsx\n<Toast />\n```')).toBe(true);
    expect(showsHow('1. Open the app.\n2. Add the scopes.')).toBe(true);
    expect(showsHow('Use a toast when the page changed.\n\n- short\n- polite')).toBe(false);
  });

  it('tells a how-to question from one about what or when', () => {
    for (const question of ['How do I add a toast to my page?', 'how to configure Slack', 'Is there a way to hide the label?', "What's the best way to load fonts?", 'Steps to upgrade']) {
      expect(isHowToQuestion(question), question).toBe(true);
    }
    for (const question of ['When should I use a toast?', 'What is a toast?', 'Which scopes does the bot need?', 'Why does the tooltip flicker?']) {
      expect(isHowToQuestion(question), question).toBe(false);
    }
  });
});

describe('stems', () => {
  it('meet a bare word with a double consonant and its -ed and -ing forms ("add a toast" finds "Adding a Toast")', () => {
    expect(new Set(['add', 'adds', 'added', 'adding'].map(stem))).toEqual(new Set(['ad']));
    expect(new Set(['map', 'mapped', 'mapping'].map(stem)).size).toBe(1);
    expect(new Set(['scroll', 'scrolling', 'scrolled'].map(stem))).toEqual(new Set(['scroll']));
    expect(stem('pass')).toBe('pass');
  });
});

describe('ranking with code and how-to sections', () => {
  const SECTIONS = [
    section('api/completion.mdx', 'Completions API', 'One completion', 'Returns one completion.\n\n```json\n{"prompt": "configure slack notifications", "context": "configure slack notifications"}\n```'),
    section(
      'guides/slack.mdx',
      'Setup guide',
      'Server settings',
      'Configure slack notifications in the server settings: set the bot token and the channel id, restart the server, and check the health route for the mode it reports.',
    ),
    section('components/toast/index.mdx', 'Toast', 'When to use a toast', 'Use a toast to add a short message to a page after an action.'),
    section('components/toast/index.mdx', 'Toast', 'Showing a toast', 'Render the toaster once:\n\n```jsx\nconst toaster = useToaster();\n<Toaster {...toaster} />\n```'),
    section('components/modal/index.mdx', 'Modal', 'About', 'A dialog over the page.'),
  ];
  const index = buildRankIndex(SECTIONS);
  const first = (query: string, weights = DEFAULT_RANK_WEIGHTS) => {
    const hit = rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit: 5 })[0];
    return hit === undefined ? undefined : index.sections[hit.section]!.heading;
  };

  it("counts a word in a code example less than the same word in a guide's prose", () => {
    expect(DEFAULT_RANK_WEIGHTS.code).toBeLessThan(DEFAULT_RANK_WEIGHTS.body);
    expect(first('configure slack notifications')).toBe('Server settings');
    // Counted as prose, the example's repeated words win: what the code field's weight prevents.
    expect(first('configure slack notifications', { ...DEFAULT_RANK_WEIGHTS, code: DEFAULT_RANK_WEIGHTS.body })).toBe('One completion');
  });

  it('leads a how-to question with the section that shows how, when the page has one', () => {
    expect(DEFAULT_RANK_WEIGHTS.howTo).toBeGreaterThan(0);
    expect(first('How do I add a toast to my page?')).toBe('Showing a toast');
    expect(first('How do I add a toast to my page?', { ...DEFAULT_RANK_WEIGHTS, howTo: 0 })).toBe('When to use a toast');
    // A question that is not a how-to keeps the plain ranking.
    expect(first('when to add a toast to my page')).toBe('When to use a toast');
  });
});

describe('names the docs never mention', () => {
  const sections = [
    section('guides/slack.mdx', 'Slack setup', 'Answers in Slack', 'The assistant answers in a Slack channel, a team of maintainers reads it. Works with Next.js.'),
    section('components/tooltip/index.mdx', 'Tooltip', 'About', 'A tooltip on a button. Use useTooltipState. Microsoft HAX guidelines apply; see the Using Button section.'),
    section('guides/calls.mdx', 'Calls', 'Video calls', 'Contoso made the call panel; our Fabrikam teams test it.'),
  ];
  const index = buildRankIndex(sections);
  let isEnglishWord: TIsEnglishWord;
  beforeAll(async () => {
    isEnglishWord = await englishSpelling();
  });
  const absent = (question: string, contents = contentsOf(sections)) => namesNotInDocs(index, question, isEnglishWord, contents);

  it('finds a capitalised name mid-sentence that the docs do not have, as the reader wrote it', async () => {
    expect(await absent('The tooltip does not show in Safari')).toEqual(['Safari']);
    expect(await absent('Does it work with remixRouter or @acme/widgets?')).toEqual(['remixRouter', '@acme/widgets']);
    // A package's name with a hyphen is named whole: the answer never names a package that does not exist.
    expect(await absent('Does it work with @acme/pdf-stamp?')).toEqual(['@acme/pdf-stamp']);
  });

  it('finds a proper name of several words the docs never write whole, though they use each word', async () => {
    expect(await absent('Can the assistant answer in a Microsoft Teams channel as well as Slack?')).toEqual(['Microsoft Teams']);
    expect(await absent('Do the Microsoft HAX guidelines apply?')).toEqual([]);
    // One section has both words, apart: the phrase is read in its text, and is not there.
    expect(await absent('Does it work in Contoso Fabrikam?')).toEqual(['Contoso Fabrikam']);
    expect(await absent('Do the Fabrikam teams test it?')).toEqual([]);
  });

  it('reads the text of only the sections that have every word of a phrase, once, and takes a section gone from the database for one that never said it', async () => {
    const contents = contentsOf(sections);
    expect(await absent('Do the Microsoft HAX guidelines apply?', contents)).toEqual([]);
    expect(contents.reads).toEqual([[sections[1]!.id]]);
    const none = contentsOf([]);
    expect(await absent('Do the Microsoft HAX guidelines apply?', none)).toEqual(['Microsoft HAX']);
    expect(none.reads).toEqual([[sections[1]!.id]]);
  });

  it('leaves alone names the docs have, their typos, code made of docs words, versions, plain English in capitals, and a capital that only opens a sentence', async () => {
    expect(await absent('Can the assistant answer in Slack?')).toEqual([]);
    expect(await absent('Does it run on Next.js with useTooltipState or TooltipButton?')).toEqual([]);
    expect(await absent('Does the Tooltipp show on a Slakc message?')).toEqual([]);
    expect(await absent('It breaks since v6.3.2 with error TS2739 and borderWidth40')).toEqual([]);
    expect(await absent('I followed the Using Button section and the Reads Channel Team part')).toEqual([]);
    expect(await absent('Flickering tooltips. I see it on every button.')).toEqual([]);
    expect(await absent("I'm asking: why?")).toEqual([]);
  });

  it('takes an acronym a dictionary lists as written for a common noun, and one it does not list for a name', async () => {
    // From a pasted report: "The exhibit PCs have no network": PC, URL are English nouns in capitals, no product.
    expect(await absent('The build shows a white page on the exhibit PCs and on the kiosk URL')).toEqual([]);
    expect(await absent('It fails behind the company VPN')).toEqual(['VPN']);
  });

  it('never takes an ordinary word capitalised at a line or sentence start, or a heading above a sentence, for a name', async () => {
    // A report pasted as filed: a heading on its own line, then a sentence; a numbered step; a bold heading.
    expect(await absent('### Description\n\nWhen I hover the tooltip on a button it does not show.')).toEqual([]);
    expect(await absent('**To Reproduce**\nSteps to reproduce the behavior:\n1. Go to the tooltip\n2. All buttons flicker')).toEqual([]);
    expect(await absent('The tooltip flickers. We use it in Slack. To Be clear, it is the button.')).toEqual([]);
    // A real name is still found on such a line.
    expect(await absent('### Browser\n\n- [x] It breaks in Safari')).toEqual(['Safari']);
  });
});

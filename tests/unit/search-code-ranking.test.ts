import { describe, expect, it } from 'vitest';
import { rankSection } from '../helpers/rank-sections';
import { buildRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { asksOfTheProduct, isAskedOfCode } from '@/lib/docs/search/ranking/code-questions';
import { DOCS as DOCS_KIND, kindStats, MIN_KIND_SECTIONS, THREADS } from '@/lib/docs/search/ranking/kind-stats';
import { DEFAULT_RANK_WEIGHTS, type TRankWeights } from '@/lib/docs/search/ranking/weights';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Source files beside the docs (issue 70): a section of the code kind ranks × codePrior and takes at most codeSlots of
// the first five results, so that a question the docs answer keeps its docs; where the docs say nothing, the code
// leads. Each shown doing what it is for, and failing without it.

function codeSection(file: string, heading: string, content: string): TRankSection {
  return {
    ...rankSection(`code:acme/widgets/${file}`, `${file.split('/').pop()} · @acme/widgets`, heading, content),
    slug: `https://github.com/acme/widgets/blob/abc/${file}`,
    anchor: 'L1-L9',
    kind: 'code',
    meta: { code: { file, language: 'ts', exports: [heading] } },
  };
}

const DOCS = [
  rankSection('components/toast/index.mdx', 'Toast', 'Dismissing a toast', 'A toast stays until the user dismisses it, or for the time you set with dismiss after.'),
  rankSection('components/modal/index.mdx', 'Modal', 'About Modal', 'A dialog over the page that asks the user to finish one task before going back.'),
];
const CODE = [1, 2, 3, 4, 5, 6].map((at) => codeSection(`src/toast${at}.ts`, `toastStays${at}`, 'how long a toast stays until dismissed: toast stays, dismiss after'));

const paths = (index: ReturnType<typeof buildRankIndex>, query: string, weights: TRankWeights, limit = 5) =>
  rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit }).map((hit) => index.sections[hit.section]!.path);

describe('code beside the docs', () => {
  it('leaves room for the docs among the first five (codeSlots), and only with it', () => {
    const index = buildRankIndex([...DOCS, ...CODE]);
    // Every source file may take a place (codeLead 0): the slots alone.
    const open = paths(index, 'how long does a toast stay until dismissed', { ...DEFAULT_RANK_WEIGHTS, codePrior: 3, codeSlots: 5, codeLead: 0 });
    expect(open).not.toContain('components/toast/index.mdx');
    const capped = paths(index, 'how long does a toast stay until dismissed', { ...DEFAULT_RANK_WEIGHTS, codePrior: 3, codeLead: 0 });
    // Past its slots, the code moves to just after what the docs have.
    expect(capped.slice(0, DEFAULT_RANK_WEIGHTS.codeSlots + 1).filter((path) => path.startsWith('code:'))).toHaveLength(DEFAULT_RANK_WEIGHTS.codeSlots);
    expect(capped).toContain('components/toast/index.mdx');
  });

  it('ranks a source file below a docs page that answers as well (codePrior), and only with it', () => {
    const index = buildRankIndex([...DOCS, codeSection('src/modal.ts', 'Modal', 'A dialog over the page that asks the user to finish one task before going back.')]);
    expect(paths(index, 'dialog that asks the user to finish one task', { ...DEFAULT_RANK_WEIGHTS, codePrior: 0.5 })[0]).toBe('components/modal/index.mdx');
    expect(paths(index, 'dialog that asks the user to finish one task', { ...DEFAULT_RANK_WEIGHTS, codePrior: 2 })[0]).toBe('code:acme/widgets/src/modal.ts');
  });

  it('leads with the code where the docs say nothing', () => {
    const index = buildRankIndex([...DOCS, codeSection('src/spinner.ts', 'Spinner', 'Spinner waits: delay = 250 ms before it shows')]);
    expect(paths(index, 'how long does the spinner wait before it shows', DEFAULT_RANK_WEIGHTS)[0]).toBe('code:acme/widgets/src/spinner.ts');
  });
});

describe('a question asked of the docs in words keeps its docs first', () => {
  // Source files that outscore the docs on the question's words (× codePrior 3: by a tenth), but by less than codeLead.
  const index = buildRankIndex([...DOCS, ...CODE]);
  const weights = { ...DEFAULT_RANK_WEIGHTS, codePrior: 3 };
  const inWords = 'a toast that stays long until dismissed';

  it('holds the code below the docs unless the question is asked of the code, and only with codeLead', () => {
    expect(isAskedOfCode(index, inWords)).toBe(false);
    expect(paths(index, inWords, weights)[0]).toBe('components/toast/index.mdx');
    // Without the rule (every source file may lead), the code takes the first places: the docs page is not first.
    expect(paths(index, inWords, { ...weights, codeLead: 0 })[0]).toMatch(/^code:/);
  });

  it('gives the code its places when the question names what the code defines, or asks for a default', () => {
    for (const question of ['a toast that toastStays2 long until dismissed', 'a toast that stays long until dismissed by default', 'how long does a toast stay until dismissed?']) {
      expect(isAskedOfCode(index, question)).toBe(true);
      expect(paths(index, question, weights)[0]).toMatch(/^code:/);
    }
  });

  it('reads a name as the code\'s only as the code writes it, and only if the code has it', () => {
    const named = buildRankIndex([...DOCS, codeSection('src/toaster.tsx', 'Toaster', 'const Toaster = ({ dismissAfter }) => portal(toasts);')]);
    expect(isAskedOfCode(named, 'put toasts on the screen with the Toaster')).toBe(true);
    expect(isAskedOfCode(named, 'put toasts on the screen with the toaster')).toBe(false);
    expect(isAskedOfCode(named, 'my toast with dismissAfter never goes away')).toBe(true);
    // Written as code, but another product's names: no source file has them.
    expect(isAskedOfCode(named, 'an icon like the Console icon .icon-twilio-external-link for the Account/Project switcher')).toBe(false);
    // No code indexed: no question is asked of it.
    expect(isAskedOfCode(buildRankIndex(DOCS), 'where does the Toaster put toasts by default?')).toBe(false);
  });

  it('reads a question about what the product does as asked of the code, and the reader\'s own doing or a description as not', () => {
    for (const question of [
      'how fast does the typing effect reveal the text?',
      'which library makes the text area grow with its content?',
      'does a card come with padding out of the box?',
      'is the combobox built on downshift?',
      "why doesn't my select show its arrow when multiple is on?",
      'my toast never goes away, why?',
      'when do the up and down buttons of a number input disappear?',
      'I pass a value bigger than the maximum: does the bar overflow its track?',
    ]) {
      expect(asksOfTheProduct(question), question).toBe(true);
    }
    for (const question of [
      'how do I make a primary button?',
      'should I use a link or a button when the click takes the user to another page?',
      'what should I say when something went wrong?',
      'can we customise the colors of a badge?',
      'a dropdown where you can type to filter the choices',
      'when I click the close icon nothing happens',
      'show a snippet of code that people can copy',
    ]) {
      expect(asksOfTheProduct(question), question).toBe(false);
    }
  });
});

describe('a source file measured by the docs\' yardstick', () => {
  const TOPICS = ['tooltip', 'button', 'modal', 'combobox', 'toast', 'spinner', 'tabs', 'popover', 'select', 'checkbox', 'alert', 'avatar'];
  // As many docs sections as source sections, each kind past MIN_KIND_SECTIONS (kind-stats.ts): short docs sections,
  // long symbols (prose, then a page of code), as the Paste docs and source are.
  const docs = Array.from({ length: MIN_KIND_SECTIONS + 40 }, (_, at) => {
    const topic = TOPICS[at % TOPICS.length]!;
    return rankSection(`components/${topic}-${at}/index.mdx`, `${topic} ${at}`, `Using the ${topic}`, `Place the ${topic} where people expect it.`);
  });
  const body = (name: string) => Array.from({ length: 30 }, (_, line) => `  const ${name}Value${line} = read${name}(props, ${line});`).join('\n');
  const code = Array.from({ length: MIN_KIND_SECTIONS + 40 }, (_, at) => {
    const topic = TOPICS[at % TOPICS.length]!;
    return codeSection(`src/${topic}${at}.tsx`, `${topic}Part${at}`, `**${topic}Part${at}**: function in \`src/${topic}${at}.tsx\`.\n\n\`\`\`tsx\n${body(topic)}\n\`\`\``);
  });
  // A long symbol whose `switch` says "case" a dozen times, and the style guide's section on sentence case.
  const switchCases = Array.from({ length: 12 }, (_, at) => `    case 'variant${at}':\n      return Button${at};`).join('\n');
  const getButton = codeSection('src/Button.tsx', 'getButtonComponent', `**getButtonComponent**: function in \`src/Button.tsx\`. In words: get button component, button label, should use.\n\n\`\`\`tsx\nconst getButtonComponent = (variant) => {\n  switch (variant) {\n${switchCases}\n  }\n};\n${body('button')}\n\`\`\``);
  const guide = rankSection('content/style-guide/index.mdx', 'Style guide', 'Sentence case', 'Write labels in sentence case.');

  it('ranks a docs section on the question\'s words above a long symbol whose code repeats one of them', () => {
    const index = buildRankIndex([...docs, ...code, getButton, guide]);
    expect(kindStats(index).isSplit).toBe(true);
    const found = paths(index, 'should button labels use title case or sentence case', DEFAULT_RANK_WEIGHTS, 10);
    expect(found).toContain('code:acme/widgets/src/Button.tsx');
    expect(found.indexOf('content/style-guide/index.mdx')).toBeLessThan(found.indexOf('code:acme/widgets/src/Button.tsx'));
  });

  it('normalises a source section\'s lengths by the docs\' averages, not the whole index\'s', () => {
    const index = buildRankIndex([...docs, ...code, getButton, guide]);
    const { kindOf, lengthKindOf } = kindStats(index);
    const at = (path: string) => index.sections.findIndex((section) => section.path === path);
    expect(kindOf[at('code:acme/widgets/src/Button.tsx')]).toBe(THREADS);
    expect(lengthKindOf[at('code:acme/widgets/src/Button.tsx')]).toBe(DOCS_KIND);
    expect(lengthKindOf[at('content/style-guide/index.mdx')]).toBe(DOCS_KIND);
  });
});

describe('a source file\'s title', () => {
  const inPackage = (file: string, packageName: string, heading: string, content: string): TRankSection => {
    const section = codeSection(file, heading, content);
    return { ...section, title: `${file.split('/').pop()} · ${packageName}`, meta: { code: { file, language: 'tsx', package: packageName, exports: [heading] } } };
  };

  it('names its file and its package, not the scope every package shares: a question saying the scope gives no title bonus', () => {
    const guide = rankSection('introduction/quickstart/index.mdx', 'Quickstart', 'Using Acme Flex', 'A spinner error inside Acme Flex: wrap the app in the theme.');
    const styled = inPackage('packages/spinner/src/styled.tsx', '@acme/spinner', 'AnimatedCircle', 'The circle the spinner animates inside Acme.');
    const index = buildRankIndex([DOCS[1]!, guide, styled]);
    const found = paths(index, 'acme spinner error inside Acme Flex', DEFAULT_RANK_WEIGHTS);
    expect(found).toContain('code:acme/widgets/packages/spinner/src/styled.tsx');
    expect(found[0]).toBe('introduction/quickstart/index.mdx');
    // Its own package's name still counts: the Spinner's file leads a question about the spinner's circle.
    expect(paths(index, 'spinner animated circle', DEFAULT_RANK_WEIGHTS)[0]).toBe('code:acme/widgets/packages/spinner/src/styled.tsx');
  });
});

import { describe, expect, it } from 'vitest';
import { rankSection } from '../helpers/rank-sections';
import { buildRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
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
    const open = paths(index, 'how long does a toast stay until dismissed', { ...DEFAULT_RANK_WEIGHTS, codePrior: 3, codeSlots: 5 });
    expect(open).not.toContain('components/toast/index.mdx');
    const capped = paths(index, 'how long does a toast stay until dismissed', { ...DEFAULT_RANK_WEIGHTS, codePrior: 3 });
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

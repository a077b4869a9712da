import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { MAINTAINER_ACCESS } from '@/lib/audiences';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { definitionOf, definitionSentence, isIdentifierHeading } from '@/lib/docs/search/ranking/definition';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';

// A settings reference names each section by its identifier and says what it is in its first sentence; readers ask
// in that sentence's words. Shaped like pnpm's store settings (../shared/corpora/pnpm-docs settings/store.md).

const STORE_DIR = [
  '* Default:',
  '  * On Linux: **~/.local/share/pnpm/store**',
  '* Type: **path**',
  '',
  'The location where all the packages are saved on the disk.',
  '',
  'The store should be always on the same disk on which installation is happening. A store on another disk is copied from, not hard-linked.',
].join('\n');

describe('a section named by an identifier', () => {
  it('is a flag, a camelCase name or a dotted path; a heading in words is not', () => {
    expect(isIdentifierHeading('storeDir')).toBe(true);
    expect(isIdentifierHeading('`server.proxy`')).toBe(true);
    expect(isIdentifierHeading('dependenciesMeta.*.injected')).toBe(true);
    expect(isIdentifierHeading('--filter <package_name>')).toBe(true);
    expect(isIdentifierHeading('-C <path>, --dir <path>')).toBe(true);
    expect(isIdentifierHeading('Why this is needed')).toBe(false);
    expect(isIdentifierHeading('Loading')).toBe(false);
    expect(isIdentifierHeading('ERR_PNPM_NO_LOCKFILE')).toBe(false);
    expect(isIdentifierHeading('v1.2.3')).toBe(false);
    expect(isIdentifierHeading(null)).toBe(false);
  });

  it('is defined by the first sentence of its first paragraph of prose, past its lists and fields', () => {
    expect(definitionSentence(STORE_DIR)).toBe('The location where all the packages are saved on the disk.');
    expect(definitionSentence('- **Type:** `string`\n\n**Default:** `true`\n\n:::tip\nA tip.\n:::\n\nConfigure custom proxy rules for the dev server. Expects an object.')).toBe(
      'Configure custom proxy rules for the dev server.',
    );
    expect(definitionSentence('| a | b |\n| - | - |')).toBe('');
    // A paragraph the sentence splitter cannot cut is no definition.
    expect(definitionSentence(Array.from({ length: 60 }, () => 'word').join(' '))).toBe('');
    expect(definitionOf('Loading', 'Show a spinner while the form submits.')).toBe('');
    expect(definitionOf('storeDir', STORE_DIR)).toBe('The location where all the packages are saved on the disk.');
  });

  it('leads for a question in its definition’s words, over a heading and a page that say one of them', () => {
    const index = buildRankIndex([
      section('settings/store.md', 'Store Settings', 'storeDir', STORE_DIR),
      section('settings/store.md', 'Store Settings', 'verifyStoreIntegrity', 'Whether the files of the store are checked against their hashes before they are linked.'),
      ...['packageImportMethod', 'sideEffectsCache', 'modulesCacheMaxAge', 'dlxCacheMaxAge', 'useRunningStoreServer', 'strictStorePkgContentCheck'].map((name) =>
        section('settings/other.md', 'Other Settings', name, `How ${name} treats the packages it takes from the store when it installs them.`),
      ),
      section('global-store.md', 'Global store', 'With a global store', 'Every project links into one store. The store is shared, the store is content-addressable, and the store location is printed by the store path command.'),
      section('binaries.md', 'Binaries', 'Binaries location', 'Where the store puts the binaries of global packages: each binary is linked into the bin folder at this location.'),
    ]);
    const first = rankSections(index, 'how do I change the store location?', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 3 });
    expect(index.sections[first[0]!.section]!.heading).toBe('storeDir');
  });
});

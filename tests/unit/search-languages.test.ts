import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { tokenize } from '@/lib/docs/search/ranking/text';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { foldAccents, queryLanguage, queryStopWords } from '@/lib/docs/search/languages';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Search over English docs for questions in other languages (lib/docs/search/languages.ts): accents folded on
// both sides, and the question language's function words dropped.

const words = (text: string, extra?: ReadonlySet<string>) => tokenize(text, extra).map((token) => token.word);

describe('accents', () => {
  it('are folded on both sides: the docs’ words and the question’s', () => {
    expect(foldAccents('créer')).toBe('creer');
    expect(foldAccents('useToaster')).toBe('useToaster');
    expect(words('Créer un café déjà')).toEqual(['creer', 'un', 'cafe', 'deja']);
    // A code identifier still splits on its case once folded.
    expect(words('éditeurMarkdown')).toEqual(['editeurmarkdown', 'editeur', 'markdown']);
  });

  it('a question with or without accents finds the section that has the word either way', () => {
    const index = buildRankIndex([
      section('guides/creer.mdx', 'Creer a page', 'Creer', 'The creer command scaffolds a page.'),
      section('guides/cafe.mdx', 'Café mode', 'Café', 'Turn on café mode for a quieter layout.'),
      section('guides/other.mdx', 'Other', 'Other', 'Something else entirely about layouts.'),
    ]);
    const top = (query: string) => rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 }).map((hit) => index.sections[hit.section]!.path);
    expect(top('créer')).toEqual(['guides/creer.mdx']);
    expect(top('cafe mode')).toEqual(['guides/cafe.mdx']);
    expect(top('café')).toEqual(['guides/cafe.mdx']);
  });
});

describe('the question language’s stop words', () => {
  it('are those of the detected language, none for English', () => {
    expect(queryStopWords('How do I add a toast?')).toBeUndefined();
    expect(queryStopWords('Comment ajouter une notification toast ?')?.has('comment')).toBe(true);
    expect(queryStopWords('¿Cómo agrego una notificación toast?')?.has('como')).toBe(true);
    expect(queryStopWords('Wie füge ich eine Toast-Benachrichtigung hinzu?')?.has('wie')).toBe(true);
  });

  it('are dropped from the question, leaving the words that say what it is about', () => {
    const query = 'Comment est-ce que je change la couleur du bouton ?';
    expect(words(query, queryStopWords(query))).toEqual(['change', 'couleur', 'bouton']);
    // Without the French list, its function words would be searched as words.
    expect(words(query)).toContain('comment');
  });

  it('no longer pull a French question toward sections that merely share them', () => {
    const index = buildRankIndex([
      section('guides/comments.mdx', 'Comments', 'Comment threads', 'A comment thread holds comments. Add a comment to start one.'),
      section('components/toast.mdx', 'Toast', 'Adding a toast', 'Use the toaster to push a toast when an action completes.'),
    ]);
    const query = 'Comment ajouter un toast ?';
    const [best] = rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 2 });
    expect(index.sections[best!.section]!.path).toBe('components/toast.mdx');
  });
});

describe('endings with an English counterpart', () => {
  it('are searched in their English form, in a question of that language only', () => {
    expect(queryLanguage('¿Cómo configuro las notificaciones de Slack?').text).toBe('¿Cómo configuro las notifications de Slack?');
    expect(queryLanguage('Onde fica a configuração da autenticação?').text).toBe('Onde fica a configuration da autentication?');
    expect(queryLanguage('Come si usa la paginazione?').text).toBe('Come si usa la pagination?');
    expect(queryLanguage('Quelle est la différence entre accessibilité et visibilité ?').text).toContain('accessibility');
    // An English question is searched as written, whatever its endings.
    expect(queryLanguage('How do I show a notificacion?').text).toBe('How do I show a notificacion?');
  });

  it('find the English section a word-for-word match would miss', () => {
    const index = buildRankIndex([
      section('guides/slack.mdx', 'Slack', 'Notifications', 'Slack notifications tell the maintainers about every conversation.'),
      section('guides/configuration.mdx', 'Configuration', 'Settings', 'Every setting of the server, and its default.'),
    ]);
    const [best] = rankSections(index, '¿Dónde están las notificaciones?', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 1 });
    expect(best && index.sections[best.section]!.path).toBe('guides/slack.mdx');
  });
});

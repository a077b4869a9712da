// The panel's and the embed's own words in English: the reference table. Every other language's table has
// exactly these keys (tests/unit/i18n.test.ts); a `{name}` in a text is filled in by uiText (lib/shared/i18n/index.ts).
export const en = {
  'panel.name': 'Assistant',
  'panel.newThread': 'New thread',
  'panel.close': 'Close the assistant',
  'panel.openAllThreads': 'Open all threads',
  'panel.toggleHint': 'Ctrl/⌘+I toggles this panel',
  'panel.askingAboutPage': 'Asking about the page',
  'panel.stopAskingAbout': 'Stop asking about {title}',
  'panel.askButton': 'Ask the assistant',
  'embed.label': 'Docs assistant',
  'embed.showThreads': 'Show threads',
  'embed.hideThreads': 'Hide threads',
  'embed.threads': 'Threads',
  'composer.label': 'Ask a question about the docs',
  'composer.placeholder': 'Ask a question about the docs…',
  'composer.send': 'Send message',
  'intro.askTheDocs': 'Ask the docs',
  'intro.askName': 'Ask {name}',
  'intro.generic': "I answer questions from this site's documentation. Every answer links to the sections it comes from, so you can read more.",
  'intro.tryAsking': 'Try asking',
  'intro.privacy': 'Privacy:',
  'intro.privacyDefault':
    'your messages are stored, and the maintainers read them to improve these docs. Please don’t include passwords, keys or personal data.',
  'answer.sources': 'Sources',
  'answer.copy': 'Copy',
  'answer.copied': 'Copied',
  'answer.copyLabel': 'Copy this answer',
  'answer.isHelpful': 'Is this helpful?',
  'answer.helpful': 'Helpful',
  'answer.notHelpful': 'Not helpful',
  'answer.feedbackLabel': 'Feedback on this answer',
  'answer.stopped': 'Stopped: this answer is incomplete',
  'answer.incomplete': 'Incomplete: the assistant did not finish this answer',
  'vote.why': 'Why was this answer not helpful?',
  'vote.whatWasMissing': 'What was missing or wrong? (optional)',
  'vote.maintainersRead': 'The maintainers read this',
  'vote.send': 'Send',
  'vote.noThanks': 'No thanks',
} as const;

export type TUiKey = keyof typeof en;
/** A language's table: every key of the English one. */
export type TUiTable = Record<TUiKey, string>;

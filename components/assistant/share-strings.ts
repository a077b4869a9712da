// The words of share links, in one table (the panel's button and the shared page), so that a translation table can
// take them over as they are: plain strings, and functions where a value goes in.

export const SHARE_STRINGS = {
  button: 'Share',
  buttonLabel: 'Share this conversation: copy a read-only link',
  linkLabel: 'Link to this conversation',
  sharing: 'Sharing…',
  copied: 'Link copied. Anyone with it can read this conversation as it is now.',
  shownOnly: 'Copy this link to share the conversation as it is now:',
  failed: 'Could not make a link. Try again.',
  stop: 'Stop sharing',
  stopped: 'The links to this conversation no longer work.',
};

export const SHARED_PAGE_STRINGS = {
  siteSuffix: 'Shared conversation',
  logLabel: 'The shared conversation',
  snapshotNote: (day: string) => `A conversation with the docs assistant, shared on ${day}, as it was then. Who asked is not shown.`,
  askYourOwn: 'Ask your own question',
  revokedTitle: 'This link was revoked',
  revokedText: 'The person who shared this conversation stopped sharing it.',
};

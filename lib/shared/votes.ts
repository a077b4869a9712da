// Thumbs on answers: what the browser's feedback form and the vote API agree on.

/** The longest reason a reader may give with a thumbs-down (the API refuses more; the form stops there). */
export const MAX_VOTE_REASON_CHARS = 500;

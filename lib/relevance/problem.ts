// Whether a question brings a problem rather than asks how: a reader asks "is this a bug", says something "doesn't
// work", pastes an error message or a stack trace, or names the version they run. Such a question is best answered by
// the thread where the same problem was reported and settled, beside the docs' sections: the docs describe how things
// should work, a thread what went wrong and what fixed it. Pure: general English and the shapes of errors, no
// project's words.

const PROBLEM_WORDS =
  /\b(?:bugs?|buggy|broken|breaks?|regression|crash(?:es|ed|ing)?|errors?|exceptions?|fail(?:s|ed|ing|ure)?|not (?:work|show|render|clos|open|updat)\w*|(?:does|do|did|is|are|was|were|can)(?:n['’]?t| not) (?:work|show|render|close|open|update|fire|trigger|display|appear)\w*|stopped working|no longer|unexpected(?:ly)?|wrong|glitch\w*|flicker\w*|erratic\w*)\b/i;
/** An error as a program prints it: `TypeError: …`, `Uncaught …`, `Warning: …`, or a stack frame `at fn (file.js:12:3)`. */
const ERROR_TEXT = /\b[A-Z]\w*(?:Error|Exception|Warning)\b|\bUncaught\b|^\s*at \S+ \(?\S+:\d+:\d+\)?\s*$/m;
/** A version a reader runs: `20.20.0`, `v6.3`, "version 13". */
const VERSION = /\bv?\d+\.\d+(?:\.\d+)?\b|\bversion \d+\b/i;

export function isProblemQuestion(question: string): boolean {
  return PROBLEM_WORDS.test(question) || ERROR_TEXT.test(question) || VERSION.test(question);
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isBot, isMaintainer, threadPath, type TGithubComment, type TGithubIssue, type TRepoRef } from '@/lib/docs/sources/single-kinds';
import type { TQuestion } from './search-eval';

// The thread-answer question set, computed from a GitHub corpus when the evaluation runs (no file of answers: every
// target below is read off the threads' own links). A question is a thread whose problem another thread answers,
// because the people who knew said so:
// - "Duplicate of #N" (or "dupe … in favour of #N"): the duplicate asks, #N answers;
// - a pull request that says it fixes, closes or resolves an issue (GitHub's closing keywords): the issue asks, the
//   pull request answers;
// - any other link between two threads, written by a maintainer (author_association MEMBER, OWNER, COLLABORATOR)
//   or by the linking thread's own author: between an issue and a pull request the issue asks and the pull request
//   answers (a pull request that points at an issue addresses it); between two issues or two pull requests the later
//   one asks and the earlier one answers.
// The question is what the asking thread's reader wrote: its title when the thread is in the corpus, else that
// thread's question as a reader wrote it in a real-reader set (evals/paste-real.json keeps real questions of issues
// that are not in the corpus, by their URL). A thread with no text of its own here asks nothing. The target is the
// answering thread's page (its index path). Nothing here is chosen by hand, and nothing depends on the ranking.

export type TGithubCorpus = { repo: TRepoRef; issues: TGithubIssue[]; comments: Record<string, TGithubComment[]> };

/** `../shared/corpora/paste-github` (issues.json, comments.json by issue number), as the fake GitHub serves it. */
export function readGithubCorpus(dir: string, repo: TRepoRef = { owner: 'twilio-labs', name: 'paste' }): TGithubCorpus {
  const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown;
  return { repo, issues: read('issues.json') as TGithubIssue[], comments: read('comments.json') as Record<string, TGithubComment[]> };
}

export type TLinkKind = 'duplicate' | 'closes' | 'points';

/** A link one thread's text makes to another thread of the same repository. */
export type TThreadLink = { from: number; to: number; kind: TLinkKind; isToPullRequest: boolean | null };

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s*$/i;
const DUPLICATE = /\b(?:duplicate|dupe)\b|\bin favou?r of\b/i;

/** The references in a text to threads of `repo`: `#123`, or a link to its issues, pull requests or discussions. */
export function threadReferences(text: string, repo: TRepoRef): { number: number; at: number; isPullRequest: boolean | null }[] {
  const found: { number: number; at: number; isPullRequest: boolean | null }[] = [];
  const url = new RegExp(`(?:https?://)?(?:www\\.)?github\\.com/${escape(repo.owner)}/${escape(repo.name)}/(issues|pull|discussions)/(\\d+)`, 'gi');
  for (const match of text.matchAll(url)) found.push({ number: Number(match[2]), at: match.index, isPullRequest: match[1]!.toLowerCase() === 'pull' });
  // A bare #123 (not an anchor of a link, not an HTML entity, not part of a word).
  for (const match of text.matchAll(/(?<![\w/&#])#(\d+)\b/g)) found.push({ number: Number(match[1]), at: match.index, isPullRequest: null });
  return found.sort((a, b) => a.at - b.at);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The links between threads that maintainers and the threads' own authors wrote (bots' and other readers' skipped). */
export function threadLinks(corpus: TGithubCorpus): TThreadLink[] {
  const links: TThreadLink[] = [];
  for (const issue of corpus.issues) {
    const author = issue.user?.login ?? null;
    const texts: { body: string; isTrusted: boolean }[] = [{ body: issue.body ?? '', isTrusted: true }];
    for (const comment of corpus.comments[String(issue.number)] ?? []) {
      if (isBot(comment.user)) continue;
      const isAuthor = author !== null && comment.user?.login === author;
      texts.push({ body: comment.body ?? '', isTrusted: isMaintainer(comment) || isAuthor });
    }
    for (const { body, isTrusted } of texts) {
      if (!isTrusted) continue;
      for (const reference of threadReferences(body, corpus.repo)) {
        if (reference.number === issue.number) continue;
        const before = body.slice(Math.max(0, reference.at - 80), reference.at);
        const kind: TLinkKind = DUPLICATE.test(before) ? 'duplicate' : issue.pull_request && CLOSING.test(before) ? 'closes' : 'points';
        links.push({ from: issue.number, to: reference.number, kind, isToPullRequest: reference.isPullRequest });
      }
    }
  }
  return links;
}

/** A reader's question of a thread that is not in the corpus, by the thread's URL (a real-reader set's source). */
export type TReaderQuestion = { id: string; question: string; source: string };

/** A question of the thread set: who asks (the thread's number), how the answer is linked, and the answering pages. */
export type TThreadQuestion = TQuestion & {
  id: string;
  /** The asking thread's number. */
  asker: number;
  /** Whether the asking thread is in the corpus (then it must leave the index when its question is asked). */
  isAskerIndexed: boolean;
  /** The answering threads' numbers (the pages are their index paths). */
  targets: number[];
  kinds: TLinkKind[];
};

/**
 * The questions the corpus's links make (see the top of this file). `readers`: real readers' questions of threads
 * not in the corpus; a question there whose thread is in the corpus is not used (its title is).
 * `id`: the reader question's own id when there is one (so that cross-validation puts the two uses of one question
 * in the same fold), else `github:<number>`.
 */
export function threadQuestions(corpus: TGithubCorpus, readers: TReaderQuestion[] = []): TThreadQuestion[] {
  const byNumber = new Map(corpus.issues.map((issue) => [issue.number, issue]));
  const isPull = (number: number, hint: boolean | null): boolean | null => {
    const issue = byNumber.get(number);
    return issue ? Boolean(issue.pull_request) : hint;
  };
  const repoUrl = new RegExp(`^https://github\\.com/${escape(corpus.repo.owner)}/${escape(corpus.repo.name)}/(?:issues|pull|discussions)/(\\d+)$`, 'i');
  const readerByNumber = new Map<number, TReaderQuestion>();
  for (const reader of readers) {
    const number = Number(repoUrl.exec(reader.source)?.[1]);
    if (Number.isInteger(number) && number > 0 && !readerByNumber.has(number)) readerByNumber.set(number, reader);
  }
  const answers = new Map<number, Map<number, Set<TLinkKind>>>();
  const add = (asker: number, target: number, kind: TLinkKind) => {
    if (asker === target || !byNumber.has(target)) return;
    let targets = answers.get(asker);
    if (!targets) answers.set(asker, (targets = new Map()));
    targets.set(target, (targets.get(target) ?? new Set()).add(kind));
  };
  for (const link of threadLinks(corpus)) {
    if (link.kind === 'duplicate') add(link.from, link.to, link.kind);
    else if (link.kind === 'closes') add(link.to, link.from, link.kind);
    else {
      const fromPull = isPull(link.from, null);
      const toPull = isPull(link.to, link.isToPullRequest);
      // Between an issue and a pull request the pull request answers; a link whose other side is unknown says nothing.
      if (toPull === null) continue;
      if (fromPull && !toPull) add(link.to, link.from, link.kind);
      else if (!fromPull && toPull) add(link.from, link.to, link.kind);
      else add(Math.max(link.from, link.to), Math.min(link.from, link.to), link.kind);
    }
  }
  const questions: TThreadQuestion[] = [];
  for (const [asker, targets] of [...answers].sort((a, b) => a[0] - b[0])) {
    const own = byNumber.get(asker);
    const reader = own ? undefined : readerByNumber.get(asker);
    const q = own ? own.title.trim() : reader?.question.trim();
    if (!q) continue;
    const numbers = [...targets.keys()].sort((a, b) => a - b);
    questions.push({
      id: reader?.id ?? `github:${asker}`,
      q,
      pages: numbers.map((number) => threadPath(corpus.repo, number)),
      asker,
      isAskerIndexed: own !== undefined,
      targets: numbers,
      kinds: [...new Set([...targets.values()].flatMap((kinds) => [...kinds]))].sort(),
    });
  }
  return questions;
}

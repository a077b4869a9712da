import { describe, expect, it } from 'vitest';
import { rankSection as section } from '../helpers/rank-sections';
import { buildRankIndex, type TRankSection } from '@/lib/docs/search/ranking/build';
import { subjectPagesOf } from '@/lib/docs/search/ranking/subject';
import { isSetupHeading, isSetupQuestion } from '@/lib/relevance/setup-intent';

// Issue 69, item 1: the page about what the question names leads, even when the docs name it everywhere. Docs of a
// product with a Mattermost integration: "Mattermost" is on every page, one page is about it, and another page's
// "direct connection" holds the question's generic verb many times over (as this site's Postgres guide did for
// "How do I connect the assistant to Slack?"). That the Slack question leads with "Slack setup › Configure the server"
// on this site's docs is tests/integration/docs-examples.test.ts (the question is one of the docs' examples).

const FILLER = 'the server keeps each thread and its runs in the database and answers readers from the docs index';

function docs(): TRankSection[] {
  const sections = [
    section('guides/mattermost.mdx', 'Mattermost setup', 'Create the Mattermost app', 'Open the Mattermost System Console, create a bot account for Mattermost, and copy the Mattermost token.'),
    section('guides/mattermost.mdx', 'Mattermost setup', 'Configure the server', 'Set MATTERMOST_TOKEN and MATTERMOST_CHANNEL on the server and restart it.'),
    section('guides/mattermost.mdx', 'Mattermost setup', 'Replies from Mattermost', 'A maintainer replies in Mattermost; the Mattermost reply reaches the reader. Mattermost threads, Mattermost names, the assistant and Mattermost channels.'),
    section('modes/postgres.mdx', 'Postgres', 'Use the direct connection', 'Give the assistant its direct connection string as DATABASE_URL: the connection pooler cannot listen.'),
  ];
  for (let at = 0; at < 8; at += 1) sections.push(section(`guides/topic-${at}.mdx`, `Topic ${at}`, `Part ${at}`, `${FILLER}; a copy of each conversation goes to Mattermost (topic ${at}).`));
  return sections;
}

const index = buildRankIndex(docs());
const mattermostPage = index.pages.findIndex((page) => page.path === 'guides/mattermost.mdx');

describe('a question that names the subject of a page the docs name everywhere', () => {
  it('finds the one page whose title has the name, when the docs write it on at least half their pages', () => {
    expect(subjectPagesOf(index, 'How do I connect the assistant to Mattermost?')).toEqual(new Set([mattermostPage]));
    // Written as a name only inside a sentence: the first word of a question is capitalised anyway.
    expect(subjectPagesOf(index, 'Mattermost keeps failing')).toEqual(new Set());
    expect(subjectPagesOf(index, 'how do i connect the assistant to mattermost?')).toEqual(new Set());
    // A word on fewer than half the pages weighs by its own idf, and is no subject.
    expect(subjectPagesOf(index, 'How do I use Postgres?')).toEqual(new Set());
  });

  it('names no page when two titles have the word', () => {
    const two = buildRankIndex([...docs(), section('guides/mattermost-replies.mdx', 'Mattermost replies', 'Threads', 'Mattermost threads.')]);
    expect(subjectPagesOf(two, 'How do I connect the assistant to Mattermost?')).toEqual(new Set());
  });
});

describe('setup intent', () => {
  it('tells a setup question and a setup heading', () => {
    expect(isSetupQuestion('How do I connect the assistant to Slack?')).toBe(true);
    expect(isSetupQuestion('how do I set up Discord')).toBe(true);
    expect(isSetupQuestion('Why is my toast gone after 5 seconds?')).toBe(false);
    expect(isSetupHeading('Configure the server')).toBe(true);
    expect(isSetupHeading('Installation')).toBe(true);
    expect(isSetupHeading('Replies from Slack')).toBe(false);
  });
});

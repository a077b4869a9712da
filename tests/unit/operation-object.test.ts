import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationSections, rankSection } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { actsOnObject, questionObject } from '@/lib/docs/search/ranking/intent';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { synonymsByStem } from '@/lib/docs/search/ranking/vocabulary';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { buildSpecPages } from '@/lib/docs/sources/openapi/page';
import { readSpec } from '@/lib/docs/sources/openapi/read';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Issue 56, item 3, "its resource's plain name": the thing a question's verb acts on (the words after the verb, up to
// a preposition) against the resource each operation acts on (its path's last collection, in words). "hang up a
// call" acts on a call: the call's update, not the call recording's, though both change something about a call.

const object = (question: string) => [...(questionObject(question) ?? [])].sort();

describe('the thing a question acts on', () => {
  it('is the words after the verb, up to a preposition, without articles and possessives, singular', () => {
    expect(object('send an SMS to a phone number from my server')).toEqual(['sms']);
    expect(object('hang up a call')).toEqual(['call']);
    expect(object('How do I list all my incoming phone numbers?')).toEqual(['incoming', 'number', 'phone']);
    expect(object("ring somebody's phone from my app")).toEqual(['phone']);
    expect(object('Is it possible to delete a message?')).toEqual(['message']);
  });

  it('is nothing without a verb that asks something done, or when the verb names no object', () => {
    expect(questionObject('a one-time passcode')).toBeNull();
    expect(questionObject('hang up')).toBeNull();
  });

  it('an operation acts on it when its resource’s plain name shares a word', () => {
    expect(actsOnObject(new Set(['call']), 'calls')).toBe(true);
    expect(actsOnObject(new Set(['number']), 'incoming phone numbers')).toBe(true);
    expect(actsOnObject(new Set(['call']), 'recordings')).toBe(false);
  });
});

describe('a spec’s resources', () => {
  it('a tag page carries each operation’s resource in plain words, by its anchor', async () => {
    const spec = await readSpec(path.resolve(import.meta.dirname, '../fixtures/openapi/voice-v31.yaml'), { maxBytes: 1_000_000, timeoutMs: 5000 });
    const { pages } = buildSpecPages({ document: spec.document, origin: null, name: 'voice', slug: 'reference/voice', checksum: spec.checksum });
    const resources = Object.assign({}, ...pages.map((page) => page.meta?.resources ?? {})) as Record<string, string>;
    expect(resources['operation/UpdateCall']).toBe('calls');
    expect(Object.values(resources)).toContain('incoming phone numbers');
    expect(Object.values(resources)).toContain('members');
  });
});

describe('ranking the operation on the thing acted on first', () => {
  // Two updates whose text says the same: a call recording's (listed first, so section order alone puts it first)
  // and a call's. Only what each acts on tells them apart.
  const sections = operationSections(
    'openapi/calls/001-call',
    { title: 'Call', heading: 'Update', content: 'Changes a call while it is in progress: its status, its recording, its URL.' },
    [
      ['UpdateCallRecording', 'update', 'recordings'],
      ['UpdateCall', 'update', 'calls'],
    ],
  );
  sections.push(rankSection('guides/calls.mdx', 'Calls guide', 'About calls', 'A call connects a telephone to your app; you can hang up a call.'));
  const index = buildRankIndex(sections);
  const ranked = (query: string, weights = DEFAULT_RANK_WEIGHTS) => rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit: 6 });
  const firstOperation = (query: string, weights = DEFAULT_RANK_WEIGHTS) =>
    index.sections[rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit: 6, kinds: new Set(['openapi']) })[0]!.section]!.anchor;

  it('the operation whose resource is the question’s object comes first', () => {
    expect(firstOperation('hang up a call')).toBe('operation/UpdateCall');
    expect(firstOperation('change the recording of a call')).toBe('operation/UpdateCallRecording');
  });

  it('ranks only: without it the two tie in their order, and the evidence and the docs pages stay the same', () => {
    const off = { ...DEFAULT_RANK_WEIGHTS, operationObject: 0 };
    expect(firstOperation('hang up a call', off)).toBe('operation/UpdateCallRecording');
    const evidence = (weights = DEFAULT_RANK_WEIGHTS) => ranked('hang up a call', weights).map((hit) => hit.evidence);
    expect(evidence()).toEqual(evidence(off));
    const guide = (weights = DEFAULT_RANK_WEIGHTS) => rankSections(index, 'hang up a call', { access: MAINTAINER_ACCESS, weights, limit: 6, kinds: new Set(['folder']) })[0]!.score;
    expect(guide()).toBe(guide(off));
  });
});

describe('the site’s synonyms reach the object', () => {
  // A list of messages and a list of today's usage records, their text alike: "the texts I received today" names
  // neither resource, until the site says a text is a message (site.config.json `synonyms`; no API's words here).
  const sections = operationSections(
    'openapi/messages/001-message',
    { title: 'Message', heading: 'List', content: 'Lists what your account received and sent today, newest first.' },
    [
      ['ListUsageRecordToday', 'list', 'today'],
      ['ListMessage', 'list', 'messages'],
    ],
  );
  const index = buildRankIndex(sections);
  const first = (vocabulary = synonymsByStem(undefined)) =>
    index.sections[rankSections(index, 'list the texts I received today', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5, vocabulary })[0]!.section]!.anchor;

  it('a site synonym of the object names the resource', () => {
    expect(object('list the texts I received today')).toEqual(['text']);
    expect(first()).toBe('operation/ListUsageRecordToday');
    expect(first(synonymsByStem({ text: ['message'] }))).toBe('operation/ListMessage');
  });
});


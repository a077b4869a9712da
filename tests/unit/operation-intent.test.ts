import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationSections, rankSection } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { questionActions } from '@/lib/docs/search/ranking/intent';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { buildSpecPages, operationKind } from '@/lib/docs/sources/openapi/page';
import { readSpec } from '@/lib/docs/sources/openapi/read';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Issue 56, item 3: an API operation is found from what a developer wants done to its resource — make one, list many,
// read one, change one, remove one — read from the question's verb in general English (ranking/intent.ts) and from the
// operation's method and path (openapi/page.ts operationKind, carried in its page's meta). Ranking only: what the
// docs prove (the relevance floor's evidence) is the question's own words, as before.

const actions = (question: string) => [...questionActions(question)].sort();

describe('what a question asks to do', () => {
  it('reads the leading verb after the words readers open with, phrasal verbs included', () => {
    expect(actions('How do I send an SMS?')).toEqual(['create']);
    expect(actions('ring somebody from my app')).toEqual(['create']);
    expect(actions('rename a subaccount')).toEqual(['update']);
    expect(actions('hang up a call')).toEqual(['remove', 'update']);
    expect(actions('give back a number I no longer need')).toEqual(['remove']);
    expect(actions('get rid of old call logs')).toEqual(['remove']);
    expect(actions('I want to delete a message')).toEqual(['remove']);
    expect(actions('Is it possible to delete a message?')).toEqual(['remove']);
    expect(actions('What is the best way to send a text?')).toEqual(['create']);
  });

  it('a verb that reads asks for the list or one item by its object; a question about what is, reads', () => {
    expect(actions('list the texts I received today')).toEqual(['list']);
    expect(actions('see the caller IDs I have verified')).toEqual(['list']);
    expect(actions('who is on the conference call right now')).toEqual(['list']);
    expect(actions('get the details of one call by its SID')).toEqual(['fetch']);
    expect(actions('look up a phone number')).toEqual(['fetch']);
    expect(actions('was my text delivered')).toEqual(['fetch', 'list']);
    // "that" opening a clause after a plural object is no "that call": the list.
    expect(actions('see the conferences that ended today')).toEqual(['list']);
    expect(actions('get that call')).toEqual(['fetch']);
  });

  it('names nothing when the question has no verb of its own', () => {
    expect(actions('a one-time passcode')).toEqual([]);
    expect(actions('a waiting line until an agent is free')).toEqual([]);
  });
});

describe('what an operation does, from its method and path', () => {
  it('one item or the collection decides between fetch and list, create and update', () => {
    expect(operationKind({ method: 'GET', path: '/v1/Calls' })).toBe('list');
    expect(operationKind({ method: 'GET', path: '/v1/Calls/{Sid}' })).toBe('fetch');
    expect(operationKind({ method: 'POST', path: '/v1/Calls' })).toBe('create');
    expect(operationKind({ method: 'POST', path: '/v1/Calls/{Sid}' })).toBe('update');
    expect(operationKind({ method: 'PATCH', path: '/pet' })).toBe('update');
    expect(operationKind({ method: 'DELETE', path: '/v1/Calls/{Sid}' })).toBe('remove');
    expect(operationKind({ method: 'HEAD', path: '/v1/Calls' })).toBeNull();
  });

  it('a spec’s tag page carries each operation’s action by its anchor', async () => {
    const spec = await readSpec(path.resolve(import.meta.dirname, '../fixtures/openapi/voice-v31.yaml'), { maxBytes: 1_000_000, timeoutMs: 5000 });
    const { pages } = buildSpecPages({ document: spec.document, origin: null, name: 'voice', slug: 'reference/voice', checksum: spec.checksum });
    const callPage = pages.find((page) => page.title === 'Call')!;
    expect(callPage.meta?.operations).toEqual({ 'operation/CreateCall': 'create', 'operation/ListCall': 'list', 'operation/FetchCall': 'fetch', 'operation/UpdateCall': 'update' });
    // The overview page has no operations.
    expect(pages[0]!.meta).toBeUndefined();
  });
});

describe('ranking operations by what they do', () => {
  // Five operations of one resource whose text says the same thing: only what each does tells them apart, as in a
  // spec whose every operation of a resource repeats the resource's description. Listed so that the one the question
  // asks for is never first by section order alone.
  // Headed alike (not by their ids, whose verbs would be words of their own).
  const sections = [
    ...operationSections(
      'openapi/calls/001-call',
      { title: 'Call', heading: 'Call', content: 'A call is a connection between a telephone and the API. Its status says where the call is.' },
      [
        ['CreateCall', 'create'],
        ['DeleteCall', 'remove'],
        ['FetchCall', 'fetch'],
        ['ListCall', 'list'],
        ['UpdateCall', 'update'],
      ],
    ),
    rankSection('guides/calls.mdx', 'Calls guide', 'About calls', 'A call connects a telephone to your app; its status changes as the call goes on.'),
  ];
  const index = buildRankIndex(sections);
  const first = (query: string, weights = DEFAULT_RANK_WEIGHTS) => {
    const [hit] = rankSections(index, query, { access: MAINTAINER_ACCESS, weights, limit: 6, kinds: new Set(['openapi']) });
    return hit ? index.sections[hit.section]!.anchor : null;
  };

  it('the operation that does what the question asks comes first', () => {
    expect(first('place a call')).toBe('operation/CreateCall');
    expect(first('list the calls from yesterday')).toBe('operation/ListCall');
    expect(first('get the status of one call')).toBe('operation/FetchCall');
    expect(first('hang up a call')).toMatch(/^operation\/(Update|Delete)Call$/);
    expect(first('change the status of a call')).toBe('operation/UpdateCall');
  });

  it('ranks only: the evidence and the docs pages are what the words alone make them', () => {
    const off = { ...DEFAULT_RANK_WEIGHTS, operationAction: 0 };
    // Without it, the words alone leave the five tied, in their order.
    expect(first('list the calls from yesterday', off)).toBe('operation/CreateCall');
    const evidence = (weights = DEFAULT_RANK_WEIGHTS) => rankSections(index, 'list the calls from yesterday', { access: MAINTAINER_ACCESS, weights, limit: 6 })[0]!.evidence;
    expect(evidence()).toBe(evidence(off));
    const guide = (weights = DEFAULT_RANK_WEIGHTS) => rankSections(index, 'list the calls from yesterday', { access: MAINTAINER_ACCESS, weights, limit: 6, kinds: new Set(['folder']) })[0]!.score;
    expect(guide()).toBe(guide(off));
  });
});

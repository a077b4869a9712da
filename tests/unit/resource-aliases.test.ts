import { describe, expect, it } from 'vitest';
import { operationSections } from '../helpers/rank-sections';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { actsOnObject, questionObject } from '@/lib/docs/search/ranking/intent';
import { buildSpecPages } from '@/lib/docs/sources/openapi/page';
import { resourceAliases } from '@/lib/docs/sources/openapi/resource-words';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// Issue 56, item 3: a developer names a resource by the kind a spec's prose calls it ("send an SMS", "text a photo"),
// not by its path's name (Messages). What else a spec calls a resource is learnt from its own prose: the words it
// writes again and again right before the resource's head noun.

const prose = [
  'Send an outbound text message or an SMS message. A text message can carry media. The SMS message is queued.',
  'Fetch a text message. Redact the body of an SMS message. Delete the text message and its media.',
  'Make calls and receive calls. Make a call to the number. A call recording is kept. Fetch the call recording.',
  'Update the call recording. List the call recording of the call. An outbound call connects.',
  '```bash\ncurl -X POST https://api.example.com/Messages.json --data-urlencode "Body=pizza message pizza message pizza message"\n```',
  'The `Body` parameter: `pizza message`, `pizza message`, `pizza message`.',
];

describe('what else a spec calls a resource', () => {
  const aliases = resourceAliases(prose, ['messages', 'calls', 'recordings']);

  it('is the words its prose writes at least three times right before the resource’s head noun', () => {
    expect(aliases.get('messages')).toEqual(['sms', 'text']);
  });

  it('is never another resource’s name, a word of which one, nor words of code and examples', () => {
    // "call recording" does not make a call a recording; "outbound" stands before calls as well as messages (twice
    // each: too few); "pizza" is only in code.
    expect(aliases.get('recordings')).toBeUndefined();
    expect(aliases.get('calls')).toBeUndefined();
    expect([...aliases.values()].flat()).not.toContain('pizza');
  });

  it('is learnt from a spec’s operations onto its tag pages, by the resource’s plain name', () => {
    const paths: Record<string, unknown> = {
      '/Messages': { post: { operationId: 'CreateMessage', tags: ['Messages'], summary: 'Send a text message', description: 'Sends a text message or an SMS message.' } },
      '/Messages/{Sid}': {
        get: { operationId: 'FetchMessage', tags: ['Messages'], summary: 'Fetch a text message', description: 'Fetches an SMS message, a text message.' },
        delete: { operationId: 'DeleteMessage', tags: ['Messages'], summary: 'Delete a text message', description: 'Deletes an SMS message.' },
      },
    };
    const document = { openapi: '3.0.0', info: { title: 'Texts', version: '1' }, paths };
    const { pages } = buildSpecPages({ document, origin: null, name: 'texts', slug: 'reference/texts', checksum: 'x' });
    const page = pages.find((entry) => entry.meta?.resources);
    expect(page?.meta?.resources?.['operation/CreateMessage']).toBe('messages');
    expect(page?.meta?.resourceAliases).toEqual({ messages: ['sms', 'text'] });
  });
});

describe('an operation acts on the question’s object', () => {
  it('when the object is a word its spec calls the resource by', () => {
    expect(actsOnObject(new Set(['sms']), 'messages', ['sms', 'text'])).toBe(true);
    expect(actsOnObject(new Set(['sms']), 'messages')).toBe(false);
    expect(actsOnObject(new Set(['sms']), 'calls', [])).toBe(false);
  });

  it('when the object is a compound of the resource’s name ("subaccount" of accounts), not a word that merely ends alike', () => {
    expect(actsOnObject(new Set(['subaccount']), 'accounts')).toBe(true);
    expect(actsOnObject(new Set(['recall']), 'calls')).toBe(false);
  });

  it('a verb that makes what it names puts its noun in the object ("text a customer" makes a text)', () => {
    expect([...(questionObject('text a customer that their order has shipped') ?? [])].sort()).toEqual(['customer', 'text']);
    expect([...(questionObject('record the call') ?? [])].sort()).toEqual(['call', 'record']);
    // Only a verb that opens the request: in "a small message that pops up" nothing is asked made.
    expect(questionObject('a small message that pops up in the corner')).toBeNull();
    // A verb that makes something else names nothing of it.
    expect([...(questionObject('send an SMS to a phone number') ?? [])]).toEqual(['sms']);
  });
});

describe('ranking the operation on the resource the spec calls by the question’s word', () => {
  // Two creates whose text says the same; only the messages' page says its spec calls a message an SMS.
  const build = (hasAliases: boolean) => {
    const sections = operationSections('openapi/api/001-numbers', { title: 'Numbers', heading: 'Create', content: 'Creates one on the account from the server.' }, [
      ['CreateIncomingPhoneNumber', 'create', 'incoming phone numbers'],
      ['CreateMessage', 'create', 'messages'],
    ]);
    if (hasAliases) for (const section of sections) section.meta = { ...section.meta, resourceAliases: { messages: ['sms', 'text'] } };
    return buildRankIndex(sections);
  };
  const first = (hasAliases: boolean) => {
    const index = build(hasAliases);
    return index.sections[rankSections(index, 'send an SMS to a phone number from my server', { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 2 })[0]!.section]!.anchor;
  };

  it('leads with the operation whose resource the spec calls an SMS; without the learnt word, section order decides', () => {
    expect(first(true)).toBe('operation/CreateMessage');
    expect(first(false)).toBe('operation/CreateIncomingPhoneNumber');
  });
});

describe('a page whose title the question names only by the spec’s word for it', () => {
  // As in the Twilio 2010 spec: the Incoming Phone Number page's title has the question's "phone number"; the
  // Message page's title is named only by "SMS", the object of the question's verb.
  const build = (hasAliases: boolean) => {
    const numbers = operationSections('openapi/api/022-incoming-phone-number', { title: 'Incoming Phone Number', heading: 'Create', content: 'Purchase a phone number.' }, [
      ['CreateIncomingPhoneNumber', 'create', 'incoming phone numbers'],
    ]);
    const messages = operationSections('openapi/api/033-message', { title: 'Message', heading: 'Create', content: 'Creates a message to a phone number.' }, [
      ['CreateMessage', 'create', 'messages'],
    ]);
    if (hasAliases) for (const section of messages) section.meta = { ...section.meta, resourceAliases: { messages: ['sms', 'text'] } };
    return buildRankIndex([...numbers, ...messages]);
  };
  const order = (hasAliases: boolean, query: string) => {
    const index = build(hasAliases);
    return rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 2 }).map((hit) => index.sections[hit.section]!.anchor);
  };

  it('counts the alias as naming the title, so the Message page leads', () => {
    expect(order(true, 'send an SMS to a phone number from my server')).toEqual(['operation/CreateMessage', 'operation/CreateIncomingPhoneNumber']);
    expect(order(false, 'send an SMS to a phone number from my server')[0]).toBe('operation/CreateIncomingPhoneNumber');
  });

  it('counts it only as the verb’s object: the same word elsewhere in the question names no title', () => {
    expect(order(true, 'buy a phone number that can receive SMS')[0]).toBe('operation/CreateIncomingPhoneNumber');
  });
});

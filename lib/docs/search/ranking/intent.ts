import { singular, stem } from '../../../relevance/stem';
import type { TOperationAction } from '../../../shared/docs';

// What a developer's question asks to do to a REST resource (issue 56, item 3): make one, list many, read one, change
// one, remove one. Read from the question's leading verb in general English ("send a text", "hang up a call", "see who
// is waiting", "give back a number", "rename a subaccount") and, for a verb that only reads, from whether it names one
// item or many ("the texts I received" → the list; "one text" → the item). No API's own words: the verbs are how
// anyone asks a REST API for something, and an OpenAPI operation's action comes from its method and path
// (lib/docs/sources/openapi/page.ts operationActions). The ranker (rank.ts) ranks an operation whose action the
// question asks for above the others on its words; it is no evidence that the docs answer (the relevance floor).

const CREATE: readonly TOperationAction[] = ['create'];
const READ: readonly TOperationAction[] = ['fetch', 'list'];
const UPDATE: readonly TOperationAction[] = ['update'];
const REMOVE: readonly TOperationAction[] = ['remove'];
/** Ending or stopping something: a state change (an update) or its removal, as REST APIs do either. */
const END: readonly TOperationAction[] = ['update', 'remove'];

/** One-word verbs (lower case, as written and in their common inflections), by the actions they ask for. */
const VERBS: ReadonlyMap<string, readonly TOperationAction[]> = new Map([
  ...words('create add make new send start place buy purchase register open submit request enroll generate issue invite schedule upload provision book order post text email call phone ring dial message notify alert record stream transcribe', CREATE),
  ...words('list browse search find enumerate', ['list']),
  ...words('get fetch retrieve read view show see check inspect download lookup look', READ),
  ...words('update change modify edit rename set configure switch turn move transfer forward redirect enable disable pause resume mute unmute hold limit increase raise lower reduce replace point put assign rotate reset upgrade suspend reactivate', UPDATE),
  ...words('stop cancel end finish terminate close deactivate', END),
  ...words('delete remove release erase revoke discard clear drop purge destroy unregister unsubscribe kick', REMOVE),
]);

/**
 * Verbs that make what they name ("text a customer" sends a text, "record a call" makes a recording): English
 * verbs made from a noun, whose noun is what the request makes, beside the words after it (who receives it).
 */
const NAMING_VERBS = new Set('text email call phone message alert record stream'.split(' '));

/** Two-word verbs ("hang up", "get rid of"): their first two words, by the actions they ask for. */
const PHRASES: ReadonlyMap<string, readonly TOperationAction[]> = new Map([
  ['set up', CREATE],
  ['get notified', CREATE],
  ['get alerted', CREATE],
  ['sign up', CREATE],
  ['look up', READ],
  ['find out', READ],
  ['hang up', END],
  ['shut down', END],
  ['turn off', UPDATE],
  ['turn on', UPDATE],
  ['get rid', REMOVE],
  ['give back', REMOVE],
  ['throw away', REMOVE],
  ['take out', REMOVE],
  ['stop using', REMOVE],
]);

/** Words readers open a request with before its verb ("How do I", "I want to", "Can you please"). */
const LEAD_INS = new Set(
  'how do does can could would should i we you my our me us to want wanted need needs like please it possible way best the a an let help trying try just'.split(' '),
);

/** Words that open a question about what is ("was my text delivered", "how long did it last"): it reads. */
const QUESTION_WORDS = new Set(['what', 'how', 'is', 'was', 'did', 'does', 'are', 'were', 'has', 'have', 'whether', 'why', 'when', 'which', 'who', 'where']);
/** What turns "how" into a request to do something: "how do I", "how to", "how can we". */
const HOW_TO = new Set(['do', 'to', 'can', 'could', 'should', 'would', 'does']);

/** Words that ask about many (list) wherever they stand. */
const MANY = new Set(['all', 'every', 'which', 'who', 'many', 'history', 'each']);
/** Words that say the object is one item ("the details of one call"). */
const ONE = new Set(['one', 'a', 'an', 'this', 'that', 'single', 'specific', 'particular', 'its', 'it', 'details', 'detail']);

function words(list: string, actions: readonly TOperationAction[]): [string, readonly TOperationAction[]][] {
  return list.split(' ').map((word) => [word, actions]);
}

/** A plural English noun, roughly: a word ending in s (not -ss, -us, -is, nor a short function word: its, was, yes). */
const isPlural = (word: string) => word.length >= 3 && /s$/.test(word) && !/(ss|us|is|ous)$/.test(word) && !['its', 'was', 'has', 'yes', 'does', 'goes'].includes(word);

/** The verb's base form for an inflected one ("sending" → send, "deleted" → delete, "renames" → rename), when known. */
function baseVerb(word: string): string | null {
  if (VERBS.has(word)) return word;
  const forms = [word.replace(/ing$/, ''), word.replace(/ing$/, 'e'), word.replace(/ed$/, ''), word.replace(/d$/, ''), word.replace(/s$/, ''), word.replace(/es$/, '')];
  return forms.find((form) => form !== word && VERBS.has(form)) ?? null;
}

/** The first verb after the words readers open with from `from`, or within the next two (an adverb or subject between). */
function leadingVerb(tokens: string[], from: number): { found: readonly TOperationAction[] | undefined; objectAt: number; verb: string | null } {
  let at = from;
  while (at < tokens.length && LEAD_INS.has(tokens[at]!)) at += 1;
  for (let look = at; look < Math.min(tokens.length, at + 3); look += 1) {
    const phrase = PHRASES.get(`${tokens[look]} ${tokens[look + 1] ?? ''}`);
    if (phrase) return { found: phrase, objectAt: look + 2, verb: null };
    const base = baseVerb(tokens[look]!);
    // `verb` only where it opens the request: "a small message that pops up" has no verb "message".
    if (base) return { found: VERBS.get(base), objectAt: look + 1, verb: look === at ? base : null };
  }
  return { found: undefined, objectAt: at, verb: null };
}

/**
 * A question as words, whether it asks about what is (`isQuestion`), and its verb: the one after the words readers
 * open with, or after a question's "to" (leadingVerb). What questionActions and questionObject both read.
 */
function readRequest(question: string): { tokens: string[]; isQuestion: boolean } & ReturnType<typeof leadingVerb> {
  const tokens = question.toLowerCase().replace(/[’']/g, '').match(/[a-z0-9-]+/g) ?? [];
  const isQuestion = QUESTION_WORDS.has(tokens[0] ?? '') && !(tokens[0] === 'how' && HOW_TO.has(tokens[1] ?? ''));
  // "Is it possible to delete…", "What is the best way to send…": a request after all, its verb after the "to".
  const to = tokens.slice(0, 6).indexOf('to');
  return { tokens, isQuestion, ...leadingVerb(tokens, isQuestion ? (to >= 0 ? to + 1 : tokens.length) : 0) };
}

/**
 * The actions a question asks for (empty: it names none, as "a one-time passcode" does). Its first verb decides,
 * looked for after the words readers open with; a verb that reads asks for one item or the list by its object
 * (plural, "all", "who", "which": the list; "one", "a", "this": the item; else either).
 */
export function questionActions(question: string): Set<TOperationAction> {
  const request = readRequest(question);
  const { tokens, isQuestion } = request;
  let { found, objectAt } = request;
  const actions = new Set<TOperationAction>();
  if (!found && isQuestion) [found, objectAt] = [READ, 1];
  if (!found && tokens.some((token) => MANY.has(token))) found = READ;
  if (!found) return actions;
  // The object's words up to a clause or preposition after it: "that" opening "the conferences that ended" says
  // nothing of one item, as it does in "get that call".
  const after = tokens.slice(objectAt, objectAt + 4);
  const end = after.findIndex((token, at) => at > 0 && OBJECT_ENDS.has(token));
  const object = end < 0 ? after : after.slice(0, end);
  for (const action of found) actions.add(action);
  if (found === READ) {
    const isOne = object.some((token) => ONE.has(token)) && !tokens.some((token) => MANY.has(token));
    const isMany = tokens.some((token) => MANY.has(token)) || (!isOne && object.some((token) => isPlural(token) && !ONE.has(token)));
    if (isMany && !isOne) actions.delete('fetch');
    else if (isOne && !isMany) actions.delete('list');
  }
  return actions;
}

/**
 * Words that end the thing a verb acts on: a preposition or a clause after it ("send an SMS to a phone number", "the
 * texts I received").
 */
const OBJECT_ENDS = new Set(
  'i we you they he she to from for in on at with by of into onto about via through over under so that which who whom when where while until before after because if and or than as is are was were be been can could will would should right now today yesterday'.split(' '),
);
/** Words before a noun that name none: articles, possessives, quantities ("all my", "a new", "somebody's"). */
const DETERMINERS = new Set(
  'a an the my our your his her their its this that these those some any all every each one new old same other another somebodys someones someone somebody anyones everyones single specific particular many few several more most me us them it'.split(' '),
);

/**
 * The thing a question's verb acts on, as singular words: the words after its verb (leadingVerb) up to a preposition
 * or a clause, without articles, possessives and numbers ("hang up a call" → call; "send an SMS to a phone number" →
 * sms, not the number it goes to), with the site's synonyms of each (stems: `synonyms`, site.config.json's, by stem:
 * "sms" → message where the site says they mean the same). Null when the question has no verb that asks something
 * done, or its object names nothing.
 */
export function questionObject(question: string, synonyms?: ReadonlyMap<string, readonly string[]>): Set<string> | null {
  const { tokens, found, objectAt, verb } = readRequest(question);
  if (!found) return null;
  const object = new Set<string>();
  for (let at = objectAt; at < tokens.length && object.size < 4; at += 1) {
    const token = tokens[at]!;
    if (OBJECT_ENDS.has(token)) break;
    if (!DETERMINERS.has(token) && !/^\d+$/.test(token)) object.add(singular(token));
  }
  if (verb && NAMING_VERBS.has(verb)) object.add(verb);
  if (object.size === 0) return null;
  for (const word of [...object]) for (const synonym of synonyms?.get(stem(word)) ?? []) object.add(synonym);
  return object;
}

/**
 * Whether the operation acts on the thing the question acts on: its resource's plain name (page meta `resources`,
 * "incoming phone numbers") shares a word (or its stem: a site synonym's) with the question's object, the object
 * is a word the spec calls the resource by (`aliases`, meta.resourceAliases: "sms" for messages), or a compound of its
 * name ("subaccount" of account). Only a boost: "to a phone number" elsewhere in
 * the question says nothing against an operation (demoting those lost right answers that were no object's).
 */
export function actsOnObject(object: ReadonlySet<string>, resource: string, aliases: readonly string[] = []): boolean {
  const words = resource.split(/\s+/);
  if (words.some((word) => object.has(singular(word)) || object.has(stem(word))) || aliases.some((alias) => object.has(alias))) return true;
  // A compound whose head is the resource's name ("subaccounts" → accounts, "sub-accounts" is two words already).
  const nouns = words.map(singular).filter((word) => word.length >= 4);
  return [...object].some((word) => nouns.some((noun) => word.length > noun.length + 2 && word.endsWith(noun)));
}

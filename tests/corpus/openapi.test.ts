import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { setDocsVocabularyStatus } from '@/lib/db/docs-vocabulary';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { getRankIndex } from '@/lib/docs/search/ranking/store';
import { synonymsByStem } from '@/lib/docs/search/ranking/vocabulary';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { createOpenapiSource, type TOpenapiReport } from '@/lib/docs/sources/single-kinds';
import { createAssistantTools } from '@/lib/assistant/tools';
import { createOfflineModel } from '@/lib/model/offline';
import { offlineAnswer } from '@/scripts/lib/answer-eval';
import { loadApiTaskSet } from '@/scripts/lib/search-api-tasks';
import { createLogger } from '@/lib/log';
import { indexIntoMemory } from '@/scripts/lib/search-eval';
import { PASTE_CORPUS_DIR, TWILIO_OPENAPI_CORPUS_DIR } from '../helpers/corpus.mts';
import { createTestDb } from '../helpers/pglite-template';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';

// The OpenAPI source on four real public specs (../shared/corpora/twilio-openapi, read in place: Twilio's REST API
// 2010, Lookups v2, Messaging v1 and Verify v2; 320 operations): all four load, and search finds a right operation
// in its top five for tasks written as a developer asks them, in other words than the specs'. Nothing of the ranker
// was tuned on them (no weight, no synonym). The first half (DEVELOPMENT) was written first and the second
// (HELD_OUT) after; the pages' shape was then chosen among a few tried on both (a page per spec, per tag or per
// operation; response fields with or without their descriptions): a page per tag, response fields named without
// descriptions. Both halves are printed, so that a change that helps one and hurts the other shows.

if (!existsSync(TWILIO_OPENAPI_CORPUS_DIR)) {
  throw new Error(`The Twilio OpenAPI corpus is not at ${TWILIO_OPENAPI_CORPUS_DIR}: put shared/corpora/twilio-openapi beside the checkout or set TWILIO_OPENAPI_CORPUS_DIR.`);
}

const SPECS = ['twilio_api_v2010', 'twilio_lookups_v2', 'twilio_messaging_v1', 'twilio_verify_v2'];
const log = createLogger({ level: 'silent' });

/** A task in a developer's words, and the operations (`<spec>#<operationId>`) that do it. */
type TTask = [string, ...string[]];

// The tasks are data (evals/api/, which npm run eval:search scores too). Issue 38's: the first half (development)
// written first, the second (held-out) after, then a blind set written before any change was tried on them.
const ISSUE_38 = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks-issue38.json')).questions;
const tasksOf = (group: string): TTask[] => ISSUE_38.filter((task) => task.group === group).map((task) => [task.q, ...task.operations] as TTask);
const DEVELOPMENT = tasksOf('development');
const HELD_OUT = tasksOf('held-out');
const BLIND = tasksOf('blind');
// Issue 56's held-out set (item 3), written before any change of that issue with only the operationIds in view.
const PLAIN_WORDS: TTask[] = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks.json')).questions.map((task) => [task.q, ...task.operations] as TTask);
// A second held-out set for it, written before the ranker's thesaurus (lib/docs/search/ranking/thesaurus.ts) was tried.
const PLAIN_WORDS_2: TTask[] = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks-2.json')).questions.map((task) => [task.q, ...task.operations] as TTask);
// A third, written before operations were ranked by what a question asks done (lib/docs/search/ranking/intent.ts).
const PLAIN_WORDS_3: TTask[] = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks-3.json')).questions.map((task) => [task.q, ...task.operations] as TTask);
const PLAIN_WORDS_4: TTask[] = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks-4.json')).questions.map((task) => [task.q, ...task.operations] as TTask);
const PLAIN_WORDS_5: TTask[] = loadApiTaskSet(path.resolve(import.meta.dirname, '../../evals/api/twilio-tasks-5.json')).questions.map((task) => [task.q, ...task.operations] as TTask);

let db: TDb;
let report: TOpenapiReport;

beforeAll(async () => {
  db = await createTestDb();
  const source = createOpenapiSource({
    specs: SPECS.map((spec) => path.join(TWILIO_OPENAPI_CORPUS_DIR, `${spec}.json`)),
    baseUrl: null,
    intervalMinutes: 60,
    maxBytes: 20_000_000,
    timeoutMs: 10_000,
  });
  report = await source.load({ db, log, embedder: null });
});
afterAll(async () => {
  await db?.close();
});

/** Where each task's right operation ranks among the top five (0 when it is not there). */
async function ranks(tasks: TTask[]): Promise<{ task: string; rank: number; top: string[] }[]> {
  const results = [];
  for (const [task, ...right] of tasks) {
    const { results: found } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt: task, limit: 5, source: 'site' });
    const top = found.map((result) => `${result.url.replace(/^\/docs\/reference\//, '').replace('/operation/', '#')}`);
    const rank = top.findIndex((id) => right.includes(id)) + 1;
    results.push({ task, rank, top });
  }
  return results;
}

describe('the Twilio OpenAPI specs', () => {
  it('all four load: 320 operations, each a section anchored operation/<operationId>, under its tag', async () => {
    expect(report.failed).toEqual([]);
    expect(report.indexed).toEqual(SPECS.map((spec) => `openapi/${spec}`));
    expect(report.operations).toBe(322);
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' }));
    const messagePath = paths.find((page) => /^openapi\/twilio_api_v2010\/\d{3}-message$/.test(page))!;
    expect(paths.filter((page) => page.split('/').length === 2).sort()).toEqual(SPECS.map((spec) => `openapi/${spec}`));
    const sections = await listDocsSectionsByPath({ db, path: messagePath });
    const create = sections.find((section) => section.anchor === 'operation/CreateMessage');
    expect(create).toMatchObject({ heading: 'Send a message', heading_path: ['Message', 'Send a message'] });
    expect(create!.content).toContain('**POST** `/2010-04-01/Accounts/{AccountSid}/Messages.json` · `CreateMessage`');
    expect(create!.content).toContain('- `To` (string (phone-number), required)');
    expect(create!.content).toContain('curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$ACCOUNT_SID/Messages.json"');
    expect(create!.content).toContain('-u "$ACCOUNT_SID:$AUTH_TOKEN"');
    expect(create!.content).toContain("--data-urlencode 'To=+14155552345'");
  });

  it('a second load reads the specs and changes nothing', async () => {
    const source = createOpenapiSource({ specs: SPECS.map((spec) => path.join(TWILIO_OPENAPI_CORPUS_DIR, `${spec}.json`)), baseUrl: null, intervalMinutes: 60, maxBytes: 20_000_000, timeoutMs: 10_000 });
    const again = await source.load({ db, log, embedder: null });
    expect(again).toMatchObject({ indexed: [], unchanged: 4, failed: [] });
  });

  // Issue 38's bar. First written: 32 of 40 (development 16/20, held-out 16/20). Then each section got a line of
  // plain verbs for what its method does (operationAction), chosen on those two halves: 33/40 (16/20, 17/20); the
  // blind set, scored once before and once after, went from 17/22 to 18/22. Issue 56 ranked the operation that does what
  // the question's verb asks above the others (ranking/intent.ts), tuned on the development half: 56/62 (development
  // 19/20, held-out 18/20, blind 19/22); 57/62 once "the details of one call" was read as one item (blind 20/22: a fix
  // one of the blind set's misses showed, so that set is no longer blind). What is still missed is words the specs never use ("credit", "TOTP"), which
  // lexical search cannot bridge without synonyms or embeddings (EMBEDDINGS_*, the ranking's business rather than this source's).
  it('finds a right operation in the top five for at least 80% of the tasks, and says how each half did', async () => {
    const halves = { development: await ranks(DEVELOPMENT), 'held-out': await ranks(HELD_OUT), blind: await ranks(BLIND) };
    for (const [name, ranked] of Object.entries(halves)) {
      const found = ranked.filter((task) => task.rank > 0).length;
      const missed = ranked.filter((task) => task.rank === 0).map((task) => `${task.task} → ${task.top.slice(0, 3).join(', ')}`);
      console.log(`OpenAPI ${name} tasks: ${found}/${ranked.length} in the top five (${Math.round((found / ranked.length) * 100)}%); first place ${ranked.filter((task) => task.rank === 1).length}${missed.length > 0 ? `\n  missed:\n  ${missed.join('\n  ')}` : ''}`);
    }
    const all = [...halves.development, ...halves['held-out'], ...halves.blind];
    expect(all.filter((task) => task.rank > 0).length / all.length).toBeGreaterThanOrEqual(0.8);
  });

  // Issue 56, item 3: 15 of 37 on the code before it (0.405); 19 of 37 after the operations said what they do in a
  // developer's verbs (one item or many), named their resource and its owner in plain words and listed their values'
  // meanings; 29 of 37 once the operation that does what the question's verb asks (make, list, read, change, remove:
  // ranking/intent.ts) ranked above the others on its words (this set was then tuned on). What is still missed is
  // words no spec has ("one-time passcode", "text a photo", "spending"), which a site's synonyms or its readers'
  // approved words bridge (lib/docs/search/ranking/vocabulary.ts).
  it('finds a right operation in the top five for issue 56’s plain-words tasks as often as when they were written against it', async () => {
    const ranked = await ranks(PLAIN_WORDS);
    const found = ranked.filter((task) => task.rank > 0).length;
    console.log(`OpenAPI plain-words tasks (issue 56): ${found}/${ranked.length} in the top five; first place ${ranked.filter((task) => task.rank === 1).length}`);
    expect(found).toBeGreaterThanOrEqual(29);
  });

  // Issue 56, item 3, the second held-out set: 14 of 34 before the ranker related a reader's words the docs never
  // write to the docs' own through a general English thesaurus (WordNet: "waiting line" → queue), 16 of 34 after;
  // 18 of 34 with operations ranked by what the question asks done (held out: never tuned on).
  it('finds a right operation in the top five for the second plain-words set as often as with the thesaurus', async () => {
    const ranked = await ranks(PLAIN_WORDS_2);
    const found = ranked.filter((task) => task.rank > 0).length;
    console.log(`OpenAPI plain-words tasks, second set (issue 56): ${found}/${ranked.length} in the top five; first place ${ranked.filter((task) => task.rank === 1).length}`);
    expect(found).toBeGreaterThanOrEqual(18);
  });

  // Issue 56, item 3, the third held-out set (never tuned on): 20 of 32 before operations were ranked by what the
  // question asks done, 24 of 32 after.
  it('finds a right operation in the top five for the third plain-words set as often as with operations ranked by what they do and on', async () => {
    const ranked = await ranks(PLAIN_WORDS_3);
    const found = ranked.filter((task) => task.rank > 0).length;
    console.log(`OpenAPI plain-words tasks, third set (issue 56): ${found}/${ranked.length} in the top five; first place ${ranked.filter((task) => task.rank === 1).length}`);
    // 24 with operations ranked by what they do; 25 with their resource named by the question's object; 27 with the
    // words the spec's prose calls a resource by ("text" for messages), compounds and verbs that make what they name
    // (two of its misses, "text a customer…" and "list all my subaccounts", were seen before that change); 28 once
    // "that" opening a clause after the object no longer read as "that one item" (a third seen miss: "see the
    // conferences that ended today"). Seen misses make this set no longer blind: twilio-tasks-4 is the blind one.
    expect(found).toBeGreaterThanOrEqual(28);
  });

  // Issue 56, item 3, the fourth set: written blind (questions before the specs, never shown the ranker or the other
  // sets) after this round's ranking changes, scored once on the code before them (28 of 34, first place 18) and once
  // after (28 of 34, first place 20). The issue's bar, 0.80, on tasks nobody tuned on.
  it('finds a right operation in the top five for at least 80% of the fourth, blind plain-words set', async () => {
    const ranked = await ranks(PLAIN_WORDS_4);
    const found = ranked.filter((task) => task.rank > 0).length;
    console.log(`OpenAPI plain-words tasks, fourth set (issue 56, blind): ${found}/${ranked.length} in the top five; first place ${ranked.filter((task) => task.rank === 1).length}`);
    expect(found / ranked.length).toBeGreaterThanOrEqual(0.8);
  });

  // The fifth set: written blind like the fourth, the next session, before a page's title counted as named by the
  // spec's word for its resource (rank.ts aliasTitleWord); scored once before that change and once after (30 of 34
  // both times, first place 18 both times).
  it('finds a right operation in the top five for at least 80% of the fifth, blind plain-words set', async () => {
    const ranked = await ranks(PLAIN_WORDS_5);
    const found = ranked.filter((task) => task.rank > 0).length;
    console.log(`OpenAPI plain-words tasks, fifth set (issue 56, blind): ${found}/${ranked.length} in the top five; first place ${ranked.filter((task) => task.rank === 1).length}`);
    expect(found / ranked.length).toBeGreaterThanOrEqual(0.8);
  });

  // Issue 56, item 3: a site's synonyms (site.config.json) and its readers' approved words reach operations as they
  // reach docs pages: a team that names its own words gets them in its API reference too.
  it('a site synonym and an approved reader’s word find operations', async () => {
    const anchorsFor = async (query: string, synonyms?: Record<string, string[]>) => {
      const { index } = await getRankIndex(db);
      return rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5, vocabulary: synonymsByStem(synonyms) }).map((hit) => index.sections[hit.section]!.anchor);
    };
    expect(await anchorsFor('zorble')).toEqual([]);
    expect(await anchorsFor('zorble', { terminate: ['zorble'] })).toContain('operation/UpdateCall');
    const queuePage = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' })).find((page) => /^openapi\/twilio_api_v2010\/\d{3}-queue$/.test(page))!;
    expect(await anchorsFor('blorptastic')).toEqual([]);
    await setDocsVocabularyStatus({ db, word: 'blorptastic', path: queuePage, status: 'approved' });
    try {
      expect((await anchorsFor('blorptastic'))[0]).toMatch(/^operation\/\w+Queue$/);
    } finally {
      await setDocsVocabularyStatus({ db, word: 'blorptastic', path: queuePage, status: null });
    }
  });

  it('"How do I send an SMS with the API?" finds CreateMessage among the first two, as an API result', async () => {
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt: 'How do I send an SMS with the API?', limit: 5, source: 'site' });
    // Second behind Verify's CreateVerification (its `Channel` is `sms`) when this was written: the offline answer
    // quotes the two best operations (lib/model/offline/answer.ts), so it cites CreateMessage either way.
    expect(results.slice(0, 2)).toContainEqual(expect.objectContaining({ url: '/docs/reference/twilio_api_v2010/operation/CreateMessage', kind: 'api', heading: 'Send a message' }));
  });

  // Issue 56, item 3, "its resource's plain name": the call is what "hang up a call" acts on, so the call's update
  // leads, not the call recording's or a payment's (fourth before).
  it('"hang up a call" leads with UpdateCall: the operation on what the verb acts on', async () => {
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt: 'hang up a call', limit: 5, source: 'site' });
    expect(results[0]?.url).toBe('/docs/reference/twilio_api_v2010/operation/UpdateCall');
  });

  // Issue 56, item 3, the issue's own example: the spec's prose calls a message an "SMS message" (resource-words.ts),
  // so the SMS is what is sent, and the number it goes to no longer leads (CreateIncomingPhoneNumber did; then fifth).
  it('"send an SMS to a phone number from my server" leads with CreateMessage: the SMS is a message', async () => {
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db, log, embedder: null }, prompt: 'send an SMS to a phone number from my server', limit: 5, source: 'site' });
    expect(results[0]?.url).toBe('/docs/reference/twilio_api_v2010/operation/CreateMessage');
  });

  // Issue 54, friction 13: the offline answer listed "Required: AccountSid" only (the body's `To` was past the 1,500
  // characters a search result carries) and its ready request was the spec's example whole (MediaUrl, ApplicationSid,
  // Tags: an MMS). What is required comes from the request body schema and the path; the request sends nothing else.
  it('the offline answer to "How do I send an SMS?" names every required field and sends only those', async () => {
    const messagePath = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' })).find((page) => /^openapi\/twilio_api_v2010\/\d{3}-message$/.test(page))!;
    const create = (await listDocsSectionsByPath({ db, path: messagePath })).find((section) => section.anchor === 'operation/CreateMessage')!;
    expect(create.content).toContain('**Required**: `AccountSid` (path), `To` (body)');
    const tools = createAssistantTools({ db, log, embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const answer = await offlineAnswer({ tools, model: createOfflineModel(), question: 'How do I send an SMS?' });
    expect(answer.annotations?.map((annotation) => annotation.url)).toContain('/docs/reference/twilio_api_v2010/operation/CreateMessage');
    const quote = answer.text.slice(answer.text.indexOf('`CreateMessage`'));
    expect(quote).toMatch(/^`CreateMessage`[\s\S]*Required:\n\n- `AccountSid` \(path\)\n- `To` \(body\)\n/);
    const request = /```bash\n([\s\S]*?)\n```/.exec(quote)![1]!;
    expect(request).toContain('curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$ACCOUNT_SID/Messages.json"');
    expect(request).toContain("--data-urlencode 'To=+14155552345'");
    for (const optional of ['MediaUrl', 'ApplicationSid', 'Tags', 'StatusCallback', 'PersistentAction']) expect(request).not.toContain(optional);
  });

  it('every operation of the four specs lists its path parameters as required, and its ready request sends the body schema’s required fields', async () => {
    const paths = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' })).filter((page) => page.split('/').length === 3);
    let checked = 0;
    for (const pagePath of paths) {
      for (const section of await listDocsSectionsByPath({ db, path: pagePath })) {
        const required = /^\*\*Required\*\*: (.+)$/m.exec(section.content)?.[1] ?? '';
        const named = new Set([...required.matchAll(/`([^`]+)` \(([a-z]+)\)/g)].map((match) => `${match[2]}:${match[1]}`));
        const endpoint = /^\*\*[A-Z]+\*\* `([^`]+)`/.exec(section.content)![1]!;
        for (const parameter of endpoint.matchAll(/\{([^}]+)\}/g)) expect(named, `${section.anchor} ${parameter[1]}`).toContain(`path:${parameter[1]}`);
        const curl = /\*\*Example request\*\*\n\n```bash\n([\s\S]*?)\n```/.exec(section.content)![1]!;
        const json = /-d '([\s\S]*)'$/.exec(curl)?.[1];
        const sent = [...curl.matchAll(/(?:--data-urlencode|-F) '([^=']+)=/g)].map((match) => match[1]!);
        if (json) sent.push(...Object.keys(JSON.parse(json.split(`'\\''`).join("'")) as object));
        const bodyRequired = [...named].filter((name) => name.startsWith('body:')).map((name) => name.slice('body:'.length));
        // A body with required fields sends those (and fields whose description says when they are required).
        if (bodyRequired.length > 0) for (const field of bodyRequired) expect(sent, section.anchor).toContain(field);
        checked += 1;
      }
    }
    expect(checked).toBe(322);
  });
});

// Issue 56, item 3, the issue's example on a site that has docs beside its API reference: the Paste docs with the
// 2010 and Messaging specs, as the hand-on runs had it. There the Incoming Phone Number page's title names the
// question's "phone number" and led (146.9 against CreateMessage's 146.1 in the first round, then wider); the Message
// page's title is named by "SMS", the word its spec calls a message by, once that counts (rank.ts aliasTitleWord).
describe('API specs beside a docs folder', () => {
  let mixed: TDb;
  beforeAll(async () => {
    ({ db: mixed } = await indexIntoMemory(PASTE_CORPUS_DIR));
    const specs = ['twilio_api_v2010', 'twilio_messaging_v1'].map((spec) => path.join(TWILIO_OPENAPI_CORPUS_DIR, `${spec}.json`));
    await createOpenapiSource({ specs, baseUrl: null, intervalMinutes: 60, maxBytes: 20_000_000, timeoutMs: 10_000 }).load({ db: mixed, log, embedder: null });
  });
  afterAll(async () => {
    await mixed?.close();
  });

  it('"send an SMS to a phone number from my server" leads with CreateMessage beside the Paste docs', async () => {
    const { results } = await searchDocsRanked({ access: PUBLIC_ACCESS, deps: { db: mixed, log, embedder: null }, prompt: 'send an SMS to a phone number from my server', limit: 5, source: 'site' });
    expect(results[0]?.url).toBe('/docs/reference/twilio_api_v2010/operation/CreateMessage');
  });
});

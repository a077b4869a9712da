import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocsSectionsByPath } from '@/lib/db/docs-index';
import { listDocsPageChecksumsByKind } from '@/lib/db/docs-sources';
import type { TDb } from '@/lib/db/types';
import { searchDocsRanked } from '@/lib/docs/search/search';
import { createOpenapiSource, type TOpenapiReport } from '@/lib/docs/sources/openapi';
import { createAssistantTools } from '@/lib/assistant/tools';
import { createOfflineModel } from '@/lib/model/offline';
import { offlineAnswer } from '@/scripts/lib/answer-eval';
import { createLogger } from '@/lib/log';
import { TWILIO_OPENAPI_CORPUS_DIR } from '../helpers/corpus.mts';
import { createTestDb } from '../helpers/pglite-template';

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

/** A task in a developer's words, and the operations (spec, operationId) that do it. */
type TTask = [string, ...string[]];

const DEVELOPMENT: TTask[] = [
  ['How do I send an SMS with the API?', 'twilio_api_v2010#CreateMessage'],
  ['place an outbound phone call to a number', 'twilio_api_v2010#CreateCall'],
  ['hang up a call that is still in progress', 'twilio_api_v2010#UpdateCall'],
  ['get the list of text messages my account sent', 'twilio_api_v2010#ListMessage'],
  ['buy a new phone number for my account', 'twilio_api_v2010#CreateIncomingPhoneNumber', 'twilio_api_v2010#CreateIncomingPhoneNumberLocal'],
  ['search for available local numbers I can buy', 'twilio_api_v2010#ListAvailablePhoneNumberLocal'],
  ['check how much credit is left on my account', 'twilio_api_v2010#FetchBalance'],
  ['create a subaccount', 'twilio_api_v2010#CreateAccount'],
  ['start recording a call that is live', 'twilio_api_v2010#CreateCallRecording'],
  ['kick someone out of a conference call', 'twilio_api_v2010#DeleteParticipant'],
  ['look up the carrier and line type of a phone number', 'twilio_lookups_v2#FetchPhoneNumber'],
  ['send a one-time passcode to verify a user', 'twilio_verify_v2#CreateVerification'],
  ['check that the code the user typed is correct', 'twilio_verify_v2#CreateVerificationCheck'],
  ['create a verify service', 'twilio_verify_v2#CreateService'],
  ['create a messaging service', 'twilio_messaging_v1#CreateService'],
  ['add a phone number to the sender pool of a messaging service', 'twilio_messaging_v1#CreatePhoneNumber'],
  ['submit a toll-free number for verification', 'twilio_messaging_v1#CreateTollfreeVerification'],
  ['register an A2P 10DLC campaign for my messaging service', 'twilio_messaging_v1#CreateUsAppToPerson'],
  ['get notified when my usage goes over a threshold', 'twilio_api_v2010#CreateUsageTrigger'],
  ['make a new API key', 'twilio_api_v2010#CreateNewKey'],
];

const HELD_OUT: TTask[] = [
  ['delete a text message from my logs', 'twilio_api_v2010#DeleteMessage'],
  ['release a phone number I no longer need', 'twilio_api_v2010#DeleteIncomingPhoneNumber'],
  ['download the list of call recordings', 'twilio_api_v2010#ListRecording', 'twilio_api_v2010#ListCallRecording'],
  ['get the pictures attached to an MMS message', 'twilio_api_v2010#ListMedia', 'twilio_api_v2010#FetchMedia'],
  ['remove the body text of a message I already sent for privacy', 'twilio_api_v2010#UpdateMessage'],
  ['create a SIP domain', 'twilio_api_v2010#CreateSipDomain'],
  ['get STUN and TURN credentials for WebRTC', 'twilio_api_v2010#CreateToken'],
  ['create a queue for callers waiting', 'twilio_api_v2010#CreateQueue'],
  ['how many minutes did we use this month', 'twilio_api_v2010#ListUsageRecordThisMonth', 'twilio_api_v2010#ListUsageRecord', 'twilio_api_v2010#ListUsageRecordMonthly'],
  ['add a number to the safe list so it is never blocked', 'twilio_verify_v2#CreateSafelist'],
  ['enroll an authenticator app (TOTP) for a user', 'twilio_verify_v2#CreateNewFactor'],
  ['see all verification attempts', 'twilio_verify_v2#ListVerificationAttempt'],
  ['limit how many verifications a phone number can request', 'twilio_verify_v2#CreateRateLimit', 'twilio_verify_v2#CreateBucket'],
  ['register my brand for A2P messaging', 'twilio_messaging_v1#CreateBrandRegistrations'],
  ['use an alphanumeric sender ID with a messaging service', 'twilio_messaging_v1#CreateAlphaSender'],
  ['which US numbers were deactivated by carriers', 'twilio_messaging_v1#FetchDeactivation'],
  ['add a short code to a messaging service', 'twilio_messaging_v1#CreateShortCode'],
  ['is this phone number valid?', 'twilio_lookups_v2#FetchPhoneNumber'],
  ['forward a live call to another TwiML URL', 'twilio_api_v2010#UpdateCall'],
  ['list the calls made from my account yesterday', 'twilio_api_v2010#ListCall'],
];

// Written after the two halves had been scored and before any change to the pages or the ranker was tried on
// them, by someone who had not read their results (2026-11-25); never used to choose anything, only reported.
const BLIND: TTask[] = [
  ['send a WhatsApp message to a customer', 'twilio_api_v2010#CreateMessage'],
  ['cancel a message I scheduled for later', 'twilio_api_v2010#UpdateMessage'],
  ['get the details of one call by its SID', 'twilio_api_v2010#FetchCall'],
  ['mute someone in a conference', 'twilio_api_v2010#UpdateParticipant'],
  ['list the conferences that are happening right now', 'twilio_api_v2010#ListConference'],
  ['get the text transcript of a voicemail recording', 'twilio_api_v2010#FetchRecordingTranscription', 'twilio_api_v2010#ListRecordingTranscription', 'twilio_api_v2010#FetchTranscription', 'twilio_api_v2010#ListTranscription'],
  ['delete old recordings to save storage', 'twilio_api_v2010#DeleteRecording', 'twilio_api_v2010#DeleteCallRecording'],
  ['change the URL that receives incoming texts on my number', 'twilio_api_v2010#UpdateIncomingPhoneNumber'],
  ['find toll-free numbers I can purchase', 'twilio_api_v2010#ListAvailablePhoneNumberTollFree'],
  ['add my own phone number as a caller ID', 'twilio_api_v2010#CreateValidationRequest'],
  ['what did my account spend yesterday', 'twilio_api_v2010#ListUsageRecordYesterday'],
  ['suspend or close a subaccount', 'twilio_api_v2010#UpdateAccount'],
  ['send a verification code by email', 'twilio_verify_v2#CreateVerification'],
  ['cancel a pending verification', 'twilio_verify_v2#UpdateVerification'],
  ['check whether a number is a mobile phone or a landline', 'twilio_lookups_v2#FetchPhoneNumber'],
  ['remove a number from a messaging service', 'twilio_messaging_v1#DeletePhoneNumber'],
  ['check the status of my toll-free verification request', 'twilio_messaging_v1#FetchTollfreeVerification', 'twilio_messaging_v1#ListTollfreeVerification'],
  ['move a caller out of a queue to an agent', 'twilio_api_v2010#UpdateMember'],
  ['how much did a text message cost', 'twilio_api_v2010#FetchMessage', 'twilio_api_v2010#ListMessage'],
  ['add a participant to a conference by dialing them', 'twilio_api_v2010#CreateParticipant'],
  ['set a webhook for verify events', 'twilio_verify_v2#CreateWebhook'],
  ['delete an API key that leaked', 'twilio_api_v2010#DeleteKey'],
];

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
    const { results: found } = await searchDocsRanked({ deps: { db, log, embedder: null }, prompt: task, limit: 5, source: 'site' });
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
  // blind set, scored once before and once after, went from 17/22 to 18/22. What is still missed is words the specs
  // never use ("hang up", "credit", "pictures"), which lexical search cannot bridge without synonyms or embeddings
  // (EMBEDDINGS_*, the ranking's business rather than this source's).
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

  it('"How do I send an SMS with the API?" finds CreateMessage among the first two, as an API result', async () => {
    const { results } = await searchDocsRanked({ deps: { db, log, embedder: null }, prompt: 'How do I send an SMS with the API?', limit: 5, source: 'site' });
    // Second behind Verify's CreateVerification (its `Channel` is `sms`) when this was written: the offline answer
    // quotes the two best operations (lib/model/offline/answer.ts), so it cites CreateMessage either way.
    expect(results.slice(0, 2)).toContainEqual(expect.objectContaining({ url: '/docs/reference/twilio_api_v2010/operation/CreateMessage', kind: 'api', heading: 'Send a message' }));
  });

  // Issue 54, friction 13: the offline answer listed "Required: AccountSid" only (the body's `To` was past the 1,500
  // characters a search result carries) and its ready request was the spec's example whole (MediaUrl, ApplicationSid,
  // Tags: an MMS). What is required comes from the request body schema and the path; the request sends nothing else.
  it('the offline answer to "How do I send an SMS?" names every required field and sends only those', async () => {
    const messagePath = Object.keys(await listDocsPageChecksumsByKind({ db, kind: 'openapi' })).find((page) => /^openapi\/twilio_api_v2010\/\d{3}-message$/.test(page))!;
    const create = (await listDocsSectionsByPath({ db, path: messagePath })).find((section) => section.anchor === 'operation/CreateMessage')!;
    expect(create.content).toContain('**Required**: `AccountSid` (path), `To` (body)');
    const tools = createAssistantTools({ db, log, embedder: null, siteUrl: 'http://localhost:3000' });
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

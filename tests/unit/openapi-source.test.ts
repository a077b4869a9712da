import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { buildCurl, shellName } from '@/lib/docs/sources/openapi/curl';
import { enumNote, enumValues, fieldList } from '@/lib/docs/sources/openapi/fields';
import { redacted } from '@/lib/docs/sources/openapi';
import { readOperations } from '@/lib/docs/sources/openapi/operations';
import { buildSpecPages, operationAction, pathResources, singularName, specNames, specPageSlug, stateChange, tagHeadings } from '@/lib/docs/sources/openapi/page';
import { buildRankIndex } from '@/lib/docs/search/ranking/build';
import { rankSections } from '@/lib/docs/search/ranking/rank';
import { DEFAULT_RANK_WEIGHTS } from '@/lib/docs/search/ranking/weights';
import { readSpec, SpecReadError } from '@/lib/docs/sources/openapi/read';
import { apiExcerpt } from '@/lib/model/offline/api-excerpt';
import { composeAnswer } from '@/lib/model/offline/answer';
import { MAINTAINER_ACCESS } from '@/lib/audiences';

// The OpenAPI source's parts on small specs of our own (tests/fixtures/openapi): reading OpenAPI 3.0 (YAML), 3.1
// and Swagger 2.0 (JSON) with their $refs resolved, each operation a section with its fields and a curl request,
// and the bad input a spec can be. The Twilio specs are the corpus tier's (tests/corpus/openapi.test.ts).

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/openapi');
const OPTIONS = { maxBytes: 1_000_000, timeoutMs: 5000 };
const read = (name: string) => readSpec(path.join(FIXTURES, name), OPTIONS);

/** The spec's pages, and all their sections in order as if one page. */
async function pageOf(name: string) {
  const spec = await read(name);
  const built = buildSpecPages({ document: spec.document, origin: null, name: 'pets', slug: 'reference/pets', checksum: spec.checksum });
  return { ...built, page: { sections: built.pages.flatMap((page) => page.sections) } };
}

describe('reading a spec', () => {
  it('reads OpenAPI 3.0 YAML, 3.1 and Swagger 2.0 JSON, and says which', async () => {
    expect((await read('petstore-v3.yaml')).format).toBe('openapi 3.0.3');
    expect((await read('notes-v31.yaml')).format).toBe('openapi 3.1.0');
    expect((await read('petstore-v2.json')).format).toBe('swagger 2.0');
  });

  it("resolves $refs, and names a recursive schema among the notices", async () => {
    const spec = await read('petstore-v3.yaml');
    expect(spec.recursive).toEqual(['Pet']);
    const [, create] = readOperations(spec.document, null);
    expect(create!.body!.schema).toMatchObject({ required: ['name', 'kind'], properties: { kind: { enum: ['dog', 'cat', 'bird'] } } });
  });

  it('refuses a spec that does not parse, one that is not OpenAPI, a $ref loop and one over the size cap, each saying why', async () => {
    const failure = async (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as SpecReadError);
    const broken = await failure(read('broken.yaml'));
    expect(broken).toMatchObject({ kind: 'not-parsed' });
    expect(broken!.message).toContain('broken.yaml is neither JSON nor YAML');
    const loop = await failure(read('ref-loop.json'));
    expect(loop).toMatchObject({ kind: 'ref-loop' });
    expect(loop!.message).toBe('$ref loop: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A never reaches a schema');
    const tooLarge = await failure(readSpec(path.join(FIXTURES, 'petstore-v3.yaml'), { ...OPTIONS, maxBytes: 200 }));
    expect(tooLarge).toMatchObject({ kind: 'too-large' });
    expect(tooLarge!.message).toMatch(/over the 200-byte cap \(DOCS_OPENAPI_MAX_BYTES\)$/);
    const dir = makeTempDir('pa-openapi-unit-');
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ asyncapi: '2.6.0', info: { title: 'x' } }));
    expect(await failure(readSpec(path.join(dir, 'other.json'), OPTIONS))).toMatchObject({ kind: 'not-openapi', message: expect.stringContaining('no openapi or swagger field') });
    expect(await failure(readSpec(path.join(dir, 'missing.json'), OPTIONS))).toMatchObject({ kind: 'unreachable' });
  });

  it('says of a failure the file by its name, and a URL without its query', () => {
    expect(redacted('/srv/specs/api.yaml is neither JSON nor YAML', '/srv/specs/api.yaml')).toBe('api.yaml is neither JSON nor YAML');
    expect(redacted('https://api.test/spec.json?token=s3cret answered 500', 'https://api.test/spec.json?token=s3cret')).toBe('https://api.test/spec.json answered 500');
  });
});

describe('operations as sections', () => {
  it('says what an operation does in plain verbs, from its method and whether its path names one item', () => {
    expect(operationAction({ method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json' })).toBe(
      'Gets (fetches, retrieves, reads, looks up, shows, views, sees, downloads) one call of an account and its details.',
    );
    expect(operationAction({ method: 'GET', path: '/v2/Services/{ServiceSid}/RateLimits' })).toBe(
      'Lists (gets all, shows all, sees, reads, finds, searches, browses, downloads, history of) the rate limits of a service.',
    );
    expect(operationAction({ method: 'POST', path: '/2010-04-01/Accounts/{AccountSid}/Messages.json' })).toBe(
      'Creates (adds, makes, starts, places, opens, registers, submits, requests, buys, sets up, new) a message of an account.',
    );
    expect(operationAction({ method: 'POST', path: '/v1/Services/{Sid}' })).toBe('Updates (changes, modifies, sets, edits, renames, configures, switches, turns on or off) one service.');
    expect(operationAction({ method: 'DELETE', path: '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json' })).toBe(
      'Deletes (removes, releases, gives back, erases, revokes, discards, gets rid of, clears) one incoming phone number of an account.',
    );
    expect(operationAction({ method: 'PATCH', path: '/pet' })).toBe('Updates (changes, modifies, sets, edits, renames, configures, switches, turns on or off) the pet.');
    expect(operationAction({ method: 'HEAD', path: '/pets' })).toBeNull();
    expect(operationAction({ method: 'GET', path: '/' })).toBeNull();
  });

  it('names a path’s resource in plain words, singular and plural, with the resources it belongs to', () => {
    expect(pathResources('/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json')).toEqual({
      resource: 'incoming phone number',
      plural: 'incoming phone numbers',
      parents: ['account'],
      isItem: true,
    });
    expect(pathResources('/2010-04-01/Accounts/{AccountSid}/Queues/{QueueSid}/Members.json')).toEqual({ resource: 'member', plural: 'members', parents: ['queue', 'account'], isItem: false });
    expect(pathResources('/v2/Services/{ServiceSid}/rate_limits')).toMatchObject({ resource: 'rate limit', parents: ['service'] });
    expect(pathResources('/v1/a2p-brand-registrations/{id}')).toMatchObject({ resource: 'a2p brand registration', isItem: true });
    expect(pathResources('/v1/SMSCampaigns')).toMatchObject({ resource: 'sms campaign' });
    expect(pathResources('/{id}')).toBeNull();
    expect(['Queues', 'Entities', 'Addresses', 'Boxes', 'Status', 'Analytics', 'Sms'].map((word) => singularName(word.toLowerCase()))).toEqual(['queue', 'entity', 'address', 'box', 'status', 'analytics', 'sms']);
  });

  it('lists allowed values with what each means, wherever the spec says it: x-enum-descriptions, x-ms-enum, OpenAPI 3.1 consts', () => {
    expect(enumValues({ type: 'string', enum: ['canceled', 'completed'], 'x-enum-descriptions': ['Ends a ringing call.', 'Hangs up the call.'] })).toEqual([
      { value: 'canceled', description: 'Ends a ringing call.' },
      { value: 'completed', description: 'Hangs up the call.' },
    ]);
    expect(enumValues({ type: 'string', enum: ['a', 'b'], 'x-enumDescriptions': { b: 'The second.' } })).toEqual([
      { value: 'a', description: '' },
      { value: 'b', description: 'The second.' },
    ]);
    expect(enumValues({ type: 'string', enum: ['on'], 'x-ms-enum': { values: [{ value: 'on', description: 'Switched on.' }] } })).toEqual([{ value: 'on', description: 'Switched on.' }]);
    expect(enumValues({ oneOf: [{ const: 'inbound', description: 'Calls that reached you.' }, { const: 'outbound', title: 'Calls you placed' }] })).toEqual([
      { value: 'inbound', description: 'Calls that reached you.' },
      { value: 'outbound', description: 'Calls you placed' },
    ]);
    expect(enumValues({ type: 'array', items: { type: 'string', enum: ['x'] } })).toEqual([{ value: 'x', description: '' }]);
    expect(enumValues({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual([]);
    expect(enumNote({ type: 'string', enum: ['canceled', 'completed'], 'x-enum-descriptions': ['', 'Hangs up the call.'] })).toBe('one of `canceled`, `completed` (Hangs up the call.)');
  });

  it('indexes an operation’s values with their meanings, the state an update sets, and its plain verbs and resource', async () => {
    const spec = await read('voice-v31.yaml');
    const { pages } = buildSpecPages({ document: spec.document, origin: null, name: 'voice', slug: 'reference/voice', checksum: spec.checksum });
    const section = (id: string) => pages.flatMap((page) => page.sections).find((entry) => entry.anchor === `operation/${id}`)!.content;
    expect(section('UpdateCall')).toContain('- `Status` (string, one of `canceled` (Ends a call that is still ringing.), `completed` (Hangs up a call that is in progress.))');
    expect(section('UpdateCall')).toContain('one call of an account. Sets its status to `canceled` or `completed`._');
    expect(section('ListCall')).toContain('- `Direction` (string, one of `inbound` (Calls that reached one of your numbers.), `outbound` (Calls you placed.))');
    expect(section('DeleteIncomingPhoneNumber')).toContain('_Deletes (removes, releases, gives back, erases, revokes, discards, gets rid of, clears) one incoming phone number of an account._');
    expect(section('ListMember')).toContain('the members of a queue._');
    expect(stateChange({ method: 'GET', parameters: [], body: null })).toBeNull();
  });

  it('finds operations from what a developer wants done: a value’s meaning, a method’s plain verbs on one item or many', async () => {
    const spec = await read('voice-v31.yaml');
    const { pages } = buildSpecPages({ document: spec.document, origin: null, name: 'voice', slug: 'reference/voice', checksum: spec.checksum });
    let id = 0;
    const index = buildRankIndex(
      pages.flatMap((page) =>
        page.sections.map((entry) => ({ id: (id += 1), path: page.path, slug: page.slug, title: page.title, description: page.description, kind: 'openapi', ...entry })),
      ),
    );
    const first = (query: string) => {
      const [hit] = rankSections(index, query, { access: MAINTAINER_ACCESS, weights: DEFAULT_RANK_WEIGHTS, limit: 5 });
      return hit ? index.sections[hit.section]!.anchor : null;
    };
    // Words only a value's meaning has (the spec's own, in x-enum-descriptions or a const's description).
    expect(first('hang up')).toBe('operation/UpdateCall');
    expect(first('reached')).toBe('operation/ListCall');
    // Words only the method and the path's shape give (one item or many).
    expect(first('give back a number I no longer need')).toBe('operation/DeleteIncomingPhoneNumber');
    expect(first('show all the numbers I have')).toBe('operation/ListIncomingPhoneNumber');
  });

  it('makes an overview page and a page per tag, one section per operation anchored operation/<operationId> under its tag', async () => {
    const { pages, operations } = await pageOf('petstore-v3.yaml');
    expect(operations).toBe(3);
    expect(pages.map(({ path, kind, slug, title, description }) => ({ path, kind, slug, title, description }))).toEqual([
      { path: 'openapi/pets', kind: 'openapi', slug: 'reference/pets', title: 'Petstore', description: 'A small pet store API for tests.' },
      { path: 'openapi/pets/001-pets', kind: 'openapi', slug: 'reference/pets', title: 'Pets', description: 'Petstore API reference.' },
    ]);
    // Every page of the spec carries the spec's checksum: an unchanged spec is seen from its overview page alone.
    expect(new Set(pages.map((page) => page.checksum)).size).toBe(1);
    expect(pages[1]!.sections.map((section) => [section.anchor, section.heading, section.heading_path])).toEqual([
      ['operation/listPets', 'List all pets', ['Pets', 'List all pets']],
      ['operation/createPet', 'Create a pet', ['Pets', 'Create a pet']],
      // No operationId: one made from the method and path.
      ['operation/delete_pets_petId', 'Delete a pet', ['Pets', 'Delete a pet']],
    ]);
    expect(pages[0]!.sections[0]).toMatchObject({ anchor: '', heading: 'Petstore' });
    expect(pages[0]!.sections[0]!.content).toContain('Server: `https://eu.petstore.test/v1`');
    expect(pages[0]!.sections[0]!.content).toContain('- `bearerAuth`: a bearer token in the Authorization header');
  });

  it('holds the method and path, the description, parameters and body as field lists with enums and required marks, responses and examples', async () => {
    const { page } = await pageOf('petstore-v3.yaml');
    const list = page.sections.find((section) => section.anchor === 'operation/listPets')!.content;
    expect(list).toContain('**GET** `/pets` · `listPets`');
    expect(list).toContain('- `limit` (integer (int32)): How many pets to return at most.');
    expect(list).toContain('- `status` (string, required, one of `available`, `pending`, `sold`)');
    expect(list).toContain('- `200` A page of pets — array of Pet');
    const create = page.sections.find((section) => section.anchor === 'operation/createPet')!.content;
    expect(create).toContain('Adds a pet to the store. The name must be unique.');
    expect(create).toContain('**Request body** (`application/json`, required)');
    expect(create).toContain("- `kind` (string, required, one of `dog`, `cat`, `bird`): What the pet is.");
    expect(create).toContain('- `tag` (string)');
    // The response's fields (names, types, marks: no descriptions), the recursive one named, and the spec's example.
    expect(create).toContain('- `201` The pet — Pet\n  - `name` (string, required)\n  - `kind` (string, required, one of `dog`, `cat`, `bird`)');
    expect(create).toContain('- `parent` (Pet (recursive))');
    expect(create).toContain('**Example response** (`201`)');
    expect(create).toContain('"name": "Rex"');
  });

  it('reads Swagger 2.0 form parameters as a request body, and 3.1 type lists', async () => {
    const { page } = await pageOf('petstore-v2.json');
    const upload = page.sections.find((section) => section.anchor === 'operation/uploadPhoto')!;
    expect(upload.heading_path).toEqual(['photos', 'Upload a photo of a pet']);
    expect(upload.content).toContain('**Request body** (`application/x-www-form-urlencoded`, required)');
    expect(upload.content).toContain('- `visibility` (string, one of `public`, `private`)');
    const notes = await pageOf('notes-v31.yaml');
    expect(notes.page.sections.find((section) => section.anchor === 'operation/replaceNote')!.content).toContain('- `text` (string or null, required): The note.');
  });

  it('field lists nest an object’s fields and stop at a depth', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'string' } } } } } } };
    expect(fieldList(schema)).toEqual(['- `a` (object, required)', '  - `b` (object)', '    - `c` (string)']);
    expect(fieldList(schema, { maxDepth: 1 })).toEqual(['- `a` (object, required)']);
  });

  it('headings drop the prefix every tag shares (Twilio’s Api20100401…) and space the words', () => {
    const info = { title: '', description: '', version: '', serverUrl: '', tags: new Map() };
    const headings = tagHeadings(['Api20100401Message', 'Api20100401AvailablePhoneNumberCountry'], info);
    expect([...headings.values()]).toEqual(['Message', 'Available Phone Number Country']);
    expect([...tagHeadings(['pets', 'store'], info).values()]).toEqual(['pets', 'store']);
  });

  it('names specs by their file, uniquely, and links to DOCS_OPENAPI_BASE_URL when set', () => {
    expect([...specNames(['/a/Twilio API.json', 'https://x.test/b/openapi.yaml?v=2', '/c/openapi.yml']).values()]).toEqual(['twilio-api', 'openapi', 'openapi-2']);
    expect(specPageSlug('pets', null, true)).toBe('reference/pets');
    expect(specPageSlug('pets', 'https://docs.test/api', true)).toBe('https://docs.test/api');
    expect(specPageSlug('pets', 'https://docs.test/api', false)).toBe('https://docs.test/api/pets');
    expect(specPageSlug('pets', 'https://docs.test/{spec}/reference', false)).toBe('https://docs.test/pets/reference');
  });
});

describe('a ready request (curl) from the spec', () => {
  it('JSON body of the required fields, the server with its variables, required query parameters, a bearer token', async () => {
    const spec = await read('petstore-v3.yaml');
    const [list, create, remove] = readOperations(spec.document, null);
    expect(buildCurl(create!)).toBe(
      [
        `curl -X POST "https://eu.petstore.test/v1/pets"`,
        `  -H "Authorization: Bearer $API_TOKEN"`,
        `  -H 'Content-Type: application/json'`,
        `  -d '{\n  "name": "<name>",\n  "kind": "dog"\n}'`,
      ].join(' \\\n'),
    );
    expect(buildCurl(list!)).toContain('curl -X GET "https://eu.petstore.test/v1/pets?status=available"');
    expect(buildCurl(remove!)).toContain('curl -X DELETE "https://eu.petstore.test/v1/pets/$PET_ID"');
  });

  it('Swagger 2.0: host and basePath, a path example, form fields, an API key in the query', async () => {
    const spec = await read('petstore-v2.json');
    const [upload] = readOperations(spec.document, null);
    expect(buildCurl(upload!)).toBe(
      [`curl -X POST "https://petstore.test/api/pets/12/photos?key=$API_KEY"`, `  --data-urlencode 'caption=<caption>'`].join(' \\\n'),
    );
  });

  it('quotes for the shell: a single quote in a value, a $ that is not a variable', async () => {
    const spec = await read('petstore-v3.yaml');
    const [, create] = readOperations(spec.document, null);
    const body = { ...create!.body!, example: { name: "Rex's $HOME", kind: 'dog' } };
    expect(buildCurl({ ...create!, body, serverUrl: 'https://x.test/$v1' })).toContain(`curl -X POST "https://x.test/\\$v1/pets"`);
    expect(buildCurl({ ...create!, body })).toContain(`-d '{\n  "name": "Rex'\\''s $HOME",`);
    expect(shellName('AccountSid')).toBe('ACCOUNT_SID');
    expect(shellName('pet-id')).toBe('PET_ID');
  });

  it('basic auth names its variables after a two-part scheme name (Twilio’s accountSid_authToken)', async () => {
    const spec = await read('petstore-v3.yaml');
    const [list] = readOperations(spec.document, null);
    expect(buildCurl({ ...list!, auth: [{ type: 'basic', scheme: 'accountSid_authToken' }] })).toContain('-u "$ACCOUNT_SID:$AUTH_TOKEN"');
    expect(buildCurl({ ...list!, auth: [{ type: 'basic', scheme: 'basic' }] })).toContain('-u "$API_USER:$API_PASSWORD"');
  });
});

describe('the offline answer’s quote of an operation', () => {
  it('method and path, what it does, the required fields and the curl; nothing for a section that is no operation', async () => {
    const { page } = await pageOf('petstore-v3.yaml');
    const quote = apiExcerpt(page.sections.find((section) => section.anchor === 'operation/createPet')!.content)!;
    expect(quote.split('\n\n').slice(0, 3)).toEqual(['**POST** `/pets` · `createPet`', 'Adds a pet to the store. The name must be unique.', 'Required:']);
    expect(quote).toContain('- `name` (body)\n- `kind` (body)');
    expect(quote).toMatch(/A ready request:\n\n```bash\ncurl -X POST "https:\/\/eu\.petstore\.test\/v1\/pets"[\s\S]*```$/);
    expect(quote).not.toContain('Example response');
    expect(apiExcerpt('Some prose.\n\n```bash\nls\n```')).toBeNull();
  });

  it('an answer led by an operation quotes it and the next operation close behind, each with its curl, both cited', async () => {
    const { page } = await pageOf('petstore-v3.yaml');
    const result = (anchor: string) => {
      const section = page.sections.find((item) => item.anchor === anchor)!;
      return { title: 'Pets', heading: section.heading, url: `/docs/reference/pets#${anchor}`, content: section.content, kind: 'api' };
    };
    const docs = { title: 'Guide', heading: 'Pets', url: '/docs/guide#pets', content: 'A guide.', kind: 'docs' };
    const answer = composeAnswer({ results: [result('operation/createPet'), result('operation/listPets'), docs], searched: ['add a pet with the API'], question: 'How do I add a pet with the API?', absentNames: [] });
    expect(answer.annotations.map((annotation) => annotation.url)).toEqual(['/docs/reference/pets#operation/createPet', '/docs/reference/pets#operation/listPets']);
    expect(answer.text).toContain('**Pets › Create a pet**\n\n**POST** `/pets` · `createPet`');
    expect(answer.text).toContain('curl -X GET "https://eu.petstore.test/v1/pets?status=available"');
    expect(answer.text).toContain('- [Guide › Pets](/docs/guide#pets)');
  });
});

import { createHash } from 'node:crypto';
import type { TOperationAction, TPageInput } from '../../../db/docs-index';
import { buildCurl, requiredFields } from './curl';
import { enumNote, enumValues, fieldList, mergedSchema, shortDescription, typeText } from './fields';
import { oneLine, readOperations, readSpecInfo, type TOperation, type TSchema, type TSpecInfo } from './operations';
import { resourceAliases } from './resource-words';

// A spec as pages of the index (buildSpecPages: its overview, and a page per tag), each operation one section
// anchored `operation/<operationId>` (Redoc's anchors), under its tag as its heading path. A section is markdown:
// the method, path and operation id, summary and description, a curl request built from the spec (with the spec's
// request example), the parameters, request body and responses as field lists, and its example response. The reference pages (pages/docs/reference/[spec]/operation/[id].tsx, one per operation) render these same sections.

export const OPENAPI_KIND = 'openapi';

/** Bump when sections are built differently, so that every spec is indexed again once. */
const PAGE_VERSION = 'openapi-v7';
const EXAMPLE_CHARS = 1500;
const RESPONSE_FIELD_DEPTH = 1;

export const operationAnchor = (operationId: string) => `operation/${operationId}`;

/** The index path of a spec's overview page; its tags' pages are below it. */
export const specPagePath = (name: string) => `openapi/${name}`;

/** Whether an index path is one of the spec's pages (its overview, or a tag's page below it). */
export const isPageOfSpec = (path: string, name: string) => path === specPagePath(name) || path.startsWith(`${specPagePath(name)}/`);

/** Where a spec's page is read: this site's reference page, or the team's own reference (`{spec}`: its name). */
export function specPageSlug(name: string, baseUrl: string | null, isOnlySpec: boolean): string {
  if (!baseUrl) return `reference/${name}`;
  if (baseUrl.includes('{spec}')) return baseUrl.split('{spec}').join(name);
  return isOnlySpec ? baseUrl : `${baseUrl}/${name}`;
}

/** A spec's name in URLs: its file name without the extension (`twilio_api_v2010`), in URL-safe characters. */
export function specName(location: string): string {
  const last = location.replace(/[?#].*$/, '').replace(/\/+$/, '').split(/[\\/]/).pop() ?? '';
  const name = last
    .replace(/\.(json|ya?ml)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'api';
}

/** Each location's name, unique among them (a second `openapi.yaml` is `openapi-2`). */
export function specNames(locations: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const location of locations) {
    const base = specName(location);
    let name = base;
    for (let n = 2; used.has(name); n += 1) name = `${base}-${n}`;
    used.add(name);
    names.set(location, name);
  }
  return names;
}

/**
 * The tags as headings: a tag's display name; and when every tag of a spec starts with the same run of words
 * (Twilio's `Api20100401Message`, `Api20100401Call`) that prefix is dropped and the words are spaced (`Message`).
 */
export function tagHeadings(tags: readonly string[], info: TSpecInfo): Map<string, string> {
  const headings = new Map<string, string>();
  const plain = tags.filter((tag) => !info.tags.get(tag)?.displayName || info.tags.get(tag)?.displayName === tag);
  const prefix = plain.length > 1 && plain.every((tag) => !/\s/.test(tag)) ? camelPrefix(plain) : '';
  for (const tag of tags) {
    const display = info.tags.get(tag)?.displayName;
    if (display && display !== tag) headings.set(tag, display);
    else if (prefix) headings.set(tag, tag.slice(prefix.length).replace(/([a-z0-9])([A-Z])/g, '$1 $2'));
    else headings.set(tag, tag);
  }
  return headings;
}

/** The longest common prefix that ends before a capital letter in every tag, leaving something of each. */
function camelPrefix(tags: readonly string[]): string {
  let prefix = tags[0] ?? '';
  for (const tag of tags) while (!tag.startsWith(prefix)) prefix = prefix.slice(0, -1);
  while (prefix !== '' && !tags.every((tag) => tag.length > prefix.length && /[A-Z]/.test(tag[prefix.length] ?? ''))) prefix = prefix.slice(0, -1);
  return prefix;
}

function codeBlock(language: string, value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (text.length > EXAMPLE_CHARS) text = `${text.slice(0, EXAMPLE_CHARS)}\n…`;
  return `\`\`\`${language}\n${text.replace(/```/g, '` ` `')}\n\`\`\``;
}

/**
 * An operation's heading: its summary; else its id in words when it is one (`CreateAlphaSender` → `Create alpha
 * sender`: Twilio's Messaging spec has no summaries); else its method and path.
 */
export function operationHeading(operation: Pick<TOperation, 'summary' | 'operationId' | 'method' | 'path'>): string {
  if (operation.summary) return operation.summary;
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(operation.operationId) && /[a-z][A-Z]/.test(operation.operationId)) {
    const words = operation.operationId.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    return words[0]!.toUpperCase() + words.slice(1);
  }
  return `${operation.method} ${operation.path}`;
}

/** `IncomingPhoneNumbers` → `incoming phone numbers`; `rate_limits`, `rate-limits` → `rate limits`. */
function segmentWords(segment: string): string {
  return segment
    .replace(/\.[a-z]+$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** The last word of a plural English name made singular (`incoming phone numbers` → `incoming phone number`). */
export function singularName(name: string): string {
  return name.replace(/(\w+)$/, (word) => {
    if (/(ss|us|is|ics)$/.test(word) || word.length <= 3) return word;
    if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
    if (/(sh|ch|x|z|ss)es$/.test(word)) return word.slice(0, -2);
    return word.replace(/s$/, '');
  });
}

/** A path segment that only versions the API (`2010-04-01`, `v2`, `v1.1`, `api`): not a resource. */
const isVersionSegment = (segment: string) => /^(\d{4}-\d{2}-\d{2}|v\d+(\.\d+)*|api)$/i.test(segment.replace(/\.[a-z]+$/i, ''));

/**
 * What a path is about, in plain words, from its shape alone: the resource it names (its last segment that is not a
 * parameter), singular and plural, and the resources it sits under (`/Accounts/{AccountSid}/Queues/{QueueSid}/Members`
 * → member of a queue of an account). `isItem`: the path ends in a parameter (one item, not the collection).
 */
export function pathResources(path: string): { resource: string; plural: string; parents: string[]; isItem: boolean } | null {
  const segments = path.split('/').filter((segment) => segment !== '');
  const isItem = /^\{[^}]+\}(\.[a-z]+)?$/i.test(segments.at(-1) ?? '');
  const named = segments.filter((segment) => !segment.startsWith('{') && !isVersionSegment(segment)).map(segmentWords).filter((words) => words !== '');
  const plural = named.at(-1);
  if (!plural) return null;
  return { resource: singularName(plural), plural, parents: named.slice(0, -1).reverse().map(singularName), isItem };
}

/**
 * The verbs developers ask with for what a method does to one item or to a collection, in general English (no API's
 * own words): a question says "release a number", "give back a number", "text a photo", "revoke a key", "show all my
 * numbers", "get rid of old logs"; specs rarely write those.
 */
const ACTION_VERBS: Record<TOperationAction, string> = {
  fetch: 'gets (fetches, retrieves, reads, looks up, shows, views, sees, downloads)',
  list: 'lists (gets all, shows all, sees, reads, finds, searches, browses, downloads, history of)',
  create: 'creates (adds, makes, starts, places, opens, registers, submits, requests, buys, sets up, new)',
  update: 'updates (changes, modifies, sets, edits, renames, configures, switches, turns on or off)',
  remove: 'deletes (removes, releases, gives back, erases, revokes, discards, gets rid of, clears)',
};

const article = (noun: string) => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

/**
 * What the operation does to its resource, from its method and whether its path ends in one item or the collection:
 * GET an item fetches it, GET a collection lists it, POST a collection creates in it, POST/PUT/PATCH an item updates
 * it (PUT/PATCH on a collection updates the collection), DELETE removes. Null when the method says nothing (HEAD,
 * OPTIONS, TRACE) or the path names nothing. The ranker reads it from the page's meta (`operations`).
 */
export function operationKind(operation: Pick<TOperation, 'method' | 'path'>): TOperationAction | null {
  const found = pathResources(operation.path);
  if (!found) return null;
  switch (operation.method.toUpperCase()) {
    case 'GET':
      return found.isItem ? 'fetch' : 'list';
    case 'POST':
      return found.isItem ? 'update' : 'create';
    case 'PUT':
    case 'PATCH':
      return 'update';
    case 'DELETE':
      return 'remove';
    default:
      return null;
  }
}

/**
 * What the operation does to its resource, in the plain verbs developers ask with ("release a number", "get the
 * details of a call"), which specs rarely write: read from the method and the path's shape (one item or many, the
 * resource's plain name and what it belongs to: pathResources). Null when the method says nothing (HEAD, OPTIONS,
 * TRACE) or the path names nothing.
 */
export function operationAction(operation: Pick<TOperation, 'method' | 'path'>): string | null {
  const found = pathResources(operation.path);
  const kind = operationKind(operation);
  if (!found || !kind) return null;
  const { resource, plural, parents, isItem } = found;
  // Its owner, when it has one beyond the account every path of some APIs starts with: "the members of a queue".
  const owner = parents[0] ? ` of ${article(parents[0])} ${parents[0]}` : '';
  const one = `one ${resource}${owner}`;
  const verb = ACTION_VERBS[kind][0]!.toUpperCase() + ACTION_VERBS[kind].slice(1);
  switch (kind) {
    case 'fetch':
      return `${verb} ${one} and its details.`;
    case 'list':
      return `${verb} the ${plural}${owner}.`;
    case 'create':
      return `${verb} ${article(resource)} ${resource}${owner}.`;
    default:
      return `${verb} ${isItem ? one : `the ${plural}${owner}`}.`;
  }
}

/**
 * What an update can set its resource's state to, from the values its request allows for a field named for a state
 * (`Status`, `state`): "Sets its status to `canceled` or `completed`." (a call is hung up by setting it `completed`,
 * a recording paused by setting it `paused`: a developer asks for the value's verb, not the field). Null otherwise.
 */
export function stateChange(operation: Pick<TOperation, 'method' | 'parameters' | 'body'>): string | null {
  if (!['POST', 'PUT', 'PATCH'].includes(operation.method.toUpperCase())) return null;
  const properties = operation.body ? (mergedSchema(operation.body.schema).properties as Record<string, TSchema> | undefined) : undefined;
  const candidates: [string, TSchema][] = [...Object.entries(properties ?? {}), ...operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter): [string, TSchema] => [parameter.name, parameter.schema])];
  for (const [name, schema] of candidates) {
    if (!/^(status|state)$/i.test(name) || schema === null || typeof schema !== 'object') continue;
    const values = enumValues(schema).map((entry) => `\`${entry.value}\``);
    if (values.length === 0) continue;
    const listed = values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
    return `Sets its ${name.toLowerCase()} to ${listed}.`;
  }
  return null;
}

/** The section's markdown. */
export function operationMarkdown(operation: TOperation): string {
  // The operation's id beside its method and path: what SDKs and other references call it (CreateMessage).
  const parts: string[] = [`**${operation.method}** \`${operation.path}\` · \`${operation.operationId}\``];
  // What a request must carry, near the top: an excerpt of the section (a search result's first 1,500 characters) keeps
  // it, where the body's field list may be cut off (apiExcerpt, lib/model/offline/api-excerpt.ts, reads this line).
  const required = requiredFields(operation);
  if (required.length > 0) parts.push(`**Required**: ${required.map((field) => `\`${field.name}\` (${field.in})`).join(', ')}`);
  const action = operationAction(operation);
  const states = stateChange(operation);
  if (action) parts.push(`_${action}${states ? ` ${states}` : ''}_`);
  if (operation.isDeprecated) parts.push('_Deprecated._');
  const description = operation.description && oneLine(operation.description) !== operation.summary ? operation.description : '';
  if (description) parts.push(description);
  if (operation.resourceDescription && operation.resourceDescription !== description) parts.push(operation.resourceDescription);
  // The ready request comes before the field lists, as a reference's request sample sits beside its top: it is what
  // a developer copies first, and what an excerpt of the section (the assistant's search results) keeps.
  parts.push(`**Example request**\n\n${codeBlock('bash', buildCurl(operation))}`);
  for (const place of ['path', 'query', 'header', 'cookie']) {
    const parameters = operation.parameters.filter((parameter) => parameter.in === place);
    if (parameters.length === 0) continue;
    const lines = parameters.map((parameter) => {
      const notes = [typeText(parameter.schema)];
      if (parameter.isRequired) notes.push('required');
      const allowed = enumNote(parameter.schema);
      if (allowed) notes.push(allowed);
      const text = shortDescription(parameter.description);
      return `- \`${parameter.name}\` (${notes.join(', ')})${text ? `: ${text}` : ''}`;
    });
    parts.push(`**${place[0]!.toUpperCase()}${place.slice(1)} parameters**\n\n${lines.join('\n')}`);
  }
  if (operation.body) {
    const { body } = operation;
    const fields = fieldList(body.schema);
    const head = `**Request body** (\`${body.contentType}\`${body.isRequired ? ', required' : ''})`;
    const text = shortDescription(body.description);
    parts.push([head, text, fields.length > 0 ? fields.join('\n') : `A ${typeText(body.schema)}.`].filter((part) => part !== '').join('\n\n'));
  }
  if (operation.responses.length > 0) {
    const lines: string[] = [];
    for (const response of operation.responses) {
      const returned = response.schema ? ` — ${typeText(response.schema)}` : '';
      lines.push(`- \`${response.status}\`${response.description ? ` ${response.description}` : ''}${returned}`);
      if (response.schema && /^2/.test(response.status)) lines.push(...fieldList(response.schema, { maxDepth: RESPONSE_FIELD_DEPTH, isTerse: true }).map((line) => `  ${line}`));
    }
    parts.push(`**Responses**\n\n${lines.join('\n')}`);
  }
  const success = operation.responses.find((response) => /^2/.test(response.status) && response.example !== undefined);
  if (success) parts.push(`**Example response** (\`${success.status}\`)\n\n${codeBlock(success.contentType?.includes('json') ? 'json' : 'text', success.example)}`);
  return parts.join('\n\n');
}

function authenticationMarkdown(operations: TOperation[]): string | null {
  const schemes = new Map<string, string>();
  for (const operation of operations) {
    for (const auth of operation.auth) {
      const how = auth.type === 'basic' ? 'HTTP basic authentication' : auth.type === 'bearer' ? 'a bearer token in the Authorization header' : `an API key in the ${auth.in} \`${auth.name}\``;
      schemes.set(auth.scheme, how);
    }
  }
  if (schemes.size === 0) return null;
  return [...schemes].map(([name, how]) => `- \`${name}\`: ${how}`).join('\n');
}

/** A spec's pages' checksum: its text's, where it links, and how sections are built (PAGE_VERSION). */
export function specPageChecksum(textChecksum: string, slug: string): string {
  return createHash('sha256').update(PAGE_VERSION).update('\0').update(textChecksum).update('\0').update(slug).digest('hex');
}

/** `Available Phone Number Country` → `available-phone-number-country`. */
function tagSlug(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'operations';
}

export type TSpecPages = {
  /** The spec's overview page first (`openapi/<spec>`), then a page per tag in the spec's order. */
  pages: TPageInput[];
  operations: number;
};

/**
 * The spec's pages for the index: its overview (its description, server and authentication) as `openapi/<spec>`,
 * and each tag's operations as a page of their own, `openapi/<spec>/<nnn>-<tag>` (its place among the tags, for the
 * reference page's order), titled by the tag: a resource's name is what a developer's question names ("send a
 * message", "place a call"), and search weighs a page's title and the page as a whole. (One page per spec, and one
 * per operation, found fewer of the corpus tier's tasks: tests/corpus/openapi.test.ts.) All of them carry the spec's
 * reference (`slug`); an operation's URL is its own page below it (docUrl, lib/docs/folder/load.ts).
 * `checksum`: the spec text's.
 */
export function buildSpecPages({
  document,
  origin,
  name,
  slug,
  checksum,
}: {
  document: Record<string, unknown>;
  origin: string | null;
  name: string;
  slug: string;
  checksum: string;
}): TSpecPages {
  const info = readSpecInfo(document, origin);
  const operations = readOperations(document, origin);
  const headings = tagHeadings([...new Set(operations.flatMap((operation) => operation.tags))], info);
  const title = info.title || name;
  const pageChecksum = specPageChecksum(checksum, slug);
  const page = (path: string, pageTitle: string, description: string, sections: TPageInput['sections'], meta?: TPageInput['meta']): TPageInput => ({
    path,
    kind: OPENAPI_KIND,
    slug,
    title: pageTitle,
    description,
    checksum: pageChecksum,
    warnings: [],
    sections,
    ...(meta ? { meta } : {}),
  });
  const overview = [info.description, info.serverUrl ? `Server: \`${info.serverUrl}\`` : '', info.version ? `Version: ${info.version}` : ''].filter((part) => part !== '');
  const auth = authenticationMarkdown(operations);
  if (auth) overview.push(`**Authentication**\n\n${auth}`);
  const pages = [page(specPagePath(name), title, shortDescription(info.description), [{ heading: title, heading_path: [title], anchor: '', content: overview.join('\n\n') || title }])];
  const byTag = new Map<string, TOperation[]>();
  for (const operation of operations) {
    const tag = operation.tags[0] ?? '';
    byTag.set(tag, [...(byTag.get(tag) ?? []), operation]);
  }
  const markdown = new Map(operations.map((operation) => [operation, operationMarkdown(operation)]));
  // What else the spec calls each resource ("text message", "SMS message" → messages), from its own prose.
  const resourceOf = new Map(operations.map((operation) => [operation, pathResources(operation.path)]));
  const aliases = resourceAliases(
    operations.map((operation) => `${operation.summary}\n\n${markdown.get(operation) ?? ''}`),
    [...resourceOf.values()].flatMap((found) => found?.plural ?? []),
  );
  [...byTag].forEach(([tag, tagged], index) => {
    const heading = tag ? (headings.get(tag) ?? tag) : 'Operations';
    const path = `${specPagePath(name)}/${String(index + 1).padStart(3, '0')}-${tagSlug(heading)}`;
    // What the resource is: the tag's description, else the first of its paths' descriptions.
    const about = info.tags.get(tag)?.description || tagged.find((operation) => operation.resourceDescription)?.resourceDescription || '';
    const description = shortDescription([about, `${title} API reference.`].filter((part) => part !== '').join(' '));
    // The heading path is the section's place, its own heading last, as the docs' sections have it (lib/docs/parse).
    const sections = tagged.map((operation) => {
      const own = operationHeading(operation);
      return { heading: own, heading_path: tag ? [heading, own] : [own], anchor: operationAnchor(operation.operationId), content: markdown.get(operation) ?? '' };
    });
    // What each operation does (by its anchor): the ranker ranks the ones a question asks for first (ranking/intent.ts).
    const kinds: Record<string, TOperationAction> = {};
    // And the plain name of what each acts on: an operation on the thing a question's verb acts on ranks higher.
    const resources: Record<string, string> = {};
    const resourceWords: Record<string, string[]> = {};
    for (const operation of tagged) {
      const kind = operationKind(operation);
      if (kind) kinds[operationAnchor(operation.operationId)] = kind;
      const found = resourceOf.get(operation);
      if (found) resources[operationAnchor(operation.operationId)] = found.plural;
      const words = found && aliases.get(found.plural);
      if (found && words) resourceWords[found.plural] = words;
    }
    const meta = {
      ...(Object.keys(kinds).length > 0 ? { operations: kinds } : {}),
      ...(Object.keys(resources).length > 0 ? { resources } : {}),
      ...(Object.keys(resourceWords).length > 0 ? { resourceAliases: resourceWords } : {}),
    };
    pages.push(page(path, heading, description, sections, Object.keys(meta).length > 0 ? meta : undefined));
  });
  return { pages, operations: operations.length };
}

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { crawlFetch, CrawlFetchError } from '../crawl/fetch';
import { registerSchemaNames } from './fields';

// Reading one spec: a file (read up to the size cap) or a URL (through the crawler's fetch: only that URL's origin,
// redirects checked, a timeout, the size cap as it streams in — a spec a server sends is data, never instructions),
// parsed as JSON or YAML, then its $refs resolved by swagger-parser (OpenAPI 3.0, 3.1 and Swagger 2.0). A spec by
// URL resolves no external $ref (nothing else is fetched); a file's may name other files beside it. A recursive
// schema (a tree's children are trees) resolves to objects that contain themselves (./fields.ts shows it as
// recursive); a $ref that only leads to other $refs back to itself resolves to nothing, and the spec is refused
// saying so.

export type TSpecDocument = Record<string, unknown>;

export type TReadSpec = {
  /** The spec with its $refs resolved: a schema used twice is one object; a recursive one contains itself. */
  document: TSpecDocument;
  /** sha-256 of the spec's text: an unchanged spec costs no re-index. */
  checksum: string;
  /** The format the spec says it is in: `openapi 3.1.0`, `swagger 2.0`. */
  format: string;
  /** Where the spec was read from, for a relative server URL (a URL spec's own address). */
  origin: string | null;
  /** Schemas that refer to themselves (shown as recursive): the notices of the source's report. */
  recursive: string[];
};

export type TSpecErrorKind = 'too-large' | 'unreachable' | 'not-parsed' | 'not-openapi' | 'ref-loop' | 'ref-unresolved';

/** A spec that could not be read: why, in one line a maintainer can act on. */
export class SpecReadError extends Error {
  override name = 'SpecReadError';
  constructor(
    readonly kind: TSpecErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const SPEC_CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'application/vnd.oai.openapi',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/octet-stream',
];

export function isSpecUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

export async function readSpec(location: string, options: { maxBytes: number; timeoutMs: number }): Promise<TReadSpec> {
  const text = isSpecUrl(location) ? await fetchSpecText(location, options) : await readSpecFile(location, options.maxBytes);
  const checksum = createHash('sha256').update(text).digest('hex');
  const raw = parseSpecText(text, location);
  const format = specFormat(raw, location);
  const recursive = findRefLoops(raw);
  let document: TSpecDocument;
  try {
    const resolve = isSpecUrl(location) ? { external: false } : { external: true, http: false };
    document = (await SwaggerParser.dereference(isSpecUrl(location) ? location : path.resolve(location), raw as never, {
      resolve: resolve as never,
      dereference: { circular: true },
    })) as unknown as TSpecDocument;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecReadError('ref-unresolved', `${location}: a $ref could not be resolved: ${firstLine(message)}`);
  }
  registerSchemaNames(document);
  return { document, checksum, format, origin: isSpecUrl(location) ? location : null, recursive };
}

async function fetchSpecText(url: string, { maxBytes, timeoutMs }: { maxBytes: number; timeoutMs: number }): Promise<string> {
  try {
    const fetched = await crawlFetch(url, { allowedOrigins: new Set([new URL(url).origin]), timeoutMs, maxBytes, accept: SPEC_CONTENT_TYPES });
    if (fetched.status !== 'ok') throw new SpecReadError('unreachable', `${url} answered ${fetched.status === 'gone' ? fetched.httpStatus : 'not modified'}`);
    return fetched.body;
  } catch (error) {
    if (error instanceof SpecReadError) throw error;
    if (error instanceof CrawlFetchError) throw new SpecReadError(error.kind === 'too-large' ? 'too-large' : 'unreachable', error.message);
    throw new SpecReadError('unreachable', `${url} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The file's text, refused past `maxBytes` before it is read whole. */
async function readSpecFile(file: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new SpecReadError('unreachable', `${file} could not be opened${code ? ` (${code})` : ''}`);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new SpecReadError('too-large', `${file} is ${size} bytes, over the ${maxBytes}-byte cap (DOCS_OPENAPI_MAX_BYTES)`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** JSON when it looks like JSON, else YAML (a superset of JSON). Aliases are capped by the YAML parser. */
export function parseSpecText(text: string, location: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(trimmed) as unknown;
    return parseYaml(trimmed, { maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new SpecReadError('not-parsed', `${location} is neither JSON nor YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
}

function specFormat(raw: unknown, location: string): string {
  const spec = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SpecReadError('not-openapi', `${location} is not an OpenAPI document (not an object)`);
  const openapi = spec.openapi;
  const swagger = spec.swagger;
  if (typeof openapi === 'string' && /^3\.[01]\./.test(openapi)) return `openapi ${openapi}`;
  if (swagger === '2.0' || swagger === 2) return 'swagger 2.0';
  const said = typeof openapi === 'string' ? `openapi ${openapi}` : swagger !== undefined ? `swagger ${String(swagger)}` : 'no openapi or swagger field';
  throw new SpecReadError('not-openapi', `${location} is not OpenAPI 3.0, 3.1 or Swagger 2.0 (${said})`);
}

/**
 * Local $refs that resolve only to other $refs, round to themselves: no schema is ever reached (refused, naming the
 * loop). Returns the schemas whose content refers to themselves (recursive, which is fine: shown as such).
 */
export function findRefLoops(raw: unknown): string[] {
  const root = raw as Record<string, unknown>;
  const targets = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (depth > 200 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) targets.add(ref);
    for (const value of Object.values(node)) walk(value, depth + 1);
  };
  walk(root, 0);
  for (const start of targets) {
    const chain = [start];
    let current: unknown = pointerGet(root, start);
    while (isPureRef(current)) {
      const next = (current as { $ref: string }).$ref;
      if (chain.includes(next)) throw new SpecReadError('ref-loop', `$ref loop: ${[...chain, next].join(' → ')} never reaches a schema`);
      chain.push(next);
      current = pointerGet(root, next);
    }
  }
  return [...targets].filter((ref) => refersTo(pointerGet(root, ref), ref, 0, new Set())).map((ref) => ref.split('/').pop() ?? ref);
}

function isPureRef(node: unknown): boolean {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && typeof (node as { $ref?: unknown }).$ref === 'string' && Object.keys(node).length === 1;
}

/** Whether `node` holds a $ref to `ref` somewhere in its own content. */
function refersTo(node: unknown, ref: string, depth: number, seen: Set<unknown>): boolean {
  if (depth > 100 || node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((item) => refersTo(item, ref, depth + 1, seen));
  return Object.entries(node).some(([key, value]) => (key === '$ref' ? value === ref : refersTo(value, ref, depth + 1, seen)));
}

function pointerGet(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

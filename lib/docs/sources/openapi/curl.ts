import { mergedSchema } from './fields';
import type { TOperation, TSchema } from './operations';

// A ready request for an operation, as curl, built from the spec alone: its server and path, path parameters as
// shell variables ($ACCOUNT_SID), the required query parameters, its authentication, and a body of the required
// fields (and those whose description says when they are required) with the spec's examples, defaults or first
// allowed values, else placeholders a reader fills in (<To>); never the optional fields of the spec's example body.
// Values are quoted for a POSIX shell.

/** Fields sent in a built body at most (required ones first). */
const MAX_BODY_FIELDS = 6;
const MAX_EXAMPLE_DEPTH = 3;

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** `AccountSid` → `ACCOUNT_SID`, `pet-id` → `PET_ID`. */
export function shellName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(words) ? words : `V_${words}`;
}

/** Single quotes for the shell: nothing inside them is expanded. */
function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Double quotes for text that may hold $VARIABLES: only ", \ and ` are escaped (and $ outside the variables). */
function doubleQuoted(text: string, variables: readonly string[] = []): string {
  let escaped = text.replace(/[\\"`]/g, '\\$&').replace(/\$/g, '\\$');
  for (const variable of variables) escaped = escaped.split(`\\$${variable}`).join(`$${variable}`);
  return `"${escaped}"`;
}

function scalarExample(schema: TSchema, name: string): unknown {
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return true;
  return `<${name}>`;
}

/** An example value for a schema: the spec's own where it has one, else built from its fields. */
export function exampleOf(raw: TSchema, name: string, depth = 0): unknown {
  const schema = mergedSchema(raw);
  if (schema.example !== undefined) return schema.example;
  // A recursive schema stops at a depth (resolved, it contains itself).
  if (typeof schema.$ref === 'string' || depth > MAX_EXAMPLE_DEPTH) return {};
  const choice = asRecord((Array.isArray(schema.oneOf) ? schema.oneOf[0] : Array.isArray(schema.anyOf) ? schema.anyOf[0] : undefined) ?? null);
  if (Object.keys(choice).length > 0) return exampleOf(choice, name, depth + 1);
  if (schema.type === 'array' || schema.items) return [exampleOf(asRecord(schema.items), name, depth + 1)];
  if (schema.type === 'object' || schema.properties) {
    const value: Record<string, unknown> = {};
    for (const field of bodyFields(schema)) value[field] = exampleOf(asRecord(asRecord(schema.properties)[field]), field, depth + 1);
    return value;
  }
  return scalarExample(schema, name);
}

/** The fields a built body sends: the required ones, then those whose description says when they are required. */
export function bodyFields(raw: TSchema): string[] {
  const schema = mergedSchema(raw);
  const properties = asRecord(schema.properties);
  const required = (Array.isArray(schema.required) ? schema.required.map(String) : []).filter((name) => name in properties);
  const conditional = Object.entries(properties)
    .filter(([name, field]) => !required.includes(name) && /\brequired\b/i.test(String(asRecord(field).description ?? '')))
    .map(([name]) => name);
  const chosen = [...required, ...conditional];
  if (chosen.length === 0) chosen.push(...Object.keys(properties).slice(0, 2));
  return chosen.slice(0, Math.max(MAX_BODY_FIELDS, required.length));
}

/**
 * A JSON body of the fields bodyFields chooses, valued from the spec's example where it has them: an object body
 * sends nothing optional. A body that is not an object (a list, a scalar) is the spec's example as it is.
 */
function jsonBody(raw: TSchema, example: unknown): unknown {
  const schema = mergedSchema(raw);
  const isObject = (schema.type === 'object' || schema.properties !== undefined) && Object.keys(asRecord(schema.properties)).length > 0;
  if (!isObject) return example ?? exampleOf(raw, 'body');
  const given = asRecord(example ?? schema.example);
  const properties = asRecord(schema.properties);
  return Object.fromEntries(bodyFields(raw).map((field) => [field, field in given ? given[field] : exampleOf(asRecord(properties[field]), field, 1)]));
}

/**
 * The fields a request must carry, from the spec alone: the path parameters, the required query, header and cookie
 * parameters, and the request body schema's `required` list (the fields a description says are required "if …" are
 * not: they depend on the others).
 */
export function requiredFields(operation: TOperation): { name: string; in: string }[] {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'path' || parameter.isRequired).map((parameter) => ({ name: parameter.name, in: parameter.in }));
  const schema = operation.body ? mergedSchema(operation.body.schema) : {};
  const properties = asRecord(schema.properties);
  const body = (Array.isArray(schema.required) ? schema.required.map(String) : []).filter((name) => name in properties).map((name) => ({ name, in: 'body' }));
  return [...parameters, ...body];
}

function authLines(operation: TOperation): { headers: string[]; query: string[]; options: string[]; variables: string[] } {
  const result = { headers: [] as string[], query: [] as string[], options: [] as string[], variables: [] as string[] };
  for (const auth of operation.auth) {
    if (auth.type === 'basic') {
      // A scheme named for its two parts (Twilio's accountSid_authToken) names the variables; else user and password.
      const parts = auth.scheme.split(/[_:]/).filter((part) => part !== '');
      const [user, password] = parts.length === 2 ? parts.map(shellName) : ['API_USER', 'API_PASSWORD'];
      result.options.push(`-u ${doubleQuoted(`$${user}:$${password}`, [user!, password!])}`);
      result.variables.push(user!, password!);
    } else if (auth.type === 'bearer') {
      result.headers.push(doubleQuoted('Authorization: Bearer $API_TOKEN', ['API_TOKEN']));
    } else if (auth.in === 'header') {
      result.headers.push(doubleQuoted(`${auth.name}: $API_KEY`, ['API_KEY']));
    } else if (auth.in === 'query') {
      result.query.push(`${encodeURIComponent(auth.name)}=$API_KEY`);
    } else {
      result.options.push(`-b ${doubleQuoted(`${auth.name}=$API_KEY`, ['API_KEY'])}`);
    }
  }
  return result;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The curl command, one option a line. */
export function buildCurl(operation: TOperation): string {
  const auth = authLines(operation);
  const variables = [...auth.variables, 'API_KEY', 'API_TOKEN'];
  let path = operation.path;
  for (const parameter of operation.parameters.filter((item) => item.in === 'path')) {
    const variable = shellName(parameter.name);
    // A path parameter that is also the user of basic auth (an account id) reuses its variable.
    const example = parameter.example;
    const value = example !== undefined && example !== null && typeof example !== 'object' ? encodeURIComponent(String(example)) : `$${variable}`;
    if (value.startsWith('$')) variables.push(variable);
    path = path.split(`{${parameter.name}}`).join(value);
  }
  const query = operation.parameters
    .filter((parameter) => parameter.in === 'query' && parameter.isRequired)
    .map((parameter) => `${encodeURIComponent(parameter.name)}=${encodeURIComponent(asText(parameter.example ?? scalarExample(parameter.schema, parameter.name)))}`);
  query.push(...auth.query);
  const url = `${operation.serverUrl}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
  const lines = [`curl -X ${operation.method} ${doubleQuoted(url, variables)}`];
  lines.push(...auth.options);
  for (const header of auth.headers) lines.push(`-H ${header}`);
  for (const parameter of operation.parameters.filter((item) => item.in === 'header' && item.isRequired)) {
    lines.push(`-H ${singleQuoted(`${parameter.name}: ${asText(parameter.example ?? scalarExample(parameter.schema, parameter.name))}`)}`);
  }
  const body = operation.body;
  if (body) {
    const type = body.contentType.toLowerCase();
    if (type.includes('x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      const flag = type.includes('multipart') ? '-F' : '--data-urlencode';
      // The fields bodyFields chooses (the required ones), with the spec's example values where its example has them:
      // the example itself sends optional fields too (Twilio's CreateMessage example adds MediaUrl, which makes an MMS).
      const example = asRecord(body.example);
      const properties = asRecord(mergedSchema(body.schema).properties);
      for (const field of bodyFields(body.schema)) {
        const value = field in example ? example[field] : scalarExample(mergedSchema(asRecord(properties[field])), field);
        // A list is sent as the field repeated, as form encoders do.
        for (const item of Array.isArray(value) ? value : [value]) lines.push(`${flag} ${singleQuoted(`${field}=${asText(item)}`)}`);
      }
    } else if (type.includes('json')) {
      lines.push(`-H 'Content-Type: ${body.contentType}'`);
      lines.push(`-d ${singleQuoted(JSON.stringify(jsonBody(body.schema, body.example), null, 2))}`);
    } else {
      lines.push(`-H ${singleQuoted(`Content-Type: ${body.contentType}`)}`);
      lines.push(`--data-binary @${shellName(operation.operationId).toLowerCase()}.body`);
    }
  }
  return lines.join(' \\\n  ');
}

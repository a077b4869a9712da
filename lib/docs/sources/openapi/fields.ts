import type { TSchema } from './operations';

// A schema as a readable field list (markdown): each field with its type, `required`, its allowed values and
// default, and its description; an object's fields nested under it, to a few levels. Resolved schemas share their
// objects, so a recursive one (a pet whose parent is a pet) is met again among its own ancestors: it is named and
// marked recursive there, not expanded again. allOf is merged; oneOf/anyOf name their choices. A spec's named
// schemas (components.schemas, definitions) are known by their names once registerSchemaNames has seen the spec.

const MAX_DEPTH = 3;
const MAX_FIELDS = 60;
const MAX_ENUM = 12;
const DESCRIPTION_CHARS = 400;

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

const NAMES = new WeakMap<object, string>();

/** Names the resolved spec's schemas (components.schemas, Swagger 2.0's definitions) by their keys. */
export function registerSchemaNames(document: Record<string, unknown>): void {
  const named = { ...asRecord(asRecord(document.components).schemas), ...asRecord(document.definitions) };
  for (const [name, schema] of Object.entries(named)) if (schema !== null && typeof schema === 'object') NAMES.set(schema, name);
}

/** The schema's name where its $ref, its place among the spec's schemas or its title gives one. */
export function schemaName(schema: TSchema): string {
  const ref = schema.$ref;
  if (typeof ref === 'string') return ref.split('/').pop() ?? ref;
  return NAMES.get(schema) ?? (typeof schema.title === 'string' ? schema.title : '');
}

/** allOf's parts as one object schema (properties and required lists put together). */
export function mergedSchema(schema: TSchema, depth = 0): TSchema {
  const parts = Array.isArray(schema.allOf) && depth < MAX_DEPTH * 2 ? schema.allOf.map(asRecord) : [];
  if (parts.length === 0) return schema;
  const merged: TSchema = { ...schema, allOf: undefined };
  const properties: Record<string, unknown> = { ...asRecord(schema.properties) };
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const part of parts.map((item) => mergedSchema(item, depth + 1))) {
    Object.assign(properties, asRecord(part.properties));
    if (Array.isArray(part.required)) for (const name of part.required) required.add(String(name));
    if (!merged.type && part.type) merged.type = part.type;
    if (!merged.description && part.description) merged.description = part.description;
  }
  merged.properties = properties;
  merged.required = [...required];
  return merged;
}

/** `string`, `integer (int64)`, `array of Message`, `Pet`, `string or null`; `Pet (recursive)` among its ancestors. */
export function typeText(raw: TSchema, ancestors: ReadonlySet<object> = new Set()): string {
  if (ancestors.has(raw) || typeof raw.$ref === 'string') return `${schemaName(raw) || 'object'} (recursive)`;
  const schema = mergedSchema(raw);
  const inner = new Set([...ancestors, raw]);
  const choices = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : []).map(asRecord);
  // A choice of constants is a value of their type, its values listed apart (enumNote).
  if (choices.length > 0 && choices.every((choice) => 'const' in choice)) return [...new Set(choices.map((choice) => (choice.const === null ? 'null' : typeof choice.const)))].join(' or ');
  if (choices.length > 0) return `one of: ${choices.map((choice) => schemaName(choice) || typeText(choice, inner)).join(', ')}`;
  const types = (Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === 'string' ? [schema.type] : []).filter((type) => type !== 'null');
  let type = types.join(' or ') || (schema.properties ? 'object' : '');
  if (type === 'object' && schemaName(raw)) type = schemaName(raw);
  if (type === 'array') {
    const items = asRecord(schema.items);
    type = `array of ${schemaName(items) || typeText(items, inner) || 'values'}`;
  }
  if (typeof schema.format === 'string') type += ` (${schema.format})`;
  const isNullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  return isNullable && type ? `${type} or null` : type || 'any';
}

/**
 * A schema's allowed values with what each means where the spec says (what a developer asks for is often a value:
 * a call's `Status` `completed` is how it is ended): `enum` with `x-enum-descriptions` (a list in the enum's order,
 * or a map by value; also `x-enumDescriptions`), `x-ms-enum`'s `values`, or OpenAPI 3.1's `oneOf` of `const`s with
 * a description or title. An array's allowed values are its items'. Empty when the schema allows any value.
 */
export function enumValues(raw: TSchema): { value: string; description: string }[] {
  const schema = mergedSchema(raw);
  if (schema.type === 'array' && schema.items) return enumValues(asRecord(schema.items));
  const described = schema['x-enum-descriptions'] ?? schema['x-enumDescriptions'];
  const meaningOf = (value: unknown, at: number): string => {
    const text = Array.isArray(described) ? described[at] : asRecord(described)[String(value)];
    return typeof text === 'string' ? text : '';
  };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const msValues = Array.isArray(asRecord(schema['x-ms-enum']).values) ? (asRecord(schema['x-ms-enum']).values as unknown[]).map(asRecord) : [];
    return schema.enum.map((value, at) => ({
      value: String(value),
      description: meaningOf(value, at) || String(msValues.find((entry) => String(entry.value) === String(value))?.description ?? ''),
    }));
  }
  const choices = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : []).map(asRecord);
  if (choices.length > 0 && choices.every((choice) => 'const' in choice)) {
    return choices.map((choice) => ({ value: String(choice.const), description: String(choice.description ?? choice.title ?? '') }));
  }
  return [];
}

/** `one of `a`, `b` (what b means)`: the allowed values as a field's note, at most MAX_ENUM, each with its meaning. */
export function enumNote(raw: TSchema): string {
  const values = enumValues(raw);
  if (values.length === 0) return '';
  const listed = values.slice(0, MAX_ENUM).map(({ value, description }) => `\`${value}\`${description ? ` (${shortDescription(description, 160)})` : ''}`);
  return `one of ${listed.join(', ')}${values.length > MAX_ENUM ? `, … (${values.length} in all)` : ''}`;
}

function describeField(raw: TSchema, isRequired: boolean, ancestors: ReadonlySet<object>): string {
  const schema = mergedSchema(raw);
  const notes = [typeText(raw, ancestors)];
  if (isRequired) notes.push('required');
  const allowed = enumNote(raw);
  if (allowed) notes.push(allowed);
  if (schema.default !== undefined && typeof schema.default !== 'object') notes.push(`default \`${String(schema.default)}\``);
  if (schema.deprecated === true) notes.push('deprecated');
  return notes.join(', ');
}

/** A description on one line, shortened at a sentence or word. */
export function shortDescription(text: unknown, chars = DESCRIPTION_CHARS): string {
  if (typeof text !== 'string') return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= chars) return flat;
  const cut = flat.slice(0, chars);
  const sentence = cut.lastIndexOf('. ');
  return sentence > chars / 2 ? cut.slice(0, sentence + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

/**
 * The fields of an object schema (or of an array's items) as markdown list lines; none for a scalar. `isTerse`:
 * names, types, required marks and allowed values without descriptions (a response's fields: the resource's, the
 * same for each of its operations, whose descriptions drowned what tells the operations apart in search).
 */
export function fieldList(raw: TSchema, options: { maxDepth?: number; isTerse?: boolean } = {}): string[] {
  const lines: string[] = [];
  const budget = { left: MAX_FIELDS };
  walk(raw, 0, options.maxDepth ?? MAX_DEPTH, lines, budget, new Set(), options.isTerse ?? false);
  if (budget.left < 0) lines.push('- …');
  return lines;
}

function walk(raw: TSchema, depth: number, maxDepth: number, lines: string[], budget: { left: number }, ancestors: Set<object>, isTerse: boolean) {
  let container = raw;
  let schema = mergedSchema(raw);
  if (schema.type === 'array' || (schema.items && !schema.properties)) {
    container = asRecord(schema.items);
    schema = mergedSchema(container);
  }
  if (typeof schema.$ref === 'string') return;
  const inside = new Set([...ancestors, raw, container]);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const indent = '  '.repeat(depth);
  for (const [name, rawField] of Object.entries(asRecord(schema.properties))) {
    budget.left -= 1;
    if (budget.left < 0) return;
    const field = asRecord(rawField);
    const items = asRecord(field.items);
    const isRecursive = inside.has(field) || inside.has(items);
    const description = isTerse ? '' : shortDescription(mergedSchema(field).description);
    lines.push(`${indent}- \`${name}\` (${describeField(field, required.has(name), inside)})${description ? `: ${description}` : ''}`);
    if (!isRecursive && depth + 1 < maxDepth) walk(field, depth + 1, maxDepth, lines, budget, inside, isTerse);
  }
}

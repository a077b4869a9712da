import type { TSchema } from './operations';

// A schema as a readable field list (markdown): each field with its type, `required`, its allowed values and
// default, and its description; an object's fields nested under it, to a few levels. A schema left as `{$ref}` by
// the reader is recursive: it is named, not expanded again. allOf is merged; oneOf/anyOf name their choices.

const MAX_DEPTH = 3;
const MAX_FIELDS = 60;
const MAX_ENUM = 12;
const DESCRIPTION_CHARS = 400;

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The schema's name where its $ref or title gives one. */
export function schemaName(schema: TSchema): string {
  const ref = schema.$ref;
  if (typeof ref === 'string') return ref.split('/').pop() ?? ref;
  return typeof schema.title === 'string' ? schema.title : '';
}

/** allOf's parts as one object schema (properties and required lists put together). */
export function mergedSchema(schema: TSchema): TSchema {
  const parts = Array.isArray(schema.allOf) ? schema.allOf.map(asRecord) : [];
  if (parts.length === 0) return schema;
  const merged: TSchema = { ...schema, allOf: undefined };
  const properties: Record<string, unknown> = { ...asRecord(schema.properties) };
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required.map(String) : []);
  for (const part of parts.map(mergedSchema)) {
    Object.assign(properties, asRecord(part.properties));
    if (Array.isArray(part.required)) for (const name of part.required) required.add(String(name));
    if (!merged.type && part.type) merged.type = part.type;
    if (!merged.description && part.description) merged.description = part.description;
  }
  merged.properties = properties;
  merged.required = [...required];
  return merged;
}

/** `string`, `integer (int64)`, `array of Message`, `object`, `string or null`. */
export function typeText(raw: TSchema): string {
  const schema = mergedSchema(raw);
  if (typeof schema.$ref === 'string') return `${schemaName(schema)} (recursive)`;
  const choices = (Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : []).map(asRecord);
  if (choices.length > 0) return `one of: ${choices.map((choice) => schemaName(choice) || typeText(choice)).join(', ')}`;
  const types = (Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === 'string' ? [schema.type] : []).filter((type) => type !== 'null');
  let type = types.join(' or ') || (schema.properties ? 'object' : '');
  if (type === 'array') {
    const items = asRecord(schema.items);
    type = `array of ${schemaName(items) || typeText(items) || 'values'}`;
  }
  if (typeof schema.format === 'string') type += ` (${schema.format})`;
  const isNullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  return isNullable && type ? `${type} or null` : type || 'any';
}

function describeField(schema: TSchema, isRequired: boolean): string {
  const notes = [typeText(schema)];
  if (isRequired) notes.push('required');
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const values = schema.enum.slice(0, MAX_ENUM).map((value) => `\`${String(value)}\``);
    notes.push(`one of ${values.join(', ')}${schema.enum.length > MAX_ENUM ? `, … (${schema.enum.length} in all)` : ''}`);
  }
  if (schema.default !== undefined && typeof schema.default !== 'object') notes.push(`default \`${String(schema.default)}\``);
  if (schema.deprecated === true) notes.push('deprecated');
  return notes.join(', ');
}

/** A description on one line, shortened at a sentence or word. */
export function shortDescription(text: unknown): string {
  if (typeof text !== 'string') return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= DESCRIPTION_CHARS) return flat;
  const cut = flat.slice(0, DESCRIPTION_CHARS);
  const sentence = cut.lastIndexOf('. ');
  return sentence > DESCRIPTION_CHARS / 2 ? cut.slice(0, sentence + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

/** The fields of an object schema (or of an array's items) as markdown list lines; none for a scalar. */
export function fieldList(raw: TSchema, options: { maxDepth?: number } = {}): string[] {
  const lines: string[] = [];
  const budget = { left: MAX_FIELDS };
  walk(raw, 0, options.maxDepth ?? MAX_DEPTH, lines, budget);
  if (budget.left < 0) lines.push('- …');
  return lines;
}

function walk(raw: TSchema, depth: number, maxDepth: number, lines: string[], budget: { left: number }) {
  let schema = mergedSchema(raw);
  if (schema.type === 'array' || (schema.items && !schema.properties)) schema = mergedSchema(asRecord(schema.items));
  if (typeof schema.$ref === 'string') return;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const indent = '  '.repeat(depth);
  for (const [name, rawField] of Object.entries(asRecord(schema.properties))) {
    budget.left -= 1;
    if (budget.left < 0) return;
    const field = mergedSchema(asRecord(rawField));
    const description = shortDescription(field.description);
    lines.push(`${indent}- \`${name}\` (${describeField(field, required.has(name))})${description ? `: ${description}` : ''}`);
    if (depth + 1 < maxDepth) walk(field, depth + 1, maxDepth, lines, budget);
  }
}

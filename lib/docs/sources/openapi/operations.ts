// A resolved spec's operations in one shape, whichever format it came in: OpenAPI 3.x (requestBody, content by
// media type, servers) or Swagger 2.0 (body and formData parameters, consumes, host/basePath/schemes,
// securityDefinitions). Pure: what a spec says, nothing invented; ids a spec leaves out are made from the method
// and path, as unique as Redoc makes them.

export type TSchema = Record<string, unknown>;

export type TParameter = { name: string; in: string; isRequired: boolean; description: string; schema: TSchema; example: unknown };

export type TBody = { contentType: string; isRequired: boolean; description: string; schema: TSchema; example: unknown };

export type TResponse = { status: string; description: string; contentType: string | null; schema: TSchema | null; example: unknown };

/** How a request authenticates, as curl needs it. */
export type TAuth =
  | { type: 'basic'; scheme: string }
  | { type: 'bearer'; scheme: string }
  | { type: 'apiKey'; scheme: string; in: 'header' | 'query' | 'cookie'; name: string };

export type TOperation = {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  /** The path item's own description (what the resource is), shared by its operations. */
  resourceDescription: string;
  tags: string[];
  isDeprecated: boolean;
  parameters: TParameter[];
  body: TBody | null;
  responses: TResponse[];
  /** The server the operation is called on (its own, its path's, or the spec's first), variables at their defaults. */
  serverUrl: string;
  auth: TAuth[];
};

export type TSpecInfo = { title: string; description: string; version: string; serverUrl: string; tags: Map<string, { displayName: string; description: string }> };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const asString = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function isSwagger2(spec: Record<string, unknown>): boolean {
  return spec.swagger === '2.0' || spec.swagger === 2;
}

export function readSpecInfo(spec: Record<string, unknown>, origin: string | null): TSpecInfo {
  const info = asRecord(spec.info);
  const tags = new Map<string, { displayName: string; description: string }>();
  for (const tag of asArray(spec.tags)) {
    const record = asRecord(tag);
    const name = asString(record.name);
    if (name) tags.set(name, { displayName: asString(record['x-displayName']) || name, description: asString(record.description) });
  }
  return {
    title: asString(info.title).trim(),
    description: asString(info.description).trim(),
    version: asString(info.version),
    serverUrl: specServerUrl(spec, origin),
    tags,
  };
}

function specServerUrl(spec: Record<string, unknown>, origin: string | null): string {
  if (isSwagger2(spec)) {
    const host = asString(spec.host) || (origin ? new URL(origin).host : '');
    const scheme = asString(asArray(spec.schemes)[0]) || (origin ? new URL(origin).protocol.replace(':', '') : 'https');
    const basePath = asString(spec.basePath).replace(/\/+$/, '');
    return host ? `${scheme}://${host}${basePath}` : basePath;
  }
  return serverOf(asArray(spec.servers), origin) ?? '';
}

/** The first server's URL with its variables at their defaults; a relative one resolved against the spec's URL. */
function serverOf(servers: unknown[], origin: string | null): string | null {
  const server = asRecord(servers[0]);
  let url = asString(server.url);
  if (!url) return null;
  for (const [name, variable] of Object.entries(asRecord(server.variables))) {
    url = url.split(`{${name}}`).join(asString(asRecord(variable).default));
  }
  if (!/^https?:\/\//i.test(url) && origin) {
    try {
      url = new URL(url, origin).href;
    } catch {
      // Left relative: the curl says so by its path alone.
    }
  }
  return url.replace(/\/+$/, '');
}

/** Every operation of the spec, in the spec's order. */
export function readOperations(spec: Record<string, unknown>, origin: string | null): TOperation[] {
  const isV2 = isSwagger2(spec);
  const info = readSpecInfo(spec, origin);
  const operations: TOperation[] = [];
  const usedIds = new Set<string>();
  for (const [path, rawItem] of Object.entries(asRecord(spec.paths))) {
    const item = asRecord(rawItem);
    const shared = asArray(item.parameters);
    for (const method of METHODS) {
      if (!(method in item)) continue;
      const operation = asRecord(item[method]);
      const parameters = mergeParameters(shared, asArray(operation.parameters));
      const plain = parameters.filter((parameter) => !['body', 'formData'].includes(asString(parameter.in)));
      const serverUrl = isV2 ? info.serverUrl : (serverOf(asArray(operation.servers), origin) ?? serverOf(asArray(item.servers), origin) ?? info.serverUrl);
      operations.push({
        operationId: uniqueId(asString(operation.operationId) || fallbackId(method, path), usedIds),
        method: method.toUpperCase(),
        path,
        summary: oneLine(asString(operation.summary)),
        description: asString(operation.description).trim(),
        resourceDescription: asString(item.description).trim() || asString(item.summary).trim(),
        tags: asArray(operation.tags).map(asString).filter((tag) => tag !== ''),
        isDeprecated: operation.deprecated === true,
        parameters: plain.map((parameter) => readParameter(parameter, isV2)),
        body: isV2 ? swagger2Body(spec, operation, parameters) : openapi3Body(operation),
        responses: readResponses(operation, isV2),
        serverUrl,
        auth: readAuth(spec, operation, isV2),
      });
    }
  }
  return operations;
}

/** Redoc's id for an operation without one is its path; ours is readable in a URL: get_pets_petId. */
function fallbackId(method: string, path: string): string {
  return `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_')}`.replace(/_+$/, '');
}

function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${id}_${n}`;
  used.add(candidate);
  return candidate;
}

/** The operation's parameters win over its path's of the same name and place. */
function mergeParameters(shared: unknown[], own: unknown[]): Record<string, unknown>[] {
  const key = (parameter: Record<string, unknown>) => `${asString(parameter.in)}:${asString(parameter.name)}`;
  const merged = new Map<string, Record<string, unknown>>();
  for (const parameter of [...shared, ...own].map(asRecord)) if (asString(parameter.name)) merged.set(key(parameter), parameter);
  return [...merged.values()];
}

function readParameter(parameter: Record<string, unknown>, isV2: boolean): TParameter {
  // Swagger 2.0 puts a non-body parameter's type on the parameter itself.
  const schema = isV2 ? pickSchema(parameter) : asRecord(parameter.schema);
  const examples = Object.values(asRecord(parameter.examples)).map((example) => asRecord(example).value);
  return {
    name: asString(parameter.name),
    in: asString(parameter.in),
    isRequired: parameter.required === true || asString(parameter.in) === 'path',
    description: asString(parameter.description).trim(),
    schema,
    example: parameter.example ?? examples[0] ?? schema.example ?? parameter['x-example'],
  };
}

function pickSchema(parameter: Record<string, unknown>): TSchema {
  const schema: TSchema = {};
  for (const key of ['type', 'format', 'enum', 'default', 'items', 'minimum', 'maximum', 'pattern', 'example']) if (key in parameter) schema[key] = parameter[key];
  return schema;
}

function openapi3Body(operation: Record<string, unknown>): TBody | null {
  const body = asRecord(operation.requestBody);
  const content = asRecord(body.content);
  const [contentType, rawMedia] = Object.entries(content)[0] ?? [];
  if (!contentType) return null;
  const media = asRecord(rawMedia);
  const examples = Object.values(asRecord(media.examples)).map((example) => asRecord(example).value);
  const schema = asRecord(media.schema);
  return { contentType, isRequired: body.required === true, description: asString(body.description).trim(), schema, example: media.example ?? examples[0] ?? schema.example };
}

function swagger2Body(spec: Record<string, unknown>, operation: Record<string, unknown>, parameters: Record<string, unknown>[]): TBody | null {
  const consumes = asArray(operation.consumes ?? spec.consumes).map(asString);
  const body = parameters.find((parameter) => parameter.in === 'body');
  if (body) {
    const schema = asRecord(body.schema);
    return {
      contentType: consumes.find((type) => type.includes('json')) ?? consumes[0] ?? 'application/json',
      isRequired: body.required === true,
      description: asString(body.description).trim(),
      schema,
      example: schema.example ?? body['x-example'],
    };
  }
  const form = parameters.filter((parameter) => parameter.in === 'formData');
  if (form.length === 0) return null;
  const isMultipart = consumes.includes('multipart/form-data') || form.some((parameter) => parameter.type === 'file');
  const properties: Record<string, unknown> = {};
  for (const parameter of form) properties[asString(parameter.name)] = { ...pickSchema(parameter), description: asString(parameter.description) };
  const required = form.filter((parameter) => parameter.required === true).map((parameter) => asString(parameter.name));
  return {
    contentType: isMultipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
    isRequired: required.length > 0,
    description: '',
    schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    example: undefined,
  };
}

function readResponses(operation: Record<string, unknown>, isV2: boolean): TResponse[] {
  return Object.entries(asRecord(operation.responses)).map(([status, raw]) => {
    const response = asRecord(raw);
    if (isV2) {
      const examples = asRecord(response.examples);
      const [contentType] = Object.keys(examples);
      const schema = response.schema ? asRecord(response.schema) : null;
      return { status, description: oneLine(asString(response.description)), contentType: contentType ?? null, schema, example: contentType ? examples[contentType] : schema?.example };
    }
    const [contentType, rawMedia] = Object.entries(asRecord(response.content))[0] ?? [];
    const media = asRecord(rawMedia);
    const examples = Object.values(asRecord(media.examples)).map((example) => asRecord(example).value);
    const schema = media.schema ? asRecord(media.schema) : null;
    return { status, description: oneLine(asString(response.description)), contentType: contentType ?? null, schema, example: media.example ?? examples[0] ?? schema?.example };
  });
}

function readAuth(spec: Record<string, unknown>, operation: Record<string, unknown>, isV2: boolean): TAuth[] {
  const schemes = asRecord(isV2 ? spec.securityDefinitions : asRecord(spec.components).securitySchemes);
  // The first way the operation accepts (its own security, else the spec's): an empty requirement means none.
  const requirement = asRecord(asArray(operation.security ?? spec.security)[0]);
  return Object.keys(requirement).flatMap((name): TAuth[] => {
    const scheme = asRecord(schemes[name]);
    const type = asString(scheme.type);
    if (type === 'basic' || (type === 'http' && asString(scheme.scheme).toLowerCase() === 'basic')) return [{ type: 'basic', scheme: name }];
    if (type === 'http' || type === 'oauth2' || type === 'openIdConnect') return [{ type: 'bearer', scheme: name }];
    if (type === 'apiKey') {
      const where = asString(scheme.in);
      return [{ type: 'apiKey', scheme: name, in: where === 'query' || where === 'cookie' ? where : 'header', name: asString(scheme.name) || 'X-API-Key' }];
    }
    return [];
  });
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Every response the API tests receive from `/api/v1` is checked against the OpenAPI document the
 * API serves: an undocumented status or a body that does not match its schema fails the test that
 * made the request, so the document and the API cannot drift apart.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

interface Operation {
  readonly responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: unknown };

interface Template {
  readonly path: string;
  readonly pattern: RegExp;
  readonly literalSegments: number;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ResponseValidator {
  readonly #ajv: Ajv2020;
  readonly #doc: OpenApiDocument;
  readonly #templates: Template[];
  readonly #compiled = new Map<string, ValidateFunction>();
  /** Operations seen, for a check that the tests reach every documented operation. */
  readonly seen = new Set<string>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; formats are documentation here, not checks.
    this.#ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    // Closed objects: a field the API returns but the document omits is drift too.
    const copy = structuredClone(doc);
    inlineAllOfRefs(copy);
    this.#ajv.addSchema(closeObjects(copy) as object, 'openapi');
    this.#templates = Object.keys(doc.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literalSegments: path.split('/').filter((s) => s !== '' && !s.startsWith('{')).length,
    }));
  }

  /** Throws when `response` (to `method` on `path`, relative to `/api/v1`) is not documented. */
  async check(method: string, path: string, response: Response): Promise<void> {
    const template = this.#templates
      .filter((t) => t.pattern.test(path))
      .sort((a, b) => b.literalSegments - a.literalSegments)[0];
    if (template === undefined) return; // an unknown path: the 404 body is checked by its own tests
    const verb = method.toLowerCase();
    const operation = this.#doc.paths[template.path]?.[verb];
    if (operation === undefined) return; // 405-like: not a documented operation
    this.seen.add(`${verb} ${template.path}`);
    const status = String(response.status);
    const documented = operation.responses?.[status] ?? operation.responses?.default;
    const where = `${method.toUpperCase()} ${template.path} -> ${status}`;
    if (documented === undefined) throw new Error(`OpenAPI: ${where} is not a documented response`);
    const text = await response.text();
    const json = documented.content?.['application/json'];
    if (json?.schema === undefined) {
      if (text !== '' && (response.headers.get('content-type') ?? '').includes('json')) {
        throw new Error(`OpenAPI: ${where} returned a JSON body the document does not describe`);
      }
      return;
    }
    const key = `${template.path}|${verb}|${documented === operation.responses?.[status] ? status : 'default'}`;
    let validate = this.#compiled.get(key);
    if (validate === undefined) {
      const pointer = `openapi#/paths/${escapePointer(template.path)}/${verb}/responses/${
        key.split('|')[2]
      }/content/application~1json/schema`;
      validate = this.#ajv.compile({ $ref: pointer });
      this.#compiled.set(key, validate);
    }
    const body: unknown = JSON.parse(text);
    if (!validate(body)) {
      const problems = (validate.errors ?? [])
        .slice(0, 200)
        .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
        .join('; ');
      throw new Error(
        `OpenAPI: ${where} does not match its schema: ${problems}\nbody: ${text.slice(0, 600)}`,
      );
    }
  }
}

/**
 * `allOf: [{$ref: Base}, {extension}]` (a zod `.extend()`): inlines Base so that closing can happen
 * once, on the `allOf` node, where both parts' properties count as evaluated.
 */
function inlineAllOfRefs(doc: OpenApiDocument): void {
  const components = (doc.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (Array.isArray(schema.allOf)) {
      schema.allOf = schema.allOf.map((member: Record<string, unknown>) => {
        const ref = typeof member.$ref === 'string' ? member.$ref : undefined;
        const name = ref?.startsWith('#/components/schemas/')
          ? ref.slice('#/components/schemas/'.length)
          : undefined;
        const base = (name === undefined ? member : structuredClone(components[name])) as object;
        return { ...base, [ALL_OF_MEMBER]: true };
      });
      schema.unevaluatedProperties = false;
    }
    for (const value of Object.values(schema)) visit(value);
  };
  visit(doc);
}

const ALL_OF_MEMBER = 'x-all-of-member';

/** Closes every object schema that lists its properties (`unevaluatedProperties: false`). */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
  } else if (node !== null && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    const isObject =
      schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
    const open = schema.additionalProperties;
    // `additionalProperties: {}` is what a loose zod object documents: not a promise of extra fields.
    const loose =
      open === undefined || (typeof open === 'object' && open !== null && Object.keys(open).length === 0);
    if (isObject && schema.properties !== undefined && loose) {
      delete schema.additionalProperties;
      // An allOf member stays open: its parent closes over both parts.
      if (schema[ALL_OF_MEMBER] !== true) schema.unevaluatedProperties = false;
    }
    for (const value of Object.values(schema)) closeObjects(value);
  }
  return node;
}

/** Patches `app.fetch` (which `app.request` and in-process clients go through) to check responses. */
export async function validateResponses(
  app: { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> },
  prefix = '/api/v1',
): Promise<ResponseValidator> {
  const original = app.fetch.bind(app);
  const docResponse = await original(new Request(`http://localhost${prefix}/openapi.json`));
  const validator = new ResponseValidator((await docResponse.json()) as OpenApiDocument);
  app.fetch = (async (request: Request, ...rest: never[]) => {
    const response = await original(request, ...rest);
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(`${prefix}/`) && pathname !== `${prefix}/openapi.json`) {
      await validator.check(request.method, pathname.slice(prefix.length), response.clone());
    }
    return response;
  }) as typeof app.fetch;
  return validator;
}

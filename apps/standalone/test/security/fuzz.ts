/**
 * Requests generated from the OpenAPI document with a seeded generator: each operation's own
 * parameters and request body schema, made valid enough to get past the first checks and then
 * broken (wrong types, missing and extra fields, huge strings, NUL and lone surrogates, numbers
 * at and beyond every limit, bad ids, bad query strings, bad JSON). The same seed gives the same
 * requests.
 */
import { randomUUID } from 'node:crypto';
import type { SecuritySystem } from './system.js';

type Schema = Record<string, any>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly schema?: Schema;
}

interface OperationDoc {
  readonly parameters?: Parameter[];
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface FuzzDocument {
  readonly paths: Record<string, Record<string, OperationDoc>>;
  readonly components?: { schemas?: Record<string, Schema> };
}

/** Real values for the generator to use now and then, so that requests get past lookups. */
export interface FuzzPools {
  readonly ids: readonly string[];
  readonly externalIds: readonly string[];
  readonly codes: readonly string[];
  readonly feeIds: readonly string[];
  readonly invoiceIds: readonly string[];
  readonly connectionCodes: readonly string[];
  /** URLs that answer at once (a receiver, a closed port): deliveries to them never wait on DNS. */
  readonly urls: readonly string[];
}

export interface FuzzRequest {
  readonly method: string;
  /** Relative to `/api/v1`, already encoded, with its query string. */
  readonly path: string;
  readonly body?: string | Uint8Array;
  readonly contentType: string | null;
  readonly headers: Record<string, string>;
  /** Whether to send the API key (else a broken one). */
  readonly authorized: boolean;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(items.length)] as T;
  }
}

/** Well under the API's 1 MiB body limit, even when every character takes 3 bytes. */
const MAX_BODY_CHARS = 300_000;

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '😀'.repeat(64),
  '\u202eevil',
  'e\u0301',
  '\uffff',
  '\ufeffbom',
  '𝕏𝕐',
  '\r\n',
  '\t',
  '<script>alert(1)</script>',
  "'; drop table invoices; --",
  '%00',
  '../../etc/passwd',
  '$' + '{7*7}',
  '{{7*7}}',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'USD',
  'usd',
  'XXX',
  'stripe',
  'http://[::1]:9/',
  'javascript:alert(1)',
];

const NASTY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  999_999_999_999_999,
  1e15,
  1e16,
  1e21,
  1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  0.5,
  1.5,
  100.01,
  -0.0001,
  12_345.678,
];

const NASTY_NUMBER_STRINGS = [
  '0',
  '-1',
  '1.5',
  '1e3',
  '1e9',
  '0x10',
  ' 12',
  '12 ',
  '1_000',
  '١٢',
  '9'.repeat(30),
  '-0',
  'NaN',
  'Infinity',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '1000000001',
  '',
];

/** Percent-encodings that no `encodeURIComponent` produces: invalid UTF-8, NUL, traversal. */
const RAW_SEGMENTS = [
  '%00',
  '%ED%A0%80',
  '%FF',
  '%C0%AF',
  '%2e%2e',
  '..',
  '%2F',
  '%25',
  '%',
  '%zz',
  'a%20b',
  '%E2%80%AE',
];

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'extra',
  'lago_id',
  'organization_id',
  'id',
  '',
  'k'.repeat(300),
  '\u0000',
  '\ud800',
];

/** Query keys Lago's list routes read besides the documented ones. */
const EXTRA_QUERY_KEYS = [
  'page',
  'per_page',
  'external_customer_id',
  'status',
  'statuses[]',
  'payment_status',
  'payment_statuses[]',
  'currency',
  'issuing_date_from',
  'issuing_date_to',
  'amount_from',
  'amount_to',
  'payment_overdue',
  'payment_dispute_lost',
  'invoice_type',
  'search_term',
  'invoice_id',
  'metadata[key]',
  'currencies[]',
  'countries[]',
  'webhook_endpoint_id',
  'succeeded',
];

export class FuzzGenerator {
  readonly #rng: Rng;
  readonly #doc: FuzzDocument;
  readonly #pools: FuzzPools;
  readonly #operations: Array<{ method: string; path: string; op: OperationDoc }>;

  constructor(doc: FuzzDocument, pools: FuzzPools, seed: number) {
    this.#rng = new Rng(seed);
    this.#doc = doc;
    this.#pools = pools;
    this.#operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([m]) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  }

  get operationCount(): number {
    return this.#operations.length;
  }

  next(): FuzzRequest {
    const rng = this.#rng;
    const { method: documented, path: template, op } = rng.pick(this.#operations);
    const method = rng.chance(0.03)
      ? rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])
      : documented;
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => this.#pathValue(name));
    const query = this.#query(op);
    const headers: Record<string, string> = {};
    if (method === 'POST' && rng.chance(0.1)) {
      headers['idempotency-key'] = rng.pick([
        randomUUID(),
        'k'.repeat(256),
        ' ',
        'two words',
        'é',
        randomUUID(),
      ]);
    }
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const body = method === 'GET' || method === 'OPTIONS' ? undefined : this.#body(bodySchema);
    const contentType = rng.chance(0.9)
      ? 'application/json'
      : rng.pick([
          null,
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
        ]);
    return {
      method,
      path: `${path}${query}`,
      ...(body === undefined ? {} : { body }),
      contentType,
      headers,
      authorized: rng.chance(0.97),
    };
  }

  #pathValue(name: string): string {
    const rng = this.#rng;
    const p = this.#pools;
    const roll = rng.next();
    if (roll < 0.3) {
      const pool = name === 'external_customer_id' ? p.externalIds : name === 'code' ? p.codes : p.ids;
      return encodeURIComponent(rng.pick(pool));
    }
    if (roll < 0.45) return rng.chance(0.8) ? randomUUID() : randomUUID().toUpperCase();
    if (roll < 0.6) return rng.pick(RAW_SEGMENTS);
    if (roll < 0.7) return 'a'.repeat(rng.pick([255, 256, 5_000]));
    return safeEncode(rng.pick(NASTY_STRINGS.filter((s) => s !== '')));
  }

  #query(op: OperationDoc): string {
    const rng = this.#rng;
    if (rng.chance(0.05))
      return rng.pick(['?%', '?&&&', '?=x', '?a=%ZZ', `?per_page=${'9'.repeat(400)}`, '?page[]=1']);
    if (!rng.chance(0.6)) return '';
    const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const keys = [...documented, ...EXTRA_QUERY_KEYS];
    const pairs: string[] = [];
    const n = 1 + rng.int(4);
    for (let i = 0; i < n; i += 1) {
      const key = rng.pick(keys);
      const value = rng.chance(0.5)
        ? rng.pick(NASTY_NUMBER_STRINGS)
        : rng.chance(0.3)
          ? rng.pick([...this.#pools.externalIds, ...this.#pools.ids])
          : rng.pick(NASTY_STRINGS);
      const encodedKey = rng.chance(0.15)
        ? `${encodeURIComponent(key)}[]`
        : rng.chance(0.1)
          ? `${key}[x]`
          : key;
      pairs.push(`${encodedKey}=${rng.chance(0.1) ? rng.pick(RAW_SEGMENTS) : safeEncode(value)}`);
    }
    return `?${pairs.join('&')}`;
  }

  #body(schema: Schema | undefined): string | Uint8Array | undefined {
    const rng = this.#rng;
    if (rng.chance(0.1)) return this.#badJson(schema);
    if (schema === undefined) return rng.chance(0.5) ? undefined : JSON.stringify(this.#wrongType());
    for (let attempt = 0; attempt < 4; attempt += 1) {
      let value = this.#valid(schema, 'body', 0);
      const mutations = rng.chance(0.1) ? 0 : 1 + rng.int(3);
      for (let i = 0; i < mutations; i += 1) value = this.#mutate(value);
      const text = JSON.stringify(value) ?? '';
      // Bodies stay under the API's body limit: what happens above it is the limit's own test.
      if (text.length < MAX_BODY_CHARS) return text;
    }
    return JSON.stringify(this.#valid(schema, 'body', 0));
  }

  #resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 8 && typeof s.$ref === 'string'; i += 1) {
      const name = (s.$ref as string).split('/').pop() ?? '';
      s = this.#doc.components?.schemas?.[name] ?? {};
    }
    return s;
  }

  /** A value the schema accepts, with real ids where a field names an object. */
  #valid(raw: Schema, field: string, depth: number): unknown {
    const rng = this.#rng;
    const schema = this.#resolve(raw);
    const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (branches?.length) return this.#valid(rng.pick(branches), field, depth);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
    const types: string[] = Array.isArray(schema.type)
      ? schema.type
      : schema.type
        ? [schema.type]
        : ['object'];
    const type = rng.pick(
      types.filter((t) => t !== 'null').length > 0 ? types.filter((t) => t !== 'null') : types,
    );
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const required = new Set<string>(schema.required ?? []);
        for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
          if (required.has(key) || rng.chance(0.5)) out[key] = this.#valid(sub, key, depth + 1);
        }
        return out;
      }
      case 'array': {
        const n = rng.int(Math.min(3, schema.maxItems ?? 3) + 1);
        return Array.from({ length: n }, () => this.#valid(schema.items ?? {}, field, depth + 1));
      }
      case 'integer':
      case 'number': {
        const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
        return min + rng.int(100_000);
      }
      case 'boolean':
        return rng.chance(0.5);
      case 'null':
        return null;
      default:
        return this.#string(field, schema);
    }
  }

  #string(field: string, schema: Schema): string {
    const rng = this.#rng;
    const p = this.#pools;
    const byField: Record<string, readonly string[]> = {
      external_customer_id: p.externalIds,
      external_id: p.externalIds,
      add_on_code: p.codes,
      invoice_id: p.invoiceIds,
      fee_id: p.feeIds,
      payment_method_id: p.ids,
      payment_provider_code: p.connectionCodes,
      currency: ['USD', 'EUR', 'GBP', 'usd', 'JPY'],
      amount_currency: ['USD', 'EUR', 'GBP'],
      payment_provider: ['stripe', 'gocardless', ''],
      webhook_url: [...p.urls, 'not a url', 'ftp://files.test/x', 'http://169.254.169.254/latest/meta-data'],
      email: ['fuzz@example.test', 'not-an-email'],
      country: ['US', 'FR', 'ZZ'],
      paid_at: ['2026-01-01', '2026-02-30', '2026-01-01T10:00:00Z', 'yesterday'],
      secret_key: ['sk_test_fuzz_key_0001', 'rk_test_fuzz', 'pk_test_x'],
      reason: ['other', 'duplicated_charge', 'fraudulent_charge', 'order_change'],
      units: ['1', '2.5', '0'],
    };
    const pool = byField[field];
    if (pool && pool.length > 0 && rng.chance(0.8)) return rng.pick(pool);
    const length = 1 + rng.int(Math.min(24, schema.maxLength ?? 24));
    let out = '';
    for (let i = 0; i < length; i += 1) out += String.fromCharCode(97 + rng.int(26));
    return out;
  }

  #wrongType(): unknown {
    return this.#rng.pick<unknown>([
      123,
      -1,
      1.5,
      'str',
      true,
      false,
      null,
      [],
      {},
      [1, 2],
      { a: 1 },
      '',
      2 ** 53 + 2,
    ]);
  }

  /** Up to 200 [container, key] slots of `value`, breadth first; the root is [null, null]. */
  #slots(value: unknown): Array<[Record<string, unknown> | unknown[] | null, string | number | null]> {
    const out: Array<[Record<string, unknown> | unknown[] | null, string | number | null]> = [[null, null]];
    const queue: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
    while (queue.length > 0 && out.length < 200) {
      const next = queue.shift();
      if (!next || next.depth > 6 || next.value === null || typeof next.value !== 'object') continue;
      const container = next.value as Record<string, unknown> | unknown[];
      for (const key of Object.keys(container).slice(0, 50)) {
        out.push([container, Array.isArray(container) ? Number(key) : key]);
        queue.push({ value: (container as Record<string, unknown>)[key], depth: next.depth + 1 });
      }
    }
    return out;
  }

  #mutate(value: unknown): unknown {
    const rng = this.#rng;
    const [container, key] = rng.pick(this.#slots(value));
    const current =
      container === null ? value : (container as Record<string | number, unknown>)[key as string];
    let replacement: unknown;
    let remove = false;
    switch (rng.int(9)) {
      case 0:
        replacement = this.#wrongType();
        break;
      case 1:
        remove = true;
        break;
      case 2: {
        if (current && typeof current === 'object' && !Array.isArray(current)) {
          replacement = { ...current, [rng.pick(EXTRA_KEYS)]: this.#wrongType() };
          // An own `__proto__` key, as JSON can carry it.
          if (rng.chance(0.3))
            setOwn(replacement as Record<string, unknown>, '__proto__', { polluted: true });
        } else replacement = { [rng.pick(EXTRA_KEYS)]: current };
        break;
      }
      case 3:
        replacement = 'x'.repeat(rng.pick([255, 256, 1_025, 4_097, 16_385, 70_000]));
        break;
      case 4:
        replacement = rng.pick(NASTY_STRINGS);
        break;
      case 5:
        replacement = rng.pick(NASTY_NUMBERS) * (rng.chance(0.2) ? -1 : 1);
        break;
      case 6:
        replacement = rng.pick(NASTY_NUMBER_STRINGS);
        break;
      case 7:
        replacement = Array.from({ length: rng.pick([21, 101, 501, 1_001]) }, () =>
          Array.isArray(current) && current.length > 0 ? current[0] : current,
        );
        break;
      default: {
        let nested: unknown = current;
        for (let i = 0; i < rng.pick([20, 200, 2_000]); i += 1)
          nested = rng.chance(0.5) ? [nested] : { a: nested };
        replacement = nested;
      }
    }
    if (container === null) return remove ? undefined : replacement;
    if (remove) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else setOwn(container as Record<string, unknown>, String(key), replacement);
    return value;
  }

  #badJson(schema: Schema | undefined): string | Uint8Array {
    const rng = this.#rng;
    const good = JSON.stringify(schema ? this.#valid(schema, 'body', 0) : { a: 1 });
    switch (rng.int(12)) {
      case 0:
        return good.slice(0, rng.int(good.length));
      case 1:
        return good.replace(/}$/, ',}');
      case 2:
        return good.replaceAll('"', "'");
      case 3:
        return `\ufeff${good}`;
      case 4:
        return `${good}garbage`;
      case 5:
        return `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
      case 6:
        return '['.repeat(100_000);
      case 7:
        return good.replace(/:(\s*)(\d+)/, ':1e400');
      case 8:
        return good.replace(/^\{/, `{${good.slice(1, -1)},`);
      case 9:
        return Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
      case 10:
        return rng.pick(['', 'null', 'true', '"s"', '[]', '0', '{}', ' ']);
      default:
        return good.replace(/"([a-z_]+)":/, '"$1\\u0000":');
    }
  }
}

/** `obj[key] = value` as an own property, also for `__proto__`. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `encodeURIComponent`, except that a lone surrogate becomes invalid UTF-8 instead of a throw. */
function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

export interface ShapeProblem {
  readonly reason: string;
}

const ERROR_WORDS: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Provider Requests',
};

/**
 * Lago's error bodies: `status` (the HTTP code) and `error` always; `code` on all but 400 and 401
 * (Lago's own 400 and 401 carry none); `error_details` on 422 and 429; nothing else.
 */
export function lagoShapeProblem(status: number, text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'not an object';
  const b = body as Record<string, unknown>;
  if (b.status !== status) return `status ${String(b.status)} in a ${status} body`;
  if (typeof b.error !== 'string' || b.error === '') return 'no error';
  const allowed = new Set(['status', 'error']);
  const word = ERROR_WORDS[status];
  if (word !== undefined) {
    if (b.error !== word) return `error "${b.error}" instead of "${word}"`;
    if (typeof b.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(b.code)) return 'no code';
    allowed.add('code');
  }
  if (status === 422 || status === 429) {
    if (typeof b.error_details !== 'object' || b.error_details === null) return 'no error_details';
    allowed.add('error_details');
  }
  if (status === 409) allowed.add('error_details');
  if (status === 422) {
    allowed.add('provider');
    allowed.add('message');
  }
  const extra = Object.keys(b).filter((k) => !allowed.has(k));
  return extra.length > 0 ? `unexpected ${extra.join(', ')}` : null;
}

export interface FuzzResult {
  readonly sent: number;
  readonly serverErrors: number;
  readonly offShape: number;
  readonly statuses: Record<number, number>;
  /** One line per 5xx or off-shape reply: the request and what came back. */
  readonly failures: string[];
}

/** Sends `total` generated requests, `concurrency` at a time, and judges every reply. */
export async function runFuzz(
  s: SecuritySystem,
  generator: FuzzGenerator,
  options: { readonly total: number; readonly concurrency: number; readonly apiKey: string },
): Promise<FuzzResult> {
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  let serverErrors = 0;
  let offShape = 0;
  const worker = async () => {
    while (sent < options.total) {
      sent += 1;
      const request = generator.next();
      const reply = await s.call(
        request.authorized ? options.apiKey : 'pr_not_a_key',
        request.method,
        request.path,
        {
          ...(request.body === undefined ? {} : { raw: request.body }),
          contentType: request.contentType,
          headers: request.headers,
        },
      );
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const body = typeof request.body === 'string' ? request.body.slice(0, 200) : '';
      const what = `${request.method} ${request.path.slice(0, 200)} ${body} -> ${reply.status} ${reply.text.slice(0, 300)}`;
      if (reply.status >= 500) {
        serverErrors += 1;
        failures.push(what);
      } else if (reply.status >= 400) {
        const problem = lagoShapeProblem(reply.status, reply.text);
        if (problem) {
          offShape += 1;
          failures.push(`${problem}: ${what}`);
        }
      } else if (reply.status < 200 || reply.status >= 300) {
        // Status 0 is no reply at all (a reset connection): no refusal in Lago's shape either.
        offShape += 1;
        failures.push(`status ${reply.status}: ${what}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    sent,
    serverErrors,
    offShape,
    statuses: Object.fromEntries([...statuses].sort((x, y) => x[0] - y[0])),
    failures,
  };
}

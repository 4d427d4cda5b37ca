/**
 * Decodes Stripe's form encoding (`a[b][0][c]=1`) into nested objects and arrays, as the
 * `stripe` SDK sends it. Keys named like array indices (`0`, `1`, ...) or empty brackets build arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export class FormDecodeError extends Error {}

/** Names that would reach Object.prototype through plain-object assignment. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_INDEX = 9999;

export function decodeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const path = rawKey.includes('[') ? splitKey(rawKey) : [rawKey];
    checkSegments(rawKey, path);
    assign(root, path, value);
  }
  return root;
}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first < 0) return [key];
  const path = [key.slice(0, first)];
  const rest = key.slice(first);
  const re = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index !== consumed) throw new FormDecodeError(`malformed parameter name: ${key}`);
    path.push(m[1] ?? '');
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length || path[0] === '')
    throw new FormDecodeError(`malformed parameter name: ${key}`);
  return path;
}

function checkSegments(key: string, path: string[]): void {
  for (const segment of path) {
    if (FORBIDDEN.has(segment)) throw new FormDecodeError(`parameter name not allowed: ${key}`);
    if (/^\d+$/.test(segment) && Number(segment) > MAX_INDEX)
      throw new FormDecodeError(`array index too large in ${key}`);
  }
}

function assign(target: Record<string, FormValue> | FormValue[], path: string[], value: string): void {
  const [head, ...rest] = path as [string, ...string[]];
  const container = target as Record<string, FormValue>;
  const key = Array.isArray(target) && head === '' ? String(target.length) : head;
  const existing = Object.hasOwn(container, key) ? container[key] : undefined;
  if (rest.length === 0) {
    if (existing !== undefined && typeof existing !== 'string')
      throw new FormDecodeError(`parameter ${head} is both a value and an object`);
    container[key] = value;
    return;
  }
  const nextIsArray = rest[0] === '' || /^\d+$/.test(rest[0] ?? '');
  let child = existing;
  if (child === undefined) {
    child = nextIsArray ? [] : {};
    container[key] = child;
  }
  if (typeof child === 'string') throw new FormDecodeError(`parameter ${head} is both a value and an object`);
  assign(child, rest, value);
}

/**
 * `expand[]`: replaces id strings with the objects they name, following dotted paths
 * (`latest_charge`, `invoice_settings.default_payment_method`, `data.customer` in lists).
 */
import type { Account } from './account.js';
import { invalidRequest } from './errors.js';

function lookup(account: Account, id: string): object | undefined {
  const prefix = id.slice(0, id.indexOf('_'));
  switch (prefix) {
    case 'cus':
      return account.customers.get(id);
    case 'pm':
      return account.paymentMethods.get(id);
    case 'pi':
      return account.paymentIntents.get(id);
    case 'ch':
      return account.charges.get(id);
    case 'seti':
      return account.setupIntents.get(id);
    case 'mandate':
      return account.mandates.get(id);
    case 're':
      return account.refunds.get(id);
    case 'du':
      return account.disputes.get(id);
    case 'cs':
      return account.checkoutSessions.get(id);
    default:
      return undefined;
  }
}

function expandPath(account: Account, value: unknown, path: string[], full: string): unknown {
  if (path.length === 0 || value === null || value === undefined) return value;
  if (typeof value !== 'object') throw cannotExpand(full);
  if (Array.isArray(value)) return value.map((v) => expandPath(account, v, path, full));
  const [head, ...rest] = path as [string, ...string[]];
  const obj = value as Record<string, unknown>;
  if (!(head in obj)) throw cannotExpand(full);
  let field = obj[head];
  if (typeof field === 'string') {
    field = lookup(account, field);
    if (field === undefined) throw cannotExpand(full);
  }
  return { ...obj, [head]: expandPath(account, field, rest, full) };
}

function cannotExpand(path: string) {
  return invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' });
}

export function expand<T>(account: Account, value: T, paths: readonly string[]): T {
  let out: unknown = value;
  for (const p of paths) out = expandPath(account, out, p.split('.'), p);
  return out as T;
}

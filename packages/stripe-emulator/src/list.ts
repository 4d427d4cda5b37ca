/** Stripe list pagination (`limit`, `starting_after`, `ending_before`, `has_more`), newest first. */
import type Stripe from 'stripe';
import { invalidRequest } from './errors.js';
import { allowOnly, hash, int, type Params, str } from './params.js';

export const PAGINATION_PARAMS = ['limit', 'starting_after', 'ending_before'] as const;

export function newestFirst<T>(items: Iterable<T>): T[] {
  return [...items].reverse();
}

export function paginate<T extends { id: string }>(
  params: Params,
  items: T[],
  url: string,
): Stripe.ApiList<T> {
  const limit = int(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw invalidRequest('Invalid limit: must be between 1 and 100', {
      code: 'parameter_invalid_integer',
      param: 'limit',
    });
  const after = str(params, 'starting_after');
  const before = str(params, 'ending_before');
  if (after && before)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', {
      param: 'ending_before',
    });
  let start = 0;
  let end = items.length;
  if (after) {
    const i = items.findIndex((x) => x.id === after);
    if (i < 0)
      throw invalidRequest(`No such object: '${after}'`, {
        code: 'resource_missing',
        param: 'starting_after',
      });
    start = i + 1;
  }
  if (before) {
    const i = items.findIndex((x) => x.id === before);
    if (i < 0)
      throw invalidRequest(`No such object: '${before}'`, {
        code: 'resource_missing',
        param: 'ending_before',
      });
    end = i;
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = before ? start > 0 : start + limit < end;
  return { object: 'list', data, has_more: hasMore, url };
}

/**
 * Stripe's `created` list filter: an exact Unix time, or a hash of `gt`, `gte`, `lt` and `lte`
 * bounds (all must hold).
 */
export function createdFilter(params: Params): (item: { readonly created: number }) => boolean {
  if (params.created === undefined) return () => true;
  if (typeof params.created === 'string') {
    const at = int(params, 'created');
    return (item) => item.created === at;
  }
  const range = hash(params, 'created') ?? {};
  allowOnly(range, ['gt', 'gte', 'lt', 'lte'], 'created');
  const gt = int(range, 'gt', 'created');
  const gte = int(range, 'gte', 'created');
  const lt = int(range, 'lt', 'created');
  const lte = int(range, 'lte', 'created');
  return (item) =>
    (gt === undefined || item.created > gt) &&
    (gte === undefined || item.created >= gte) &&
    (lt === undefined || item.created < lt) &&
    (lte === undefined || item.created <= lte);
}

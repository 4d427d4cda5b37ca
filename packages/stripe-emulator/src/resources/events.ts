import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { createdFilter, newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, bool, str, strArray } from '../params.js';
import { getEvent } from './lookup.js';

export function retrieveEvent(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: getEvent(ctx, id) };
}

function matches(type: string, pattern: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/** `type` accepts a trailing `*` wildcard (`charge.dispute.*`), like Stripe; `created` bounds the time. */
export function listEvents(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'type', 'types', 'delivery_success', 'created']);
  const created = createdFilter(ctx.params);
  const type = str(ctx.params, 'type');
  const types = strArray(ctx.params, 'types');
  const delivered = bool(ctx.params, 'delivery_success');
  let items: Stripe.Event[] = newestFirst(ctx.account.events.values()).filter(created);
  if (type) items = items.filter((e) => matches(e.type, type));
  if (types) items = items.filter((e) => types.some((t) => matches(e.type, t)));
  if (delivered !== undefined) items = items.filter((e) => (e.pending_webhooks === 0) === delivered);
  return { body: paginate(ctx.params, items, '/v1/events') };
}

import { paginationMeta } from '@payrail/lago-wire';
import type { Page, PageCustomers, PageRequest, ReadTx } from '@payrail/persistence';
import type { Context } from 'hono';
import type { ApiDeps } from '../deps.js';
import type { ApiEnv } from '../http/types.js';
import { pageOf } from '../schemas/common.js';
import { type Renderer, withRenderer } from './renderer.js';

/** What a customer's own list (`GET /customers/{id}/invoices`, …) adds to the filters. */
export interface ListScope {
  readonly customerId?: string;
}

/** A list of objects that embed their customer: invoices, payments, credit notes, payment requests. */
export interface CustomerObjectList<F, T extends { readonly customerId: string }> {
  /** The key of the items in the body (`invoices`, `payments`, …). */
  readonly key: string;
  /** The filters of the request's query string; null when nothing can match. */
  readonly filter: (url: string) => F | null;
  /** The page, and its customers when the list reads them along with it (invoices do). */
  readonly load: (
    organizationId: string,
    filter: F & ListScope,
    page: PageRequest,
  ) => Promise<Page<T> | (Page<T> & PageCustomers)>;
  readonly render: (item: T, render: Renderer, tx: ReadTx) => Promise<unknown>;
}

/**
 * One page of such a list, with Lago's `meta`: the page's customers are read at once (or came with
 * the page), then each item is rendered. Shared by the organization-wide lists and the customer-scoped ones.
 */
export async function renderList<F, T extends { readonly customerId: string }>(
  deps: ApiDeps,
  c: Context<ApiEnv>,
  scope: ListScope,
  list: CustomerObjectList<F, T>,
): Promise<Response> {
  const filter = list.filter(c.req.url);
  const page = pageOf(c.req.url);
  if (filter === null) return c.json({ [list.key]: [], meta: paginationMeta(page, 0) });
  const result = await list.load(c.get('organizationId'), { ...filter, ...scope }, page);
  const items = await withRenderer(deps.reads, c, async (tx, render) => {
    if ('customers' in result) render.remember(result.customers, result.connections);
    else await render.preloadCustomers(result.items.map((item) => item.customerId));
    const out: unknown[] = [];
    for (const item of result.items) out.push(await list.render(item, render, tx));
    return out;
  });
  return c.json({ [list.key]: items, meta: paginationMeta(page, result.totalCount) });
}

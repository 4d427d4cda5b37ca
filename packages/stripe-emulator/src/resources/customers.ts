import type Stripe from 'stripe';
import type { Ctx, Reply } from '../context.js';
import { invalidRequest } from '../errors.js';
import { changedFields } from '../events.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import {
  allowOnly,
  expandList,
  hash,
  int,
  metadata,
  nullableStr,
  type Params,
  str,
  strArray,
} from '../params.js';
import { getCustomer, idOf } from './lookup.js';
import { attachPaymentMethod, checkAttachable, resolvePaymentMethod } from './payment-methods.js';

const WRITABLE = [
  'address',
  'balance',
  'description',
  'email',
  'invoice_prefix',
  'invoice_settings',
  'metadata',
  'name',
  'phone',
  'preferred_locales',
];

function address(params: Params, key: string): Stripe.Address | null | undefined {
  const h = hash(params, key);
  if (h === undefined || h === null) return h;
  allowOnly(h, ['city', 'country', 'line1', 'line2', 'postal_code', 'state'], key);
  const field = (k: string) => nullableStr(h, k, key) ?? null;
  return {
    city: field('city'),
    country: field('country'),
    line1: field('line1'),
    line2: field('line2'),
    postal_code: field('postal_code'),
    state: field('state'),
  };
}

interface CustomerChanges {
  fields: Partial<Stripe.Customer>;
  defaultPaymentMethod?: string | null;
  footer?: string | null;
}

function readChanges(ctx: Ctx, existing: Stripe.Customer | null): CustomerChanges {
  const p = ctx.params;
  const fields: Partial<Stripe.Customer> = {};
  const addr = address(p, 'address');
  if (addr !== undefined) fields.address = addr;
  const balance = int(p, 'balance');
  if (balance !== undefined) fields.balance = balance;
  for (const key of ['description', 'email', 'name', 'phone', 'invoice_prefix'] as const) {
    const v = nullableStr(p, key);
    if (v !== undefined) fields[key] = v;
  }
  if (fields.email && (fields.email.length > 512 || !fields.email.includes('@')))
    throw invalidRequest(`Invalid email address: ${fields.email}`, { code: 'email_invalid', param: 'email' });
  const locales = strArray(p, 'preferred_locales');
  if (locales !== undefined) fields.preferred_locales = locales;
  const meta = metadata(p, existing?.metadata ?? {});
  if (meta !== undefined) fields.metadata = meta;
  const changes: CustomerChanges = { fields };
  const settings = hash(p, 'invoice_settings');
  if (settings) {
    allowOnly(settings, ['default_payment_method', 'footer'], 'invoice_settings');
    const dpm = nullableStr(settings, 'default_payment_method', 'invoice_settings');
    if (dpm !== undefined) changes.defaultPaymentMethod = dpm;
    const footer = nullableStr(settings, 'footer', 'invoice_settings');
    if (footer !== undefined) changes.footer = footer;
  }
  if (changes.defaultPaymentMethod) {
    const pm = ctx.account.paymentMethods.get(changes.defaultPaymentMethod);
    if (!pm || !existing || idOf(pm.customer) !== existing.id)
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${changes.defaultPaymentMethod}. The payment method must be attached to the customer.`,
        { param: 'invoice_settings[default_payment_method]' },
      );
  }
  return changes;
}

function applyChanges(customer: Stripe.Customer, changes: CustomerChanges): void {
  Object.assign(customer, changes.fields);
  if (changes.defaultPaymentMethod !== undefined || changes.footer !== undefined) {
    customer.invoice_settings = {
      ...customer.invoice_settings,
      ...(changes.defaultPaymentMethod !== undefined
        ? { default_payment_method: changes.defaultPaymentMethod }
        : {}),
      ...(changes.footer !== undefined ? { footer: changes.footer } : {}),
    };
  }
}

export function createCustomer(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...WRITABLE, 'payment_method']);
  const pmParam = str(ctx.params, 'payment_method');
  const changes = readChanges(ctx, null);
  if (changes.defaultPaymentMethod)
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${changes.defaultPaymentMethod}. The payment method must be attached to the customer.`,
      { param: 'invoice_settings[default_payment_method]' },
    );
  const resolved = pmParam ? resolvePaymentMethod(ctx, pmParam, 'payment_method') : null;
  if (resolved) checkAttachable(resolved, null);
  const customer = {
    id: newId('cus', 14),
    object: 'customer',
    address: null,
    balance: 0,
    created: ctx.emu.clock.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: newId('x', 8).slice(2).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  } satisfies Stripe.Customer;
  const stored: Stripe.Customer = customer;
  applyChanges(stored, changes);
  ctx.account.customers.set(stored.id, stored);
  ctx.emu.own(ctx.account, stored.id);
  ctx.emu.events.emit(ctx.account, ctx.source, 'customer.created', stored);
  if (resolved) attachPaymentMethod(ctx, resolved, stored);
  return { body: renderCustomer(ctx, stored) };
}

export function renderCustomer(ctx: Ctx, customer: Stripe.Customer): Stripe.Customer {
  return expand(ctx.account, customer, expandList(ctx.params));
}

export function retrieveCustomer(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  if (ctx.account.deletedCustomers.has(id))
    return { body: { id, object: 'customer', deleted: true } satisfies Stripe.DeletedCustomer };
  return { body: renderCustomer(ctx, getCustomer(ctx, id)) };
}

export function updateCustomer(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, WRITABLE);
  const customer = getCustomer(ctx, id);
  const changes = readChanges(ctx, customer);
  const before = JSON.parse(JSON.stringify(customer)) as Stripe.Customer;
  applyChanges(customer, changes);
  const previous = changedFields(before, customer);
  if (previous) ctx.emu.events.emit(ctx.account, ctx.source, 'customer.updated', customer, previous);
  return { body: renderCustomer(ctx, customer) };
}

/** Used when Stripe itself changes a customer (e.g. its default method was detached). */
export function setDefaultPaymentMethod(ctx: Ctx, customer: Stripe.Customer, pmId: string | null): void {
  const previous = { invoice_settings: { ...customer.invoice_settings } };
  customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: pmId };
  ctx.emu.events.emit(ctx.account, ctx.source, 'customer.updated', customer, previous);
}

export function deleteCustomer(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  const customer = getCustomer(ctx, id);
  ctx.account.customers.delete(id);
  ctx.account.deletedCustomers.add(id);
  ctx.emu.events.emit(ctx.account, ctx.source, 'customer.deleted', customer);
  return { body: { id, object: 'customer', deleted: true } satisfies Stripe.DeletedCustomer };
}

export function listCustomers(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'email']);
  const email = str(ctx.params, 'email');
  let items = newestFirst(ctx.account.customers.values());
  if (email !== undefined) items = items.filter((c) => c.email === email);
  const page = paginate(ctx.params, items, '/v1/customers');
  return { body: expand(ctx.account, page, expandList(ctx.params)) };
}

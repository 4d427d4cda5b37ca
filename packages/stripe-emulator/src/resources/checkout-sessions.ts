/**
 * Checkout Sessions in setup and payment mode. The hosted page (or the `completeCheckout` test
 * control) completes a session. Setup mode: a SetupIntent succeeds with the chosen test
 * instrument, the method is attached to the customer, and `checkout.session.completed` follows.
 * Payment mode: the PaymentIntent is made when the customer first submits the page and confirmed
 * with the instrument; a decline leaves the page open for another try, a success (or a bank debit
 * now processing) completes it, and a session that expires cancels its unpaid intent.
 */
import type Stripe from 'stripe';
import { type Ctx, type Reply, systemCtx } from '../context.js';
import { ApiError, invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import { type Instrument, type MethodType, SETTLEMENT_CURRENCY } from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import {
  allowOnly,
  expandList,
  hash,
  int,
  metadata,
  nullableStr,
  oneOf,
  type Params,
  requiredStr,
  str,
} from '../params.js';
import { readCustomerBalanceOptions } from './cash-balance.js';
import { getCustomer, getSession, idOf } from './lookup.js';
import type { Acceptance } from './mandates.js';
import { chooseMethodTypes } from './method-types.js';
import { confirmOnPage } from './payment-attempts.js';
import { assertAboveMinimum, buildPaymentIntent, storePaymentIntent } from './payment-intents.js';
import { buildPaymentMethod, type ResolvedPaymentMethod } from './payment-methods.js';
import { attemptSetup, buildSetupIntent } from './setup-intents.js';

const DEFAULT_LIFETIME = 24 * 3600;
const MIN_LIFETIME = 30 * 60;

function checkUrl(value: string | undefined, param: string): string | null {
  if (value === undefined || value === '') return null;
  if (!/^https?:\/\/[^\s]+$/i.test(value))
    throw invalidRequest(`Not a valid URL: ${param} must be an http(s) URL.`, { code: 'url_invalid', param });
  return value;
}

export function createSession(ctx: Ctx): Reply {
  const p = ctx.params;
  allowOnly(p, [
    'mode',
    'customer',
    'customer_email',
    'currency',
    'success_url',
    'cancel_url',
    'allowed_payment_method_types',
    'excluded_payment_method_types',
    'expires_at',
    'client_reference_id',
    'metadata',
    'payment_method_options',
    'setup_intent_data',
    'payment_intent_data',
    'line_items',
    'locale',
    'ui_mode',
  ]);
  const mode = oneOf(p, 'mode', ['payment', 'setup', 'subscription'] as const);
  if (!mode) throw parameterMissing('mode');
  if (mode === 'subscription')
    throw invalidRequest(
      'The emulator serves Checkout in setup and payment mode only (got mode=subscription).',
      {
        param: 'mode',
      },
    );
  const uiMode =
    oneOf(p, 'ui_mode', ['hosted_page', 'embedded_page', 'elements', 'form'] as const) ?? 'hosted_page';
  if (uiMode !== 'hosted_page')
    throw invalidRequest(`The emulator serves only ui_mode=hosted_page (got ${uiMode}).`, {
      param: 'ui_mode',
    });
  const customerId = str(p, 'customer');
  const customer = customerId ? getCustomer(ctx, customerId, 'customer') : null;
  const customerEmail = nullableStr(p, 'customer_email') ?? null;
  if (customer && customerEmail)
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
      param: 'customer_email',
    });
  const currencyRaw = str(p, 'currency');
  const lineItems = mode === 'payment' ? readLineItems(p) : null;
  if (mode === 'setup' && p.line_items !== undefined)
    throw invalidRequest('You can not pass `line_items` in `setup` mode.', { param: 'line_items' });
  const itemsCurrency = lineItems?.[0]?.currency ?? null;
  if (itemsCurrency && currencyRaw && currencyRaw.toLowerCase() !== itemsCurrency)
    throw invalidRequest(
      `The currency provided (${currencyRaw.toLowerCase()}) does not match the line items' currency (${itemsCurrency}).`,
      { param: 'currency' },
    );
  const currency = itemsCurrency ?? (currencyRaw ? currencyRaw.toLowerCase() : null);
  if (!currency && p.allowed_payment_method_types === undefined)
    throw invalidRequest('currency is required in setup mode when allowed_payment_method_types is not set.', {
      code: 'parameter_missing',
      param: 'currency',
    });
  const amountTotal = lineItems ? lineItems.reduce((sum, item) => sum + item.amount_total, 0) : null;
  if (amountTotal !== null && currency) assertAboveMinimum(currency, amountTotal, 'line_items');
  const choice = chooseMethodTypes(p, currency, { setup: mode === 'setup' });
  const balanceOptions = readCustomerBalanceOptions(p, currency);
  if (choice.types.includes('customer_balance') && !balanceOptions)
    throw invalidRequest(
      'payment_method_options[customer_balance][funding_type] is required when customer_balance is one of the payment method types.',
      { param: 'payment_method_options[customer_balance][funding_type]' },
    );
  if (choice.types.includes('customer_balance') && !customer)
    throw invalidRequest('A customer is required to use the customer_balance payment method.', {
      param: 'customer',
    });
  const successUrl = checkUrl(str(p, 'success_url'), 'success_url');
  const cancelUrl = checkUrl(str(p, 'cancel_url'), 'cancel_url');
  const now = ctx.emu.clock.now();
  const expiresAt = int(p, 'expires_at') ?? now + DEFAULT_LIFETIME;
  if (expiresAt < now + MIN_LIFETIME || expiresAt > now + DEFAULT_LIFETIME)
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      { code: 'parameter_invalid_integer', param: 'expires_at' },
    );
  const meta = metadata(p) ?? {};
  const dataKey = mode === 'setup' ? 'setup_intent_data' : 'payment_intent_data';
  const otherKey = mode === 'setup' ? 'payment_intent_data' : 'setup_intent_data';
  if (p[otherKey] !== undefined)
    throw invalidRequest(
      `\`${otherKey}\` can only be used in ${mode === 'setup' ? 'payment' : 'setup'} mode.`,
      {
        param: otherKey,
      },
    );
  const siData = hash(p, dataKey);
  if (siData) {
    allowOnly(siData, ['description', 'metadata'], dataKey);
    nullableStr(siData, 'description', dataKey);
    metadata(siData);
  }
  const locale = (str(p, 'locale') as Stripe.Checkout.Session.Locale | undefined) ?? null;
  const id = newId('cs_test', 58);
  const session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: choice.allowed,
    amount_subtotal: amountTotal,
    amount_total: amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: cancelUrl,
    client_reference_id: nullableStr(p, 'client_reference_id') ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: customer?.id ?? null,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: customerEmail,
    discounts: null,
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale,
    managed_payments: null,
    metadata: meta,
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: balanceOptions
      ? ({ customer_balance: balanceOptions } as Stripe.Checkout.Session.PaymentMethodOptions)
      : null,
    payment_method_types: choice.types,
    payment_status: mode === 'setup' ? 'no_payment_required' : 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl,
    total_details: mode === 'payment' ? { amount_discount: 0, amount_shipping: 0, amount_tax: 0 } : null,
    ui_mode: 'hosted_page',
    url: `${ctx.emu.baseUrl}/checkout/${id}`,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
  const stored: Stripe.Checkout.Session = session;
  ctx.account.checkoutSessions.set(id, stored);
  ctx.account.sessionSetupData.set(id, {
    description: siData ? (nullableStr(siData, 'description', dataKey) ?? null) : null,
    metadata: siData ? (metadata(siData) ?? {}) : {},
  });
  if (lineItems) ctx.account.sessionLineItems.set(id, lineItems);
  ctx.emu.own(ctx.account, id);
  const emu = ctx.emu;
  const account = ctx.account;
  emu.clock.schedule(expiresAt - now, () => expireOpenSession(systemCtx(emu, account), id), {
    kind: 'expire_session',
    account: account.id,
    session: id,
  });
  return { body: renderSession(ctx, stored) };
}

/** The session's scheduled expiry; a session completed or expired meanwhile stays as it is. */
export function expireOpenSession(ctx: Ctx, id: string): void {
  const s = ctx.account.checkoutSessions.get(id);
  if (s?.status === 'open') expireSession(ctx, s);
}

export function expireSession(ctx: Ctx, session: Stripe.Checkout.Session): void {
  // An intent the customer started (a decline, say) but never paid is canceled with its page.
  const pi = session.payment_intent
    ? ctx.account.paymentIntents.get(idOf(session.payment_intent) as string)
    : null;
  if (pi && ['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(pi.status)) {
    pi.status = 'canceled';
    pi.canceled_at = ctx.emu.clock.now();
    pi.cancellation_reason = 'abandoned';
    pi.next_action = null;
    ctx.emu.events.emit(ctx.account, ctx.source, 'payment_intent.canceled', pi);
  }
  session.status = 'expired';
  session.url = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.expired', session);
}

/** Sessions past `expires_at` expire as soon as anyone looks at them. */
export function refreshExpiry(ctx: Ctx, session: Stripe.Checkout.Session): void {
  if (session.status === 'open' && ctx.emu.clock.now() >= session.expires_at) expireSession(ctx, session);
}

export type CompletionResult =
  | { ok: true; redirectUrl: string | null }
  | { ok: false; status: number; message: string };

/** What the hosted page does when the customer submits a test instrument. */
/**
 * The customer submitting the hosted page: submitting it accepts the mandate a bank debit method
 * is saved under, online, from the browser that submitted (`browser`; unknown for test controls).
 */
export function completeSession(
  ctx: Ctx,
  session: Stripe.Checkout.Session,
  instrument: Instrument,
  browser: { ipAddress: string | null; userAgent: string | null } = { ipAddress: null, userAgent: null },
): CompletionResult {
  refreshExpiry(ctx, session);
  if (session.status !== 'open')
    return { ok: false, status: 410, message: `This Checkout Session is ${session.status}.` };
  if (!session.payment_method_types.includes(instrument.type))
    return { ok: false, status: 400, message: `This Checkout Session does not accept ${instrument.type}.` };
  const customer = session.customer
    ? (ctx.account.customers.get(idOf(session.customer) as string) ?? null)
    : null;
  const billing: Stripe.PaymentMethod.BillingDetails = {
    address: null,
    email: customer?.email ?? session.customer_email,
    name: customer?.name ?? null,
    phone: null,
    tax_id: null,
  };
  const resolved = buildPaymentMethod(ctx, instrument, {}, billing);
  if (session.mode === 'payment') {
    const paid = payOnPage(ctx, session, resolved, {
      type: 'online',
      accepted_at: ctx.emu.clock.now(),
      online: { ip_address: browser.ipAddress, user_agent: browser.userAgent },
    });
    if (!paid.ok) return paid;
    return finishSession(ctx, session, customer, billing);
  }
  const setupData = ctx.account.sessionSetupData.get(session.id);
  const si = buildSetupIntent(ctx, {
    customer,
    usage: 'off_session',
    choice: {
      allowed: session.allowed_payment_method_types as MethodType[] | null,
      excluded: null,
      types: session.payment_method_types as MethodType[],
    },
    metadata: setupData?.metadata ?? {},
    description: setupData?.description ?? null,
  });
  ctx.account.checkoutSetupIntents.add(si.id);
  try {
    // The hosted page stands in for the 3D Secure challenge, so authentication counts as passed.
    attemptSetup(ctx, si, resolved, true, {
      type: 'online',
      accepted_at: ctx.emu.clock.now(),
      online: { ip_address: browser.ipAddress, user_agent: browser.userAgent },
    });
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, message: err.body.message };
    throw err;
  }
  session.setup_intent = si.id;
  return finishSession(ctx, session, customer, billing);
}

/** The page was submitted successfully: the session completes and says so. */
function finishSession(
  ctx: Ctx,
  session: Stripe.Checkout.Session,
  customer: Stripe.Customer | null,
  billing: Stripe.PaymentMethod.BillingDetails,
): CompletionResult {
  session.status = 'complete';
  session.customer_details = {
    address: customer?.address ?? null,
    business_name: null,
    email: billing.email,
    individual_name: null,
    name: billing.name,
    phone: customer?.phone ?? null,
    tax_exempt: 'none',
    tax_ids: [],
  } satisfies Stripe.Checkout.Session.CustomerDetails;
  session.url = null;
  ctx.emu.events.emit(ctx.account, ctx.source, 'checkout.session.completed', session);
  const redirectUrl = session.success_url?.replace('{CHECKOUT_SESSION_ID}', session.id) ?? null;
  return { ok: true, redirectUrl };
}

/**
 * The customer pays on the page: the session's PaymentIntent (made at the first submission, with
 * the session's `payment_intent_data`) is confirmed with the instrument. A succeeded card payment
 * marks the session paid; a bank debit leaves it unpaid while it processes (its settlement sends
 * `checkout.session.async_payment_succeeded` or `_failed`).
 */
function payOnPage(
  ctx: Ctx,
  session: Stripe.Checkout.Session,
  resolved: ResolvedPaymentMethod,
  /** A bank debit's mandate, accepted on the page (single use: the page does not save the method). */
  acceptance: Acceptance,
): { ok: true } | { ok: false; status: number; message: string } {
  let pi = session.payment_intent
    ? ctx.account.paymentIntents.get(idOf(session.payment_intent) as string)
    : undefined;
  if (!pi) {
    const data = ctx.account.sessionSetupData.get(session.id);
    pi = storePaymentIntent(
      ctx,
      buildPaymentIntent(ctx, {
        amount: session.amount_total ?? 0,
        currency: session.currency ?? SETTLEMENT_CURRENCY,
        customer: idOf(session.customer),
        choice: {
          allowed: session.allowed_payment_method_types as MethodType[] | null,
          excluded: null,
          types: session.payment_method_types as MethodType[],
        },
        captureMethod: 'automatic_async',
        description: data?.description ?? null,
        metadata: { ...(data?.metadata ?? {}) },
        receiptEmail: null,
        setupFutureUsage: null,
        statementDescriptor: null,
        statementDescriptorSuffix: null,
      }),
    );
    const balance = session.payment_method_options?.customer_balance;
    if (balance)
      pi.payment_method_options = { customer_balance: balance } as Stripe.PaymentIntent.PaymentMethodOptions;
    session.payment_intent = pi.id;
  }
  try {
    confirmOnPage(ctx, pi, resolved, acceptance);
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, message: err.body.message };
    throw err;
  }
  if (pi.status === 'succeeded') session.payment_status = 'paid';
  return { ok: true };
}

export function renderSession(ctx: Ctx, session: Stripe.Checkout.Session): Stripe.Checkout.Session {
  refreshExpiry(ctx, session);
  return expand(ctx.account, session, expandList(ctx.params));
}

export function retrieveSession(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  return { body: renderSession(ctx, getSession(ctx, id)) };
}

export function updateSession(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, ['metadata']);
  const session = getSession(ctx, id);
  const meta = metadata(ctx.params, session.metadata ?? {});
  if (meta !== undefined) session.metadata = meta;
  return { body: renderSession(ctx, session) };
}

export function expireSessionRoute(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, []);
  const session = getSession(ctx, id);
  refreshExpiry(ctx, session);
  if (session.status !== 'open')
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      { code: 'checkout_session_unexpected_state' },
    );
  expireSession(ctx, session);
  return { body: renderSession(ctx, session) };
}

export function listSessions(ctx: Ctx): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS, 'customer', 'status', 'setup_intent']);
  const customer = str(ctx.params, 'customer');
  const status = oneOf(ctx.params, 'status', ['open', 'complete', 'expired'] as const);
  const si = str(ctx.params, 'setup_intent');
  let items = newestFirst(ctx.account.checkoutSessions.values());
  for (const s of items) refreshExpiry(ctx, s);
  if (customer) items = items.filter((s) => idOf(s.customer) === customer);
  if (status) items = items.filter((s) => s.status === status);
  if (si) items = items.filter((s) => idOf(s.setup_intent) === si);
  return {
    body: expand(ctx.account, paginate(ctx.params, items, '/v1/checkout/sessions'), expandList(ctx.params)),
  };
}

export function listLineItems(ctx: Ctx, id: string): Reply {
  allowOnly(ctx.params, [...PAGINATION_PARAMS]);
  getSession(ctx, id);
  const items: Stripe.ApiList<Stripe.LineItem> = paginate(
    ctx.params,
    ctx.account.sessionLineItems.get(id) ?? [],
    `/v1/checkout/sessions/${id}/line_items`,
  );
  return { body: items };
}

/**
 * `line_items` of a payment-mode session: each `{quantity, price_data: {currency, unit_amount,
 * product_data: {name}}}` (prices stored in Stripe are not emulated), all in one currency.
 */
function readLineItems(p: Params): Stripe.LineItem[] {
  const raw = p.line_items;
  if (raw === undefined || raw === '') throw parameterMissing('line_items');
  if (!Array.isArray(raw) || raw.length === 0)
    throw invalidRequest('Invalid array: line_items must be a non-empty array.', {
      code: 'parameter_invalid_array',
      param: 'line_items',
    });
  const items = raw.map((entry, i): Stripe.LineItem => {
    const at = `line_items[${i}]`;
    if (typeof entry !== 'object' || Array.isArray(entry))
      throw invalidRequest(`Invalid object: ${at} must be a hash.`, {
        code: 'parameter_invalid_object',
        param: at,
      });
    allowOnly(entry, ['quantity', 'price_data', 'price'], at);
    if (entry.price !== undefined)
      throw invalidRequest('The emulator supports line items with `price_data` only, not stored prices.', {
        param: `${at}[price]`,
      });
    const quantity = int(entry, 'quantity', at);
    if (quantity === undefined) throw parameterMissing(`${at}[quantity]`);
    if (quantity < 1)
      throw invalidRequest(`Invalid ${at}[quantity]: must be at least 1.`, {
        code: 'parameter_invalid_integer',
        param: `${at}[quantity]`,
      });
    const price = hash(entry, 'price_data', at);
    if (!price) throw parameterMissing(`${at}[price_data]`);
    allowOnly(price, ['currency', 'unit_amount', 'product_data'], `${at}[price_data]`);
    const currency = requiredStr(price, 'currency', `${at}[price_data]`).toLowerCase();
    const unitAmount = int(price, 'unit_amount', `${at}[price_data]`);
    if (unitAmount === undefined) throw parameterMissing(`${at}[price_data][unit_amount]`);
    if (unitAmount < 0)
      throw invalidRequest(`Invalid ${at}[price_data][unit_amount]: must be at least 0.`, {
        code: 'parameter_invalid_integer',
        param: `${at}[price_data][unit_amount]`,
      });
    const product = hash(price, 'product_data', `${at}[price_data]`);
    if (!product) throw parameterMissing(`${at}[price_data][product_data]`);
    allowOnly(product, ['name', 'description'], `${at}[price_data][product_data]`);
    const name = requiredStr(product, 'name', `${at}[price_data][product_data]`);
    const amount = unitAmount * quantity;
    return {
      id: newId('li'),
      object: 'item',
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency,
      description: name,
      price: null,
      quantity,
    } as unknown as Stripe.LineItem;
  });
  const currencies = new Set(items.map((item) => item.currency));
  if (currencies.size > 1)
    throw invalidRequest('All line items must use the same currency.', { param: 'line_items' });
  return items;
}

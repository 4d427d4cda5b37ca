/**
 * Checkout Sessions in setup mode. The hosted page (or the `completeCheckout` test control)
 * completes a session: a SetupIntent succeeds with the chosen test instrument, the method is
 * attached to the customer, and `checkout.session.completed` follows.
 */
import type Stripe from 'stripe';
import { type Ctx, type Reply, systemCtx } from '../context.js';
import { ApiError, invalidRequest, parameterMissing } from '../errors.js';
import { expand } from '../expand.js';
import { newId } from '../ids.js';
import type { Instrument, MethodType } from '../instruments.js';
import { newestFirst, PAGINATION_PARAMS, paginate } from '../list.js';
import { allowOnly, expandList, hash, int, metadata, nullableStr, oneOf, str } from '../params.js';
import { getCustomer, getSession, idOf } from './lookup.js';
import { chooseMethodTypes } from './method-types.js';
import { buildPaymentMethod } from './payment-methods.js';
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
    'setup_intent_data',
    'locale',
    'ui_mode',
  ]);
  const mode = oneOf(p, 'mode', ['payment', 'setup', 'subscription'] as const);
  if (!mode) throw parameterMissing('mode');
  if (mode !== 'setup')
    throw invalidRequest(`The emulator serves Checkout in setup mode only (got mode=${mode}).`, {
      param: 'mode',
    });
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
  const currency = currencyRaw ? currencyRaw.toLowerCase() : null;
  if (!currency && p.allowed_payment_method_types === undefined)
    throw invalidRequest('currency is required in setup mode when allowed_payment_method_types is not set.', {
      code: 'parameter_missing',
      param: 'currency',
    });
  const choice = chooseMethodTypes(p, currency);
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
  const siData = hash(p, 'setup_intent_data');
  if (siData) {
    allowOnly(siData, ['description', 'metadata'], 'setup_intent_data');
    nullableStr(siData, 'description', 'setup_intent_data');
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
    amount_subtotal: null,
    amount_total: null,
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
    mode: 'setup',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: choice.types,
    payment_status: 'no_payment_required',
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
    total_details: null,
    ui_mode: 'hosted_page',
    url: `${ctx.emu.baseUrl}/checkout/${id}`,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
  const stored: Stripe.Checkout.Session = session;
  ctx.account.checkoutSessions.set(id, stored);
  ctx.account.sessionSetupData.set(id, {
    description: siData ? (nullableStr(siData, 'description', 'setup_intent_data') ?? null) : null,
    metadata: siData ? (metadata(siData) ?? {}) : {},
  });
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
  session.status = 'complete';
  session.setup_intent = si.id;
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
  const empty: Stripe.ApiList<Stripe.LineItem> = paginate(
    ctx.params,
    [],
    `/v1/checkout/sessions/${id}/line_items`,
  );
  return { body: empty };
}

import type { BankTransferRequest } from '../model/payment.js';
import type { PaymentMethodType, ProviderPaymentMethod } from '../model/payment-method.js';
import type { CurrencyCode } from '../money.js';
import type {
  GatewayCredentials,
  GatewayError,
  GatewayResult,
  LostDispute,
  PaymentCheckoutState,
  PaymentGateway,
  PaymentGatewayFactory,
  PaymentIntentOutcome,
  ProviderCustomerData,
  RefundOutcome,
} from '../ports/payment-gateway.js';
import { err, ok, type Result } from '../result.js';
import { Secret } from '../secret.js';

type IntentStatus = PaymentIntentOutcome['status'];

/** What the next new payment intent does. Replays of an idempotency key never consume a script. */
export type IntentScript =
  | { readonly kind: 'outcome'; readonly status: Exclude<IntentStatus, 'failed'> }
  | { readonly kind: 'outcome'; readonly status: 'failed'; readonly code?: string; readonly message?: string }
  /** Refused before anything was created. */
  | { readonly kind: 'error'; readonly error: GatewayError }
  /** Created (and maybe charged), but the answer never reached us: a network error. */
  | { readonly kind: 'lost_response'; readonly status: Exclude<IntentStatus, 'failed'> };

export type RefundScript =
  | { readonly kind: 'outcome'; readonly status: 'pending' | 'succeeded' }
  | { readonly kind: 'outcome'; readonly status: 'failed'; readonly code?: string; readonly message?: string }
  | { readonly kind: 'error'; readonly error: GatewayError };

export interface FakeIntent {
  readonly outcome: PaymentIntentOutcome;
  readonly idempotencyKey: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly providerCustomerId: string;
  /** Null for a bank transfer. */
  readonly providerPaymentMethodId: string | null;
  readonly allowedMethods: readonly PaymentMethodType[];
  readonly bankTransfer?: BankTransferRequest | null;
  readonly createdAt: Date;
}

/** A payment-mode hosted page; the customer is played with `payPage`, the provider's clock with `expirePage`. */
export interface FakePaymentPage {
  state: PaymentCheckoutState;
  /** The answer to the creating call, which a replay of its key gets again. */
  readonly first: PaymentCheckoutState;
  readonly idempotencyKey: string;
  readonly providerCustomerId: string;
  readonly amountCents: number;
  readonly currency: CurrencyCode;
  readonly allowedMethods: readonly PaymentMethodType[];
  readonly successUrl: string | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface FakeCustomer {
  data: ProviderCustomerData;
  defaultPaymentMethodId: string | null;
  methods: ProviderPaymentMethod[];
}

type Method = keyof PaymentGateway;

/**
 * A stateful stand-in for one or more Stripe accounts, driven by scripted outcomes. It honours
 * idempotency keys like Stripe (same key, same answer, no second charge) so tests can replay jobs.
 */
export class FakePaymentGateway implements PaymentGateway {
  readonly customers = new Map<string, FakeCustomer>();
  readonly intents = new Map<string, FakeIntent>();
  readonly refunds = new Map<string, RefundOutcome>();
  readonly endpoints = new Map<string, { url: string }>();
  /** Disputes closed as lost, in the order they closed. */
  readonly lostDisputes: LostDispute[] = [];
  readonly sessions: {
    providerCustomerId: string;
    methods: readonly PaymentMethodType[];
    successUrl: string | null;
    expiresAt: Date;
  }[] = [];
  /** Payment-mode pages by session id. */
  readonly pages = new Map<string, FakePaymentPage>();
  readonly #pageByKey = new Map<string, string>();
  readonly calls: { method: Method; input: unknown }[] = [];
  readonly credentials: GatewayCredentials[] = [];
  readonly invalidSecretKeys = new Set<string>();
  readonly intentScript: IntentScript[] = [];
  readonly refundScript: RefundScript[] = [];
  readonly #failures = new Map<Method, GatewayError[]>();
  readonly #intentByKey = new Map<string, Result<PaymentIntentOutcome, GatewayError>>();
  /** The request first sent with each key: Stripe refuses the key with other parameters. */
  readonly #intentRequestByKey = new Map<string, string>();
  /** When the fake "creates" intents; tests move it to model age. */
  now: () => Date = () => new Date();
  readonly #customerByKey = new Map<string, string>();
  readonly #refundByKey = new Map<string, Result<RefundOutcome, GatewayError>>();
  #seq = 0;

  factory(): PaymentGatewayFactory {
    return {
      forConnection: (credentials) => {
        this.credentials.push(credentials);
        return this.invalidSecretKeys.has(credentials.secretKey.reveal()) ? rejectingGateway() : this;
      },
    };
  }

  /** The next call of `method` fails with `error` (once per call queued). */
  failNext(method: Method, error: GatewayError): void {
    const queue = this.#failures.get(method) ?? [];
    queue.push(error);
    this.#failures.set(method, queue);
  }

  /** Saves a method on a provider customer, as a completed checkout would. */
  addPaymentMethod(
    providerCustomerId: string,
    type: ProviderPaymentMethod['type'] = 'card',
  ): ProviderPaymentMethod {
    const customer = this.#customer(providerCustomerId);
    const method: ProviderPaymentMethod = {
      providerPaymentMethodId: this.#id('pm'),
      type,
      details: type === 'card' ? { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 } : null,
      createdAt: new Date(Date.UTC(2026, 0, 1) + this.#seq * 1000),
    };
    customer.methods.unshift(method);
    return method;
  }

  /** Moves an intent on, as Stripe would asynchronously (seen by `retrievePaymentIntent`). */
  settleIntent(providerPaymentId: string, outcome: PaymentIntentOutcome): void {
    const intent = this.intents.get(providerPaymentId);
    if (!intent) throw new Error(`no intent ${providerPaymentId}`);
    this.intents.set(providerPaymentId, { ...intent, outcome });
  }

  /** The cardholder's bank keeps the money: the dispute on the intent closes as lost. */
  loseDispute(providerPaymentId: string, closedAt: Date, reason = 'fraudulent'): LostDispute {
    if (!this.intents.has(providerPaymentId)) throw new Error(`no intent ${providerPaymentId}`);
    const dispute = { providerDisputeId: this.#id('du'), providerPaymentId, reason, closedAt };
    this.lostDisputes.push(dispute);
    return dispute;
  }

  succeededChargesFor(lagoInvoiceId: string): FakeIntent[] {
    return [...this.intents.values()].filter(
      (i) => i.metadata.lago_invoice_id === lagoInvoiceId && i.outcome.status === 'succeeded',
    );
  }

  intentsFor(lagoInvoiceId: string): FakeIntent[] {
    return [...this.intents.values()].filter((i) => i.metadata.lago_invoice_id === lagoInvoiceId);
  }

  async registerWebhookEndpoint(input: {
    url: string;
  }): GatewayResult<{ providerEndpointId: string; signingSecret: Secret }> {
    return this.#call('registerWebhookEndpoint', input, () => {
      const providerEndpointId = this.#id('we');
      this.endpoints.set(providerEndpointId, { url: input.url });
      return ok({ providerEndpointId, signingSecret: new Secret(`whsec_${providerEndpointId}`) });
    });
  }

  async updateWebhookEndpoint(input: { providerEndpointId: string; url: string }): GatewayResult<void> {
    return this.#call('updateWebhookEndpoint', input, () => {
      if (!this.endpoints.has(input.providerEndpointId)) return err(notFoundError('webhook endpoint'));
      this.endpoints.set(input.providerEndpointId, { url: input.url });
      return ok(undefined);
    });
  }

  async deleteWebhookEndpoint(input: { providerEndpointId: string }): GatewayResult<void> {
    return this.#call('deleteWebhookEndpoint', input, () =>
      this.endpoints.delete(input.providerEndpointId)
        ? ok(undefined)
        : err(notFoundError('webhook endpoint')),
    );
  }

  async createCustomer(
    input: ProviderCustomerData & { metadata: Record<string, string>; idempotencyKey: string },
  ): GatewayResult<{ providerCustomerId: string }> {
    return this.#call('createCustomer', input, () => {
      const existing = this.#customerByKey.get(input.idempotencyKey);
      if (existing) return ok({ providerCustomerId: existing });
      const providerCustomerId = this.#id('cus');
      const { metadata: _metadata, idempotencyKey: _key, ...data } = input;
      this.customers.set(providerCustomerId, { data, defaultPaymentMethodId: null, methods: [] });
      this.#customerByKey.set(input.idempotencyKey, providerCustomerId);
      return ok({ providerCustomerId });
    });
  }

  async updateCustomer(input: ProviderCustomerData & { providerCustomerId: string }): GatewayResult<void> {
    return this.#call('updateCustomer', input, () => {
      const customer = this.customers.get(input.providerCustomerId);
      if (!customer) return err(notFoundError('customer'));
      customer.data = { ...customer.data, ...input };
      return ok(undefined);
    });
  }

  async createSetupCheckoutSession(input: {
    providerCustomerId: string;
    methods: readonly PaymentMethodType[];
    successUrl: string | null;
    currency: CurrencyCode | null;
    expiresAt: Date;
  }): GatewayResult<{ url: string; providerSessionId: string; expiresAt: Date }> {
    return this.#call('createSetupCheckoutSession', input, () => {
      if (!this.customers.has(input.providerCustomerId)) return err(notFoundError('customer'));
      const providerSessionId = this.#id('cs');
      this.sessions.push(input);
      return ok({
        url: `https://checkout.fake/${providerSessionId}`,
        providerSessionId,
        expiresAt: input.expiresAt,
      });
    });
  }

  async createPaymentCheckoutSession(input: {
    providerCustomerId: string;
    amountCents: number;
    currency: CurrencyCode;
    lineItemName: string;
    allowedMethods: readonly PaymentMethodType[];
    description: string;
    successUrl: string | null;
    metadata: Readonly<Record<string, string>>;
    idempotencyKey: string;
  }): GatewayResult<PaymentCheckoutState> {
    return this.#call('createPaymentCheckoutSession', input, () => {
      const replayed = this.#pageByKey.get(input.idempotencyKey);
      // Stripe replays the first answer under a key: the page as it was when first made.
      const replay = replayed === undefined ? undefined : this.pages.get(replayed);
      if (replay) return ok(replay.first);
      if (!this.customers.has(input.providerCustomerId)) return err(notFoundError('customer'));
      const providerSessionId = this.#id('cs');
      const state: PaymentCheckoutState = {
        providerSessionId,
        status: 'open',
        url: `https://checkout.fake/pay/${providerSessionId}`,
        expiresAt: new Date(this.now().getTime() + 24 * 60 * 60 * 1000),
        payment: null,
      };
      const page: FakePaymentPage = {
        state,
        first: state,
        idempotencyKey: input.idempotencyKey,
        providerCustomerId: input.providerCustomerId,
        amountCents: input.amountCents,
        currency: input.currency,
        allowedMethods: input.allowedMethods,
        successUrl: input.successUrl,
        metadata: input.metadata,
      };
      this.pages.set(providerSessionId, page);
      this.#pageByKey.set(input.idempotencyKey, providerSessionId);
      return ok(state);
    });
  }

  async retrievePaymentCheckoutSession(input: {
    providerSessionId: string;
  }): GatewayResult<PaymentCheckoutState> {
    return this.#call('retrievePaymentCheckoutSession', input, () => {
      const page = this.pages.get(input.providerSessionId);
      return page ? ok(page.state) : err(notFoundError('checkout session'));
    });
  }

  async expirePaymentCheckoutSession(input: {
    providerSessionId: string;
  }): GatewayResult<PaymentCheckoutState> {
    return this.#call('expirePaymentCheckoutSession', input, () => {
      const page = this.pages.get(input.providerSessionId);
      if (!page) return err(notFoundError('checkout session'));
      if (page.state.status === 'open') this.expirePage(input.providerSessionId);
      return ok(page.state);
    });
  }

  /**
   * The customer submits the page: `failed` is a decline (the page stays open for another try),
   * `succeeded` or `processing` completes it. Returns the intent's outcome.
   */
  payPage(
    providerSessionId: string,
    status: 'succeeded' | 'processing' | 'failed' = 'succeeded',
  ): PaymentIntentOutcome {
    const page = this.pages.get(providerSessionId);
    if (page?.state.status !== 'open') throw new Error(`page ${providerSessionId} is not open`);
    const providerPaymentId = page.state.payment?.providerPaymentId ?? this.#id('pi');
    const base = { providerPaymentId, amountCents: page.amountCents, currency: page.currency };
    const outcome: PaymentIntentOutcome =
      status === 'failed'
        ? {
            ...base,
            status,
            providerStatus: 'requires_payment_method',
            code: 'card_declined',
            message: 'Your card was declined.',
          }
        : intentOutcome(base, status);
    this.intents.set(providerPaymentId, {
      outcome,
      idempotencyKey: `checkout-${providerSessionId}`,
      metadata: page.metadata,
      providerCustomerId: page.providerCustomerId,
      providerPaymentMethodId: 'pm_from_page',
      allowedMethods: page.allowedMethods,
      bankTransfer: null,
      createdAt: this.now(),
    });
    page.state = {
      ...page.state,
      ...(status === 'failed' ? {} : { status: 'complete' as const, url: null }),
      payment: outcome,
    };
    return outcome;
  }

  /** The page's time runs out at the provider; an intent made on it is canceled. */
  expirePage(providerSessionId: string): PaymentCheckoutState {
    const page = this.pages.get(providerSessionId);
    if (page?.state.status !== 'open') throw new Error(`page ${providerSessionId} is not open`);
    const intent = page.state.payment;
    const canceled: PaymentIntentOutcome | null = intent
      ? { ...intent, status: 'canceled', providerStatus: 'canceled', reason: 'abandoned' }
      : null;
    if (canceled) this.settleIntent(canceled.providerPaymentId, canceled);
    page.state = { ...page.state, status: 'expired', url: null, payment: canceled };
    return page.state;
  }

  async listPaymentMethods(input: {
    providerCustomerId: string;
  }): GatewayResult<readonly ProviderPaymentMethod[]> {
    return this.#call('listPaymentMethods', input, () => {
      const customer = this.customers.get(input.providerCustomerId);
      return customer ? ok([...customer.methods]) : err(notFoundError('customer'));
    });
  }

  async getDefaultPaymentMethod(input: {
    providerCustomerId: string;
  }): GatewayResult<ProviderPaymentMethod | null> {
    return this.#call('getDefaultPaymentMethod', input, () => {
      const customer = this.customers.get(input.providerCustomerId);
      if (!customer) return err(notFoundError('customer'));
      return ok(
        customer.methods.find((m) => m.providerPaymentMethodId === customer.defaultPaymentMethodId) ?? null,
      );
    });
  }

  async setDefaultPaymentMethod(input: {
    providerCustomerId: string;
    providerPaymentMethodId: string;
  }): GatewayResult<void> {
    return this.#call('setDefaultPaymentMethod', input, () => {
      const customer = this.customers.get(input.providerCustomerId);
      if (!customer) return err(notFoundError('customer'));
      if (!customer.methods.some((m) => m.providerPaymentMethodId === input.providerPaymentMethodId)) {
        return err(notFoundError('payment method'));
      }
      customer.defaultPaymentMethodId = input.providerPaymentMethodId;
      return ok(undefined);
    });
  }

  async createPaymentIntent(input: {
    amountCents: number;
    currency: CurrencyCode;
    providerCustomerId: string;
    providerPaymentMethodId: string | null;
    allowedMethods: readonly PaymentMethodType[];
    bankTransfer?: BankTransferRequest | null;
    methodType?: PaymentMethodType | 'other' | null;
    description: string;
    returnUrl: string | null;
    metadata: Readonly<Record<string, string>>;
    idempotencyKey: string;
  }): GatewayResult<PaymentIntentOutcome> {
    return this.#call('createPaymentIntent', input, () => {
      const { idempotencyKey, ...request } = input;
      const sent = JSON.stringify(request);
      const first = this.#intentRequestByKey.get(idempotencyKey);
      if (first !== undefined && first !== sent) {
        return err({
          code: 'invalid_request',
          providerCode: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        });
      }
      const replay = this.#intentByKey.get(input.idempotencyKey);
      if (replay) return replay;
      const script: IntentScript = this.intentScript.shift() ?? { kind: 'outcome', status: 'succeeded' };
      if (script.kind === 'error') {
        // Stripe stores errors raised after execution began; replays give the same answer.
        const refused = err(script.error);
        if (script.error.code !== 'retryable') {
          this.#intentByKey.set(input.idempotencyKey, refused);
          this.#intentRequestByKey.set(idempotencyKey, sent);
        }
        return refused;
      }
      const providerPaymentId = this.#id('pi');
      const base = { providerPaymentId, amountCents: input.amountCents, currency: input.currency };
      const outcome: PaymentIntentOutcome =
        script.kind === 'outcome' && script.status === 'failed'
          ? {
              ...base,
              status: 'failed',
              providerStatus: 'requires_payment_method',
              code: script.code ?? 'card_declined',
              message: script.message ?? 'Your card was declined.',
            }
          : intentOutcome(base, script.status as Exclude<IntentStatus, 'failed'>);
      this.intents.set(providerPaymentId, {
        outcome,
        idempotencyKey: input.idempotencyKey,
        metadata: input.metadata,
        providerCustomerId: input.providerCustomerId,
        providerPaymentMethodId: input.providerPaymentMethodId,
        allowedMethods: input.allowedMethods,
        bankTransfer: input.bankTransfer ?? null,
        createdAt: this.now(),
      });
      this.#intentByKey.set(input.idempotencyKey, ok(outcome));
      this.#intentRequestByKey.set(idempotencyKey, sent);
      if (script.kind === 'lost_response') {
        return err({ code: 'retryable', reason: 'network', message: 'connection reset' });
      }
      return ok(outcome);
    });
  }

  async retrievePaymentIntent(input: { providerPaymentId: string }): GatewayResult<PaymentIntentOutcome> {
    return this.#call('retrievePaymentIntent', input, () => {
      const intent = this.intents.get(input.providerPaymentId);
      return intent ? ok(intent.outcome) : err(notFoundError('payment intent'));
    });
  }

  async findPaymentIntent(input: {
    providerCustomerId: string;
    lagoPaymentId: string;
    createdAfter: Date;
  }): GatewayResult<PaymentIntentOutcome | null> {
    return this.#call('findPaymentIntent', input, () => {
      const found = [...this.intents.values()].find(
        (i) =>
          i.providerCustomerId === input.providerCustomerId &&
          i.metadata.lago_payment_id === input.lagoPaymentId &&
          i.createdAt.getTime() >= input.createdAfter.getTime(),
      );
      return ok(found?.outcome ?? null);
    });
  }

  async listLostDisputes(input: { closedSince: Date }): GatewayResult<readonly LostDispute[]> {
    return this.#call('listLostDisputes', input, () =>
      ok(this.lostDisputes.filter((d) => d.closedAt.getTime() >= input.closedSince.getTime())),
    );
  }

  async createRefund(input: {
    providerPaymentId: string;
    amountCents: number;
    reason: string | null;
    metadata: Readonly<Record<string, string>>;
    idempotencyKey: string;
  }): GatewayResult<RefundOutcome> {
    return this.#call('createRefund', input, () => {
      const replay = this.#refundByKey.get(input.idempotencyKey);
      if (replay) return replay;
      const intent = this.intents.get(input.providerPaymentId);
      if (intent?.outcome.status !== 'succeeded') return err(notFoundError('charge'));
      const refunded = [...this.refunds.values()]
        .filter((r) => r.providerPaymentId === input.providerPaymentId && r.status !== 'failed')
        .reduce((s, r) => s + r.amountCents, 0);
      if (refunded + input.amountCents > intent.outcome.amountCents) {
        return err({
          code: 'invalid_request',
          providerCode: 'charge_already_refunded',
          message: 'Refund exceeds charge',
        });
      }
      const script: RefundScript = this.refundScript.shift() ?? { kind: 'outcome', status: 'succeeded' };
      if (script.kind === 'error') return err(script.error);
      const base = {
        providerRefundId: this.#id('re'),
        providerPaymentId: input.providerPaymentId,
        amountCents: input.amountCents,
      };
      const outcome: RefundOutcome =
        script.status === 'failed'
          ? {
              ...base,
              status: 'failed',
              code: script.code ?? 'expired_or_canceled_card',
              message: script.message ?? 'Refund failed',
            }
          : { ...base, status: script.status };
      this.refunds.set(outcome.providerRefundId, outcome);
      this.#refundByKey.set(input.idempotencyKey, ok(outcome));
      return ok(outcome);
    });
  }

  #call<T>(
    method: Method,
    input: unknown,
    run: () => Result<T, GatewayError>,
  ): Promise<Result<T, GatewayError>> {
    this.calls.push({ method, input });
    const failure = this.#failures.get(method)?.shift();
    return Promise.resolve(failure ? err(failure) : run());
  }

  #customer(providerCustomerId: string): FakeCustomer {
    const customer = this.customers.get(providerCustomerId);
    if (!customer) throw new Error(`fake gateway has no customer ${providerCustomerId}`);
    return customer;
  }

  /**
   * Registers a customer that already exists at the provider (the "existing customer" case),
   * optionally with a saved default method of `defaultMethod` type.
   */
  seedCustomer(defaultMethod?: ProviderPaymentMethod['type']): string {
    const id = this.#id('cus');
    this.customers.set(id, {
      data: { name: null, email: null, phone: null, address: emptyAddress() },
      defaultPaymentMethodId: null,
      methods: [],
    });
    if (defaultMethod) {
      const customer = this.#customer(id);
      customer.defaultPaymentMethodId = this.addPaymentMethod(id, defaultMethod).providerPaymentMethodId;
    }
    return id;
  }

  #id(prefix: string): string {
    this.#seq += 1;
    return `${prefix}_fake_${String(this.#seq).padStart(4, '0')}`;
  }
}

function intentOutcome(
  base: { providerPaymentId: string; amountCents: number; currency: CurrencyCode },
  status: Exclude<IntentStatus, 'failed'>,
): PaymentIntentOutcome {
  switch (status) {
    case 'succeeded':
      return { ...base, status, providerStatus: 'succeeded' };
    case 'processing':
      return { ...base, status, providerStatus: 'processing' };
    case 'requires_action':
      return {
        ...base,
        status,
        providerStatus: 'requires_action',
        nextAction: { type: 'redirect_to_url', redirect_to_url: { url: 'https://hooks.fake/3ds' } },
      };
    case 'canceled':
      return { ...base, status, providerStatus: 'canceled', reason: 'abandoned' };
  }
}

function emptyAddress() {
  return { line1: null, line2: null, city: null, state: null, zipcode: null, country: null };
}

function notFoundError(what: string): GatewayError {
  return { code: 'not_found', message: `No such ${what}` };
}

function rejectingGateway(): PaymentGateway {
  const refuse = async () =>
    err({ code: 'invalid_credentials', message: 'Invalid API Key provided' } as const);
  return {
    registerWebhookEndpoint: refuse,
    updateWebhookEndpoint: refuse,
    deleteWebhookEndpoint: refuse,
    createCustomer: refuse,
    updateCustomer: refuse,
    createSetupCheckoutSession: refuse,
    createPaymentCheckoutSession: refuse,
    retrievePaymentCheckoutSession: refuse,
    expirePaymentCheckoutSession: refuse,
    listPaymentMethods: refuse,
    getDefaultPaymentMethod: refuse,
    setDefaultPaymentMethod: refuse,
    createPaymentIntent: refuse,
    retrievePaymentIntent: refuse,
    findPaymentIntent: refuse,
    listLostDisputes: refuse,
    createRefund: refuse,
  };
}

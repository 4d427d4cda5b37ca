import { type CurrencyCode, parseCurrency } from '@payrail/domain';
import { emulatorControls } from '@payrail/stripe-emulator';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { CreatePaymentIntentInput } from '../src/operations/payment-intents.js';
import { customerWithMethod, type TestAccount, unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();
const currency = (code: string) => parseCurrency(code) as CurrencyCode;

async function charge(
  account: TestAccount,
  token: string,
  overrides: Partial<CreatePaymentIntentInput> = {},
): Promise<{ input: CreatePaymentIntentInput; customerId: string; paymentMethodId: string }> {
  const { customerId, paymentMethodId } = await customerWithMethod(account.stripe, token);
  const input: CreatePaymentIntentInput = {
    amountCents: 12_345,
    currency: currency('USD'),
    providerCustomerId: customerId,
    providerPaymentMethodId: paymentMethodId,
    allowedMethods: ['card'],
    description: 'Acme - Invoice ACM-001',
    returnUrl: null,
    metadata: {
      lago_invoice_id: 'inv-1',
      lago_customer_id: 'cus-1',
      lago_payment_id: 'pay-1',
      lago_organization_id: 'org-1',
    },
    idempotencyKey: `payment-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
  return { input, customerId, paymentMethodId };
}

describe('createPaymentIntent', () => {
  it('charges a saved card off-session and reports success', async () => {
    const account = harness.account();
    const { input, customerId, paymentMethodId } = await charge(account, 'pm_card_visa');
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome).toMatchObject({
      status: 'succeeded',
      providerStatus: 'succeeded',
      amountCents: 12_345,
      currency: 'USD',
    });
    const pi = await account.stripe.paymentIntents.retrieve(outcome.providerPaymentId);
    expect(pi).toMatchObject({
      amount: 12_345,
      currency: 'usd',
      customer: customerId,
      payment_method: paymentMethodId,
      description: 'Acme - Invoice ACM-001',
      metadata: input.metadata,
      allowed_payment_method_types: ['card'],
    });
  });

  it('sends only the methods that can charge the currency', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa', {
      currency: currency('EUR'),
      allowedMethods: ['card', 'sepa_debit', 'us_bank_account', 'bacs_debit'],
    });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    const pi = await account.stripe.paymentIntents.retrieve(outcome.providerPaymentId);
    expect(pi.allowed_payment_method_types).toEqual(['card', 'sepa_debit']);
  });

  it('refuses, without calling Stripe, when no method can charge the currency', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa', { allowedMethods: ['sepa_debit'] });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'invalid_request', providerCode: null });
    const list = await account.stripe.paymentIntents.list();
    expect(list.data).toHaveLength(0);
  });

  it('reports a bank debit as processing', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_success_de', {
      currency: currency('EUR'),
      allowedMethods: ['card', 'sepa_debit'],
    });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome).toMatchObject({ status: 'processing', providerStatus: 'processing', currency: 'EUR' });
  });

  it('maps a declined card to card_declined with the PaymentIntent Stripe kept', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_chargeCustomerFail');
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'card_declined', providerCode: 'card_declined' });
    if (error.code !== 'card_declined') throw new Error('unreachable');
    expect(error.message).toMatch(/declined/i);
    expect(error.providerPaymentId).toMatch(/^pi_/);
    expect(error.details).toMatchObject({ httpStatus: 402 });
    expect(error.details?.requestId).toMatch(/^req_/);
    const pi = await account.stripe.paymentIntents.retrieve(error.providerPaymentId as string);
    expect(pi.status).toBe('requires_payment_method');
    // Reading it back (reconciliation) gives the same failure in domain words.
    const read = unwrap(await account.gateway.retrievePaymentIntent({ providerPaymentId: pi.id }));
    expect(read).toMatchObject({ status: 'failed', code: 'card_declined' });
  });

  it('a card that needs 3DS is refused off-session, then confirmed on-session: requires_action with a redirect', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_authenticationRequired', {
      returnUrl: 'https://merchant.test/paid',
    });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    if (outcome.status !== 'requires_action')
      throw new Error(`expected requires_action, got ${outcome.status}`);
    expect(outcome.providerStatus).toBe('requires_action');
    expect(outcome.nextAction).toMatchObject({
      type: 'redirect_to_url',
      redirect_to_url: {
        return_url: 'https://merchant.test/paid',
        url: expect.stringContaining(outcome.providerPaymentId),
      },
    });
    // The off-session refusal left a failed charge on the same intent; no second intent was made.
    const intents = await account.stripe.paymentIntents.list();
    expect(intents.data.map((pi) => pi.id)).toEqual([outcome.providerPaymentId]);

    // A resumed attempt (same key) replays both answers: still one intent, still waiting.
    const again = unwrap(await account.gateway.createPaymentIntent(input));
    expect(again).toMatchObject({ providerPaymentId: outcome.providerPaymentId, status: 'requires_action' });

    const controls = emulatorControls(harness.emulator.url);
    await controls.authenticate(outcome.providerPaymentId, 'success');
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: outcome.providerPaymentId }),
    );
    expect(read.status).toBe('succeeded');
  });

  it('without a return URL on the connection, the customer is sent back to Stripe, as Lago does', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_authenticationRequired');
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://stripe.com/' } },
    });
  });

  it('maps an amount below the minimum to amount_too_small', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa', { amountCents: 20 });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({ code: 'amount_too_small', details: { httpStatus: 400 } });
    expect(error.message).toMatch(/at least/);
  });

  it('passes the return URL when one is given', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa', { returnUrl: 'https://merchant.test/done' });
    const outcome = unwrap(await account.gateway.createPaymentIntent(input));
    expect(outcome.status).toBe('succeeded');
  });

  it('creates one PaymentIntent when the same idempotency key is used twice', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa');
    const first = unwrap(await account.gateway.createPaymentIntent(input));
    const second = unwrap(await account.gateway.createPaymentIntent(input));
    expect(second.providerPaymentId).toBe(first.providerPaymentId);
    const list = await account.stripe.paymentIntents.list();
    expect(list.data.map((pi) => pi.id)).toEqual([first.providerPaymentId]);
  });
});

describe('retrievePaymentIntent', () => {
  it('reads a PaymentIntent back in domain words', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_card_visa');
    const created = unwrap(await account.gateway.createPaymentIntent(input));
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: created.providerPaymentId }),
    );
    expect(read).toEqual(created);
  });

  it('maps an unknown id to not_found', async () => {
    const account = harness.account();
    const error = unwrapErr(await account.gateway.retrievePaymentIntent({ providerPaymentId: 'pi_missing' }));
    expect(error).toMatchObject({ code: 'not_found', details: { httpStatus: 404 } });
  });
});

describe('other card errors and settlement', () => {
  it.each([
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined'],
  ])('maps %s to card_declined with code %s', async (token, providerCode) => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Declines' });
    const error = unwrapErr(
      await account.gateway.createPaymentIntent({
        amountCents: 2_000,
        currency: currency('USD'),
        providerCustomerId: customer.id,
        providerPaymentMethodId: token,
        allowedMethods: ['card'],
        description: 'Invoice D-1',
        returnUrl: null,
        metadata: {},
        idempotencyKey: `payment-${token}`,
      }),
    );
    expect(error).toMatchObject({ code: 'card_declined', providerCode, details: { httpStatus: 402 } });
  });

  it('reads a bank debit that settled later as succeeded (reconciliation)', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_success_de', {
      currency: currency('EUR'),
      allowedMethods: ['sepa_debit'],
    });
    const created = unwrap(await account.gateway.createPaymentIntent(input));
    expect(created.status).toBe('processing');
    await emulatorControls(harness.emulator.url).advanceClock(3_600);
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: created.providerPaymentId }),
    );
    expect(read).toMatchObject({ status: 'succeeded', providerStatus: 'succeeded' });
  });

  it('reads a bank debit that failed later as failed with Stripe’s code', async () => {
    const account = harness.account();
    const { input } = await charge(account, 'pm_failed_de', {
      currency: currency('EUR'),
      allowedMethods: ['sepa_debit'],
    });
    const created = unwrap(await account.gateway.createPaymentIntent(input));
    expect(created.status).toBe('processing');
    await emulatorControls(harness.emulator.url).advanceClock(3_600);
    const read = unwrap(
      await account.gateway.retrievePaymentIntent({ providerPaymentId: created.providerPaymentId }),
    );
    expect(read).toMatchObject({ status: 'failed', providerStatus: 'requires_payment_method' });
    if (read.status !== 'failed') throw new Error('unreachable');
    expect(read.code).not.toBe('requires_payment_method');
  });
});

describe('bank debits and their mandates', () => {
  it('refuses a SEPA account attached without a mandate as mandate_required, once, with the intent', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'No mandate' });
    const pm = await account.stripe.paymentMethods.attach('pm_success_de', { customer: customer.id });
    const { input } = await charge(account, 'pm_card_visa', {
      currency: currency('EUR'),
      allowedMethods: ['sepa_debit'],
      providerCustomerId: customer.id,
      providerPaymentMethodId: pm.id,
    });
    const error = unwrapErr(await account.gateway.createPaymentIntent(input));
    expect(error).toMatchObject({
      code: 'mandate_required',
      message: expect.stringMatching(
        /^This PaymentIntent requires a mandate, but no existing mandate was found/,
      ),
      details: { httpStatus: 400 },
    });
    if (error.code !== 'mandate_required') throw new Error('unreachable');
    const intents = await account.stripe.paymentIntents.list({ customer: customer.id });
    expect(intents.data.map((p) => [p.id, p.status])).toEqual([
      [error.providerPaymentId, 'requires_confirmation'],
    ]);
    expect((await account.stripe.charges.list({ customer: customer.id })).data).toEqual([]);
    // A job running again with the same key gets the same answer, not a second intent.
    expect(unwrapErr(await account.gateway.createPaymentIntent(input))).toMatchObject({
      code: 'mandate_required',
      providerPaymentId: error.providerPaymentId,
    });
    expect((await account.stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
  });

  it.each([
    ['pm_success_de', 'EUR', 'sepa_debit'],
    ['pm_usBankAccount_success', 'USD', 'us_bank_account'],
    ['pm_bacsDebit_success', 'GBP', 'bacs_debit'],
  ] as const)(
    'debits %s set up with a mandate without naming it, as Stripe finds it',
    async (token, code, type) => {
      const account = harness.account();
      const { input, paymentMethodId } = await charge(account, token, {
        currency: currency(code),
        allowedMethods: [type],
      });
      const outcome = unwrap(await account.gateway.createPaymentIntent(input));
      expect(outcome.status).toBe('processing');
      const pi = await account.stripe.paymentIntents.retrieve(outcome.providerPaymentId, {
        expand: ['latest_charge'],
      });
      const latest = pi.latest_charge as Stripe.Charge;
      const details = latest.payment_method_details as unknown as Record<string, { mandate?: string }>;
      const mandate = await account.stripe.mandates.retrieve(details[type]?.mandate as string);
      expect(mandate).toMatchObject({ status: 'active', payment_method: paymentMethodId });
    },
  );
});

describe('findPaymentIntent', () => {
  it('finds the intent of a lost answer by lago_payment_id among the customer’s intents', async () => {
    const account = harness.account();
    const { input, customerId } = await charge(account, 'pm_card_visa');
    // Other intents of the same customer, before and after, must not be mistaken for it.
    unwrap(
      await account.gateway.createPaymentIntent({
        ...input,
        metadata: { ...input.metadata, lago_payment_id: 'pay-0' },
        idempotencyKey: `${input.idempotencyKey}-0`,
      }),
    );
    const created = unwrap(await account.gateway.createPaymentIntent(input));
    unwrap(
      await account.gateway.createPaymentIntent({
        ...input,
        metadata: { ...input.metadata, lago_payment_id: 'pay-2' },
        idempotencyKey: `${input.idempotencyKey}-2`,
      }),
    );
    const since = new Date(Date.now() - 60_000);
    const found = unwrap(
      await account.gateway.findPaymentIntent({
        providerCustomerId: customerId,
        lagoPaymentId: 'pay-1',
        createdAfter: since,
      }),
    );
    expect(found).toMatchObject({ providerPaymentId: created.providerPaymentId, status: 'succeeded' });
    expect(
      unwrap(
        await account.gateway.findPaymentIntent({
          providerCustomerId: customerId,
          lagoPaymentId: 'pay-never-sent',
          createdAfter: since,
        }),
      ),
    ).toBeNull();
  });

  it('reads past the first page', async () => {
    const account = harness.account();
    const { input, customerId } = await charge(account, 'pm_card_visa');
    unwrap(await account.gateway.createPaymentIntent(input));
    for (let i = 0; i < 105; i += 1) {
      unwrap(
        await account.gateway.createPaymentIntent({
          ...input,
          metadata: { ...input.metadata, lago_payment_id: `later-${i}` },
          idempotencyKey: `${input.idempotencyKey}-${i}`,
        }),
      );
    }
    const found = unwrap(
      await account.gateway.findPaymentIntent({
        providerCustomerId: customerId,
        lagoPaymentId: 'pay-1',
        createdAfter: new Date(Date.now() - 60_000),
      }),
    );
    expect(found?.status).toBe('succeeded');
  });
});

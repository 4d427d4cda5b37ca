import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectOk,
  givenAddOn,
  givenInvoice,
  givenLinkedCustomer,
} from '../testing/index.js';
import { collectInvoicePayment } from './collect-invoice-payment.js';
import { generateCheckoutLink } from './generate-checkout-link.js';

const refused = {
  code: 'invalid_credentials',
  message: 'Invalid API Key provided: sk_test_****abcd',
} as const;

describe('a refused connection key', () => {
  it('during a collection: the attempt fails once and payment_provider.error names the connection', async () => {
    const t = createTestContext();
    const { connection } = await givenLinkedCustomer(t, {
      currency: 'EUR',
      methods: ['card'],
      methodType: 'card',
    });
    await givenAddOn(t, 'setup_fee', 12_000, 'EUR');
    const invoice = await givenInvoice(t);
    t.gateway.failNext('createPaymentIntent', refused);

    const result = expectOk(
      await collectInvoicePayment({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, invoiceId: invoice.id },
      }),
    );
    expect(result.outcome).toBe('attempted');
    expect(t.store.eventsOfType('payment_provider.error').map((e) => e.data)).toEqual([
      {
        lago_payment_provider_id: connection.id,
        payment_provider_name: connection.name,
        payment_provider_code: connection.code,
        source: 'stripe',
        action: 'payment_provider.create_payment',
        provider_error: { message: refused.message, code: null },
      },
    ]);
  });

  it('during a checkout link: announced with its action; other provider errors are not', async () => {
    const t = createTestContext();
    const { customer } = await givenLinkedCustomer(t, {
      currency: 'EUR',
      methods: ['card'],
      methodType: null,
    });
    const link = () =>
      generateCheckoutLink({
        ctx: t.ctx,
        input: { organizationId: t.organization.id, customer: { id: customer.id }, announce: true },
      });
    t.gateway.failNext('createSetupCheckoutSession', {
      code: 'invalid_request',
      providerCode: null,
      message: 'bad',
    });
    await link();
    expect(t.store.eventsOfType('payment_provider.error')).toEqual([]);

    t.gateway.failNext('createSetupCheckoutSession', refused);
    await link();
    expect(t.store.eventsOfType('payment_provider.error').map((e) => e.data.action)).toEqual([
      'payment_provider.generate_checkout_url',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { unwrap, unwrapErr, useEmulator } from './harness.js';

const harness = useEmulator();

describe('payment methods', () => {
  it('lists a customer’s methods newest first, in domain words', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Lister' });
    const attached: string[] = [];
    for (const token of ['pm_card_visa', 'pm_success_de', 'pm_card_mastercard']) {
      attached.push((await account.stripe.paymentMethods.attach(token, { customer: customer.id })).id);
    }
    const methods = unwrap(await account.gateway.listPaymentMethods({ providerCustomerId: customer.id }));
    expect(methods.map((m) => m.providerPaymentMethodId)).toEqual([...attached].reverse());
    expect(methods.map((m) => m.type)).toEqual(['card', 'sepa_debit', 'card']);
    expect(methods[0]?.details).toMatchObject({ last4: '4444', expMonth: expect.any(Number) });
    expect(methods[1]?.details).toMatchObject({ last4: '3000', expMonth: null });
    expect(methods[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('reads, sets and reads again the default method', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Defaults' });
    const visa = await account.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(
      unwrap(await account.gateway.getDefaultPaymentMethod({ providerCustomerId: customer.id })),
    ).toBeNull();

    unwrap(
      await account.gateway.setDefaultPaymentMethod({
        providerCustomerId: customer.id,
        providerPaymentMethodId: visa.id,
      }),
    );
    const stripeSide = await account.stripe.customers.retrieve(customer.id);
    expect(
      (stripeSide as { invoice_settings: { default_payment_method: unknown } }).invoice_settings,
    ).toMatchObject({ default_payment_method: visa.id });
    const read = unwrap(await account.gateway.getDefaultPaymentMethod({ providerCustomerId: customer.id }));
    expect(read).toMatchObject({
      providerPaymentMethodId: visa.id,
      type: 'card',
      details: { last4: '4242' },
    });
  });

  it('refuses a default that is not attached to the customer', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Strict' });
    const error = unwrapErr(
      await account.gateway.setDefaultPaymentMethod({
        providerCustomerId: customer.id,
        providerPaymentMethodId: 'pm_not_attached',
      }),
    );
    expect(error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/must be attached/),
      details: {
        httpStatus: 400,
        httpBody: { error: { param: 'invoice_settings[default_payment_method]' } },
      },
    });
  });

  it('reads a detached method as gone', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Detach' });
    const pm = await account.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(
      unwrap(await account.gateway.retrievePaymentMethod({ providerPaymentMethodId: pm.id })),
    ).toMatchObject({
      providerPaymentMethodId: pm.id,
    });
    await account.stripe.paymentMethods.detach(pm.id);
    expect(
      unwrap(await account.gateway.retrievePaymentMethod({ providerPaymentMethodId: pm.id })),
    ).toBeNull();
    expect(
      unwrap(await account.gateway.retrievePaymentMethod({ providerPaymentMethodId: 'pm_nope' })),
    ).toBeNull();
  });

  it('maps a deleted or unknown customer to not_found', async () => {
    const account = harness.account();
    const customer = await account.stripe.customers.create({ name: 'Gone' });
    await account.stripe.customers.del(customer.id);
    const deleted = unwrapErr(
      await account.gateway.getDefaultPaymentMethod({ providerCustomerId: customer.id }),
    );
    expect(deleted.code).toBe('not_found');
    const unknown = unwrapErr(await account.gateway.listPaymentMethods({ providerCustomerId: 'cus_nope' }));
    expect(unknown.code).toBe('not_found');
  });
});
